import Foundation
import Synchronization
import Testing
@testable import Kiln

/// `InstanceAllocationStrategy.pooling`: memory slots reused from one store to the next
/// with nothing of the previous instance left in them, limits with clear errors.
@Suite struct PoolingAllocatorTests {
    static let strategies: [Config.Strategy] = [.jit, .interpreter]

    static let program = """
        (module
          (memory (export "memory") 1 4)
          (data (i32.const 16) "\\2a")
          (func (export "scribble") (param i32)
            (i32.store (i32.const 1000) (local.get 0))
            (drop (memory.grow (i32.const 1)))
            (i32.store (i32.const 70000) (local.get 0)))
          (func (export "peek") (param i32) (result i32) (i32.load (local.get 0)))
          (func (export "pages") (result i32) (memory.size)))
        """

    static func engine(_ strategy: Config.Strategy, memories: Int = 1, maxMemorySize: UInt64 = 1 << 32,
                       boundsChecks: Config.BoundsChecks = .guardPages, keepResident: Int = 0) throws -> Engine {
        var config = Config(strategy: strategy)
        config.boundsChecks = boundsChecks
        config.allocationStrategy = .pooling(PoolingAllocationConfig(totalMemories: memories, maxMemorySize: maxMemorySize,
                                                                     linearMemoryKeepResident: keepResident))
        return try Engine(config)
    }

    /// One instance in a fresh store: its memory's base address and what `body` returns.
    static func withInstance<R>(_ engine: Engine, _ module: Module,
                                _ body: (Store<Void>, Instance) throws -> R) throws -> (base: UInt, result: R) {
        let store = Store(engine, data: ())
        let instance = try Instance(store, module, imports: [])
        let base = UInt(bitPattern: instance.getMemory(store, "memory")!.instance.definition.pointee.base)
        return (base, try body(store, instance))
    }

    /// Every bounds-check mode, and slots reset by system call (keep resident 0), by memory
    /// fill (1 MiB: more than the two pages used) and by both (one page filled, one dropped).
    @Test(arguments: strategies, [(Config.BoundsChecks.guardPages, 0), (.explicit, 0), (.guardPages, 1 << 20),
                                  (.explicit, 1 << 20), (.guardPages, 65_536)])
    func theNextInstanceSeesNothingOfThePrevious(_ strategy: Config.Strategy, _ mode: (Config.BoundsChecks, Int)) throws {
        let engine = try Self.engine(strategy, boundsChecks: mode.0, keepResident: mode.1)
        let module = try Module(engine, wat: Self.program)
        let first = try Self.withInstance(engine, module) { store, instance in
            try instance.getFunc(store, "scribble")!.call(store, [.i32(0x5EC2E7)])
            return try instance.getFunc(store, "peek")!.call(store, [.i32(70000)]).first?.i32
        }
        #expect(first.result == 0x5EC2E7)
        for _ in 0..<3 {
            let next = try Self.withInstance(engine, module) { store, instance in
                let peek = instance.getFunc(store, "peek")!
                let pages = try instance.getFunc(store, "pages")!.call(store, []).first?.i32
                let scribbled = try peek.call(store, [.i32(1000)]).first?.i32
                let data = try peek.call(store, [.i32(16)]).first?.i32
                // The page the previous instance grew is gone: reading it traps.
                let beyond = Result { try peek.call(store, [.i32(70000)]) }
                return (pages, scribbled, data, beyond)
            }
            #expect(next.base == first.base, "the slot is reused")
            #expect(next.result.0 == 1)
            #expect(next.result.1 == 0)
            #expect(next.result.2 == 42)
            #expect(throws: Trap.self) { try next.result.3.get() }
        }
    }

    @Test func runningOutOfSlotsIsAnErrorUntilOneIsFree() throws {
        let engine = try Self.engine(.jit, memories: 2)
        let module = try Module(engine, wat: Self.program)
        let a = Store(engine, data: ())
        var b: Store<Void>? = Store(engine, data: ())
        _ = try Instance(a, module, imports: [])
        _ = try Instance(b!, module, imports: [])
        let error = #expect(throws: KilnError.self) { try Instance(Store(engine, data: ()), module, imports: []) }
        #expect("\(error!)".contains("2 memory slots are all in use (PoolingAllocationConfig.totalMemories)"))
        // A store dropped gives its slot back.
        b = nil
        _ = try Self.withInstance(engine, module) { _, _ in () }
        #expect(engine.memoryPool!.occupancy.reserved == 2)
        withExtendedLifetime(a) {}
    }

    @Test(arguments: strategies) func theSlotSizeLimitsMemories(_ strategy: Config.Strategy) throws {
        let engine = try Self.engine(strategy, maxMemorySize: 2 * 65_536)
        let tooLarge = try Module(engine, wat: "(module (memory 3))")
        let error = #expect(throws: KilnError.self) { try Instance(Store(engine, data: ()), tooLarge, imports: []) }
        #expect("\(error!)".contains("maxMemorySize"))
        let module = try Module(engine, wat: Self.program)
        let grown = try Self.withInstance(engine, module) { store, instance -> [Int32?] in
            let memory = instance.getMemory(store, "memory")!
            return [try memory.grow(store, by: 1), (try? memory.grow(store, by: 1))].map { $0.map { Int32($0) } }
        }
        #expect(grown.result == [1, nil])
    }

    /// 64-bit memories are not pooled; they work beside pooled ones.
    @Test func memory64IsAllocatedOnDemand() throws {
        let engine = try Self.engine(.jit, memories: 1)
        let module = try Module(engine, wat: """
            (module (memory i64 1) (memory 1)
              (func (export "f") (result i32) (i32.store (i64.const 8) (i32.const 5)) (i32.load (i64.const 8))))
            """)
        let store = Store(engine, data: ())
        let instance = try Instance(store, module, imports: [])
        #expect(try instance.getFunc(store, "f")!.call(store, []).first?.i32 == 5)
        #expect(engine.memoryPool!.occupancy == (1, 0))
    }

    /// Stores on several threads share the engine's pool.
    @Test func storesOnSeveralThreadsShareThePool() throws {
        let engine = try Self.engine(.jit, memories: 4)
        let module = try Module(engine, wat: Self.program)
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for round in 0..<50 {
                do {
                    let seen = try Self.withInstance(engine, module) { store, instance -> Int32? in
                        let value = Int32(thread * 1000 + round)
                        try instance.getFunc(store, "scribble")!.call(store, [.i32(value)])
                        let before = try instance.getFunc(store, "peek")!.call(store, [.i32(1000)]).first?.i32
                        return before == value ? 0 : 1
                    }
                    if seen.result != 0 { failures.withLock { $0 += 1 } }
                } catch {
                    failures.withLock { $0 += 1 }
                }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        #expect(engine.memoryPool!.occupancy.reserved <= 4)
    }
}
