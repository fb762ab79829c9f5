import Foundation
import Testing
import Kiln

/// Fuel and epoch interruption under both engines.
@Suite struct InterruptionTests {
    static let strategies: [Config.Strategy] = [.jit, .interpreter]

    static let wat = """
        (module
          (import "host" "fuel" (func $fuel (result i64)))
          (func (export "spin") (loop $l (br $l)))
          (func (export "count") (param $n i32) (result i32) (local $i i32)
            (block $done (loop $next
              (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $next)))
            (local.get $i))
          (func (export "fuelSeenByHost") (result i64) (nop) (drop (i32.const 1)) (call $fuel)))
        """

    static func setUp(_ strategy: Config.Strategy, fuel: Bool = false, epochs: Bool = false) throws -> (Store<Void>, Instance) {
        var config = Config(strategy: strategy)
        config.consumeFuel = fuel
        config.epochInterruption = epochs
        let engine = try Engine(config)
        let store = Store(engine)
        let linker = Linker<Void>(engine)
        try linker.funcWrap("host", "fuel") { (caller: Caller<Void>) -> Int64 in Int64(caller.fuelConsumed ?? 0) }
        return (store, try linker.instantiate(store, try Module(engine, wat: wat)))
    }

    @Test(arguments: strategies) func anInfiniteLoopRunsOutOfFuel(_ strategy: Config.Strategy) throws {
        let (store, instance) = try Self.setUp(strategy, fuel: true)
        try store.addFuel(10_000)
        let spin = try instance.getTypedFunc(store, "spin", Void.self, Void.self)
        do {
            try spin.call(store)
            Issue.record("expected a trap")
        } catch let trap as Trap {
            #expect(trap.code == .outOfFuel)
            #expect(trap.message == "all fuel consumed")
        }
        // One `br` per iteration, checked at the loop header: it stops right after the
        // fuel is gone.
        #expect(store.fuelConsumed == 10_000)
        try store.addFuel(5)
        #expect(throws: Trap.self) { try spin.call(store) }
        #expect(store.fuelConsumed == 10_005)
    }

    @Test(arguments: strategies) func fuelIsCountedAsDocumented(_ strategy: Config.Strategy) throws {
        let (store, instance) = try Self.setUp(strategy, fuel: true)
        try store.addFuel(1_000_000)
        let count = try instance.getTypedFunc(store, "count", (Int32).self, Int32.self)
        #expect(try count.call(store, 10) == 10)
        // Per iteration: local.get ×2, i32.ge_u, br_if, local.get, i32.const, i32.add,
        // local.set, br = 9; the last test costs 4 more (local.get ×2, i32.ge_u, br_if),
        // then local.get after the block: 10 × 9 + 4 + 1.
        #expect(store.fuelConsumed == 95)
        // The host sees what was charged up to its call: nop and drop are free,
        // i32.const and the call cost 1 each.
        let seen = try instance.getTypedFunc(store, "fuelSeenByHost", Void.self, Int64.self).call(store)
        #expect(seen == 95 + 2)
        #expect(try store.consumeFuel(3) == 1_000_000 - 97 - 3)
        #expect(throws: KilnError.self) { try store.consumeFuel(10_000_000) }
        #expect(store.fuelConsumed == 100)
    }

    /// After a trap, both engines report the same fuel: charges are made where runs start,
    /// and machine code's fuel register reaches the store on every kind of trap.
    @Test func fuelAfterTrapsIsTheSameInBothEngines() throws {
        let wat = """
            (module (memory 1)
              (func (export "oob") (param i32) (result i32)
                (i32.add (i32.const 1) (i32.load (i32.add (local.get 0) (i32.const 65536)))))
              (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 7) (local.get 0)))
              (func (export "deep") (param i32) (result i32)
                (if (result i32) (local.get 0)
                  (then (i32.add (i32.const 1) (call 2 (i32.sub (local.get 0) (i32.const 1)))))
                  (else (unreachable)))))
            """
        var seen: [String: [UInt64]] = [:]
        for strategy in Self.strategies {
            var config = Config(strategy: strategy)
            config.consumeFuel = true
            let engine = try Engine(config)
            let store = Store(engine)
            try store.addFuel(1_000_000)
            let instance = try Linker<Void>(engine).instantiate(store, try Module(engine, wat: wat))
            for name in ["oob", "div", "deep"] {
                let f = try instance.getTypedFunc(store, name, (Int32).self, Int32.self)
                #expect(throws: Trap.self) { try f.call(store, name == "deep" ? 50 : 0) }
                seen[name, default: []].append(store.fuelConsumed!)
            }
        }
        for (name, values) in seen { #expect(values[0] == values[1], "\(name): \(values)") }
    }

    @Test(arguments: strategies) func fuelNeedsTheConfig(_ strategy: Config.Strategy) throws {
        let (store, _) = try Self.setUp(strategy)
        #expect(store.fuelConsumed == nil)
        #expect(throws: KilnError.self) { try store.addFuel(1) }
    }

    /// An infinite loop stops within 10 ms of `incrementEpoch()` from another thread.
    @Test(arguments: strategies) func anotherThreadInterruptsAnInfiniteLoop(_ strategy: Config.Strategy) throws {
        let (store, instance) = try Self.setUp(strategy, epochs: true)
        store.setEpochDeadline(1)
        let spin = try instance.getTypedFunc(store, "spin", Void.self, Void.self)
        let engine = store.engine
        let incremented = LockedTime()
        let thread = Thread {
            Thread.sleep(forTimeInterval: 0.05)
            incremented.set(ContinuousClock.now)
            engine.incrementEpoch()
        }
        thread.start()
        do {
            try spin.call(store)
            Issue.record("expected an interrupt")
        } catch let trap as Trap {
            let stopped = ContinuousClock.now
            #expect(trap.code == .interrupt)
            let latency = incremented.get()!.duration(to: stopped)
            #expect(latency < .milliseconds(10), "stopped \(latency) after the increment")
        }
        // A new deadline lets it run again (and the next increment stops it again).
        store.setEpochDeadline(1)
        let count = try instance.getTypedFunc(store, "count", (Int32).self, Int32.self)
        #expect(try count.call(store, 1000) == 1000)
    }

    final class LockedTime: @unchecked Sendable {
        private let lock = NSLock()
        private var value: ContinuousClock.Instant?
        func set(_ instant: ContinuousClock.Instant) { lock.withLock { value = instant } }
        func get() -> ContinuousClock.Instant? { lock.withLock { value } }
    }
}
