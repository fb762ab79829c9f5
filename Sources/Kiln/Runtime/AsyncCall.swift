import CKilnShims

/// One `callAsync` in progress: the wasm call runs on a fiber (a native stack of its own),
/// so that it can stop in the middle — out of fuel, past the epoch deadline, or calling an
/// async host function — while the Swift task awaits, and continue afterwards.
///
/// The driver (`StoreContext.runAsync`) resumes the fiber; code on the fiber (the runtime,
/// never wasm frames directly) calls `suspend` with what it waits for. No Swift frame is
/// ever unwound by a jump: the fiber's entry returns normally when the call is over.
final class AsyncCall {
    /// What suspended code waits for.
    enum Request {
        /// A chance for other tasks to run (fuel or epoch yields).
        case yield
        /// Async host work, run by the driver in its task.
        case host(() async -> Void)
    }

    private var fiber: OpaquePointer?
    private let body: () throws -> Void
    private(set) var error: (any Error)?
    var request: Request = .yield
    /// Set by the driver when its task was cancelled: the suspended code fails.
    var cancelled = false
    /// How many times the call yielded (fuel and epoch), for tests and diagnostics.
    private(set) var yields = 0

    init(stackSize: Int, _ body: @escaping () throws -> Void) throws {
        self.body = body
        let start: @convention(c) (UnsafeMutableRawPointer?) -> Void = { argument in
            let call = Unmanaged<AsyncCall>.fromOpaque(argument!).takeUnretainedValue()
            do { try call.body() } catch { call.error = error }
        }
        guard let fiber = kiln_fiber_create(stackSize, start, Unmanaged.passUnretained(self).toOpaque()) else {
            throw KilnError("callAsync: cannot make a fiber stack of \(stackSize) bytes (or fibers are unsupported on this host)")
        }
        self.fiber = fiber
    }

    deinit { kiln_fiber_free(fiber) }

    /// Runs the fiber until it suspends (false) or the call is over (true).
    func resume() -> Bool {
        kiln_fiber_resume(fiber) != 0
    }

    /// From code on the fiber: waits for `request` to be served by the driver. Throws when
    /// the task was cancelled meanwhile.
    func suspend(_ request: Request) throws {
        self.request = request
        if case .yield = request { yields += 1 }
        kiln_fiber_suspend()
        if cancelled {
            var trap = Trap("call cancelled")
            trap.hostError = CancellationError()
            throw trap
        }
    }
}

extension StoreContext {
    /// Runs `body` (a synchronous wasm call) on a fiber, serving its suspensions.
    func runAsync<R>(_ body: @escaping () throws -> R) async throws -> R {
        guard asyncCall == nil else { throw KilnError("a callAsync is already running in this store") }
        var result: R?
        let call = try AsyncCall(stackSize: maxWasmStack + 1024 * 1024) { result = try body() }
        asyncCall = call
        defer { asyncCall = nil }
        while !call.resume() {
            switch call.request {
            case .yield:
                asyncYields += 1
                await Task.yield()
            case .host(let work): await work()
            }
            if Task.isCancelled { call.cancelled = true }
        }
        if let error = call.error { throw error }
        return result!
    }

    /// Fuel ran out (`fuel <= 0` at a check). Inside `callAsync` with
    /// `outOfFuelAsyncYield`, yields and refuels while injections remain; otherwise traps.
    func outOfFuel() throws {
        if let call = asyncCall, let policy = fuelYield, policy.remaining > 0 {
            fuelYield!.remaining -= 1
            try call.suspend(.yield)
            fuelAdded &+= policy.fuelToInject
            fuelRemaining = Int64(clamping: Int128(fuelRemaining) + Int128(policy.fuelToInject))
            return
        }
        throw Trap(.outOfFuel)
    }

    /// The epoch reached the deadline. Inside `callAsync` with
    /// `epochDeadlineAsyncYieldAndUpdate`, yields and moves the deadline; otherwise traps.
    func epochDeadlineReached() throws {
        if let call = asyncCall, let delta = epochYieldDelta {
            try call.suspend(.yield)
            setEpochDeadline(engine.currentEpoch &+ delta)
            return
        }
        throw Trap(.interrupt)
    }
}

/// How `callAsync` handles running out of fuel (see `outOfFuelAsyncYield`).
struct FuelYieldPolicy {
    var remaining: UInt64
    var fuelToInject: UInt64
}
