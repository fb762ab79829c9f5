import CKilnShims
import Foundation
import Testing
@testable import Kiln

/// `callAsync`: wasm on a fiber, suspended for async host functions, fuel and epoch yields,
/// and cancellation.
@Suite struct AsyncCallTests {
    static let strategies: [Config.Strategy] = [.jit, .interpreter]

    static let wat = """
        (module
          (import "host" "sleepy" (func $sleepy (param i32) (result i32)))
          (func (export "spin") (loop $l (br $l)))
          (func $down (export "down") (param i32) (result i32) (i32.add (call $down (local.get 0)) (i32.const 1)))
          (func (export "count") (param $n i32) (result i32) (local $i i32)
            (block $done (loop $next
              (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $next)))
            (local.get $i))
          (func (export "sleepTwice") (param i32) (result i32)
            (i32.add (call $sleepy (local.get 0)) (call $sleepy (i32.add (local.get 0) (i32.const 1))))))
        """

    static func setUp(_ strategy: Config.Strategy, fuel: Bool = false, epochs: Bool = false) throws -> (Store<Int>, Instance) {
        var config = Config(strategy: strategy)
        config.consumeFuel = fuel
        config.epochInterruption = epochs
        let engine = try Engine(config)
        let store = Store(engine, data: 0)
        let linker = Linker<Int>(engine)
        try linker.funcWrapAsync("host", "sleepy") { (caller: Caller<Int>, x: Int32) async throws -> Int32 in
            try await Task.sleep(for: .milliseconds(5))
            caller.data += 1
            return x * 10
        }
        return (store, try linker.instantiate(store, try Module(engine, wat: wat)))
    }

    @Test(arguments: strategies) func asyncHostFunctionsAwaitInsideWasm(_ strategy: Config.Strategy) async throws {
        let (store, instance) = try Self.setUp(strategy)
        let f = try instance.getTypedFunc(store, "sleepTwice", (Int32).self, Int32.self)
        #expect(try await f.callAsync(store, 4) == 90)
        #expect(store.data == 2)
        // Outside callAsync an async host function cannot run: a trap, not a hang.
        #expect(throws: Trap.self) { try f.call(store, 1) }
        // The untyped form too.
        let g = instance.getFunc(store, "sleepTwice")!
        let results = try await g.callAsync(store, [.i32(1)])
        guard case .i32(30)? = results.first else { Issue.record("got \(results)"); return }
    }

    @Test(arguments: strategies) func fuelYieldsExactlyInjectionCountTimes(_ strategy: Config.Strategy) async throws {
        let (store, instance) = try Self.setUp(strategy, fuel: true)
        try store.addFuel(1000)
        store.outOfFuelAsyncYield(injectionCount: 5, fuelToInject: 1000)
        let spin = try instance.getTypedFunc(store, "spin", Void.self, Void.self)
        do {
            try await spin.callAsync(store)
            Issue.record("expected a trap")
        } catch let trap as Trap {
            #expect(trap.code == .outOfFuel)
        }
        #expect(store.storeContext.asyncYields == 5)
        #expect(store.fuelConsumed == 6000)
        // A synchronous call does not yield: it traps.
        try store.addFuel(10)
        #expect(throws: Trap.self) { try spin.call(store) }
    }

    @Test(arguments: strategies) func epochDeadlinesYieldAndMoveOn(_ strategy: Config.Strategy) async throws {
        let (store, instance) = try Self.setUp(strategy, epochs: true)
        store.epochDeadlineAsyncYieldAndUpdate(1)
        let engine = store.engine
        let ticker = Thread {
            while !Thread.current.isCancelled {
                engine.incrementEpoch()
                Thread.sleep(forTimeInterval: 0.0005)
            }
        }
        ticker.start()
        defer { ticker.cancel() }
        while engine.currentEpoch < 2 { try await Task.sleep(for: .milliseconds(1)) }
        store.setEpochDeadline(1)
        // Long enough to cross many ticks (the JIT runs a loop iteration in about a
        // nanosecond, the debug-built interpreter in tens).
        let n: Int32 = strategy == .jit ? 400_000_000 : 5_000_000
        let count = try instance.getTypedFunc(store, "count", (Int32).self, Int32.self)
        #expect(try await count.callAsync(store, n) == n)
        #expect(store.storeContext.asyncYields > 0)
    }

    @Test(arguments: strategies) func cancellingTheTaskTrapsTheWasm(_ strategy: Config.Strategy) async throws {
        let (store, instance) = try Self.setUp(strategy, fuel: true)
        try store.addFuel(10_000)
        store.outOfFuelAsyncYield(injectionCount: .max, fuelToInject: 10_000)
        let spin = try instance.getTypedFunc(store, "spin", Void.self, Void.self)
        let box = UncheckedBox((store, spin))
        let task = Task {
            let (store, spin) = box.value
            try await spin.callAsync(store)
        }
        try await Task.sleep(for: .milliseconds(20))
        task.cancel()
        do {
            try await task.value
            Issue.record("expected a trap")
        } catch let trap as Trap {
            #expect(trap.hostError is CancellationError)
        }
        // The store is usable afterwards.
        store.outOfFuelTrap()
        try store.addFuel(1000)
        let count = try instance.getTypedFunc(store, "count", (Int32).self, Int32.self)
        #expect(try count.call(store, 10) == 10)
    }

    @Test(arguments: strategies) func stackOverflowOnAFiberIsATrap(_ strategy: Config.Strategy) async throws {
        let (store, instance) = try Self.setUp(strategy)
        let down = try instance.getTypedFunc(store, "down", (Int32).self, Int32.self)
        do {
            _ = try await down.callAsync(store, 1)
            Issue.record("expected a trap")
        } catch let trap as Trap {
            #expect(trap.code == .stackOverflow)
        }
        #expect(try await instance.getTypedFunc(store, "count", (Int32).self, Int32.self).callAsync(store, Int32(7)) == 7)
    }

    /// The task driving a `callAsync` may resume the fiber on another thread than the one
    /// it suspended on. Leaving machine code must then restore the activation of the thread
    /// it leaves on, not write into the first thread's (an AArch64 build kept the first
    /// thread's TLS address in a register across the call and cleared the activation of
    /// whatever that thread ran next: a trap there aborted the process). Here thread A
    /// starts the call, which suspends for fuel, then stands in an activation of its own
    /// (a marker, never entered); thread B finishes the call, by a return and by a trap.
    @Test(arguments: strategies) func aFiberResumedOnAnotherThreadLeavesTheFirstThreadsActivation(_ strategy: Config.Strategy) throws {
        for (name, argument) in [("count", Int32(2_000)), ("spin", 0)] {
            let (store, instance) = try Self.setUp(strategy, fuel: true)
            try store.addFuel(500)
            store.outOfFuelAsyncYield(injectionCount: 1, fuelToInject: 1_000_000)
            let function = instance.getFunc(store, name)!
            let context = store.storeContext
            let call = try AsyncCall(stackSize: context.maxWasmStack + 1024 * 1024) {
                _ = try function.call(store, name == "count" ? [.i32(argument)] : [])
            }
            context.asyncCall = call
            defer { context.asyncCall = nil }

            let marker: UInt = 0x5A5A_0000
            let standing = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
            let observed = UncheckedBox(ResultBox())
            let box = UncheckedBox(call)
            Thread {
                observed.value.suspendedFirst = !box.value.resume()
                let outer = kiln_swap_activation(UnsafeMutableRawPointer(bitPattern: marker))
                standing.signal()
                finished.wait()
                observed.value.seen = UInt(bitPattern: kiln_swap_activation(outer))
                done.signal()
            }.start()
            Thread {
                standing.wait()
                observed.value.endedSecond = box.value.resume()
                finished.signal()
            }.start()
            done.wait()
            #expect(observed.value.suspendedFirst, "\(name): the call should suspend for fuel on the first thread")
            #expect(observed.value.endedSecond, "\(name): the call should end on the second thread")
            #expect(observed.value.seen == marker, "\(name): the first thread's activation was overwritten")
            if name == "count" {
                #expect(call.error == nil)
            } else {
                #expect((call.error as? Trap)?.code == .outOfFuel)
            }
        }
    }

    final class ResultBox {
        var suspendedFirst = false
        var endedSecond = false
        var seen: UInt = 0
    }

    struct UncheckedBox<T>: @unchecked Sendable {
        let value: T
        init(_ value: T) { self.value = value }
    }
}
