import CKilnShims

/// The type-erased part of a `Store`: everything wasm can reach, owned in one place.
///
/// Instances, host functions, memories, tables and globals all live as long as the store
/// that created them (or longer, while the embedder holds a handle to them). Machine code
/// and the interpreter reach the store through the VMContext's store pointer.
public final class StoreContext {
    let engine: Engine
    /// The `Store<T>` that owns this context, handed to host functions as their `Caller`.
    /// Unretained: the store owns the context, and wasm only runs while a store is passed in.
    unowned(unsafe) var owner: AnyObject

    var instances: [InstanceHandle] = []
    var hostFunctions: [HostFunction] = []
    /// Memories, tables and globals the embedder created directly.
    var hostObjects: [AnyObject] = []
    var limits = StoreLimits()

    /// State machine code reads through the VMContext: the stack limit, fuel, epochs.
    let runtime: UnsafeMutablePointer<KilnStoreRuntime> = {
        let runtime = UnsafeMutablePointer<KilnStoreRuntime>.allocate(capacity: 1)
        runtime.initialize(to: KilnStoreRuntime())
        return runtime
    }()
    /// The engine's `maxWasmStack`, kept here for the entry path.
    let maxWasmStack: Int
    /// The error a host function called from machine code threw, until the trap reports it.
    var pendingError: (any Error)?

    /// The activations table's chunk (see `KilnStoreRuntime.activationsNext`).
    let activations: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    static let activationsCapacity = 4096
    /// All fuel ever added (`fuelConsumed` is this minus what remains).
    var fuelAdded: UInt64 = 0
    /// Set while a `callAsync` runs on a fiber.
    var asyncCall: AsyncCall?
    /// How many times `callAsync`s yielded to other tasks (fuel and epoch yields).
    var asyncYields = 0
    /// `outOfFuelAsyncYield`: nil means running out of fuel traps.
    var fuelYield: FuelYieldPolicy?
    /// `epochDeadlineAsyncYieldAndUpdate`: nil means reaching the deadline traps.
    var epochYieldDelta: UInt64?
    /// Extern references the last collection found in wasm frames, one count each.
    var preciseRoots: [UnsafeMutableRawPointer] = []

    deinit {
        releaseActivations()
        for root in preciseRoots { ExternCounts.release(root) }
        activations.deallocate()
        runtime.deallocate()
    }

    private var _interpreterStack: InterpreterStack?
    /// The interpreter's value and frame stacks, made on first use.
    var interpreterStack: InterpreterStack {
        if let stack = _interpreterStack { return stack }
        let stack = InterpreterStack(maxWasmStack: engine.config.maxWasmStack)
        _interpreterStack = stack
        return stack
    }

    init(engine: Engine, owner: AnyObject) {
        self.engine = engine
        self.owner = owner
        self.maxWasmStack = engine.config.maxWasmStack
        activations = .allocate(capacity: StoreContext.activationsCapacity)
        runtime.pointee.activationsNext = UnsafeMutableRawPointer(activations).assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
        runtime.pointee.activationsEnd = runtime.pointee.activationsNext + StoreContext.activationsCapacity
        runtime.pointee.fuelInRegister = engine.config.consumeFuel && engine.config.strategy == .jit ? 1 : 0
    }

    /// Roots `raw`, an extern reference entering wasm frames (an argument, a host function's
    /// result, a `table.get` or `global.get`), until the next collection. A full table
    /// collects first.
    func enterWasm(_ raw: UnsafeMutablePointer<KilnExternData>) {
        if runtime.pointee.activationsNext == runtime.pointee.activationsEnd { collect() }
        kiln_externref_retain(raw)
        runtime.pointee.activationsNext.pointee = UnsafeMutableRawPointer(raw)
        runtime.pointee.activationsNext += 1
    }

    /// Makes room for `count` more `enterWasm`s that will not collect (collecting now if
    /// needed): for values written into frames where no stack map names them yet.
    func reserveActivations(_ count: Int) {
        if runtime.pointee.activationsEnd - runtime.pointee.activationsNext < count { collect() }
    }

    func enterWasm(_ raw: UnsafeMutableRawPointer?) {
        if let raw { enterWasm(raw.assumingMemoryBound(to: KilnExternData.self)) }
    }

    /// Drops the counts the activations table holds and empties it.
    private func releaseActivations() {
        let start = UnsafeMutableRawPointer(activations).assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
        var entry = start
        while entry < runtime.pointee.activationsNext {
            ExternCounts.release(entry.pointee)
            entry += 1
        }
        runtime.pointee.activationsNext = start
    }

    /// Collects the extern references that only the activations table keeps: the live
    /// ones are those the stack maps of the wasm frames on the stack name (machine-code
    /// frames below each exit, and the interpreter's frames). They become the new precise
    /// roots; every other count the table held is dropped.
    func collect() {
        var live = Set<UnsafeMutableRawPointer>()
        var exit = runtime.pointee.exits
        while let current = exit {
            MachineCode.collectRoots(fp: current.pointee.fp, pc: current.pointee.pc, store: self, into: &live)
            exit = current.pointee.previous
        }
        if let stack = _interpreterStack {
            Interpreter.collectRoots(stack, into: &live)
        }
        for root in live { ExternCounts.retain(root) }
        releaseActivations()
        for root in preciseRoots { ExternCounts.release(root) }
        preciseRoots = Array(live)
    }

    /// Lists an exit of wasm frames (recorded by machine code in `vmctx`) while `body` runs,
    /// so that a collection during `body` finds the frames.
    func withExit<R>(from vmctx: UnsafeMutableRawPointer, _ body: () throws -> R) rethrows -> R {
        var exit = KilnExit(fp: vmctx.load(fromByteOffset: VMContextLayout.exitFramePointerOffset, as: UInt.self),
                            pc: vmctx.load(fromByteOffset: VMContextLayout.exitReturnAddressOffset, as: UInt.self),
                            previous: runtime.pointee.exits)
        return try withUnsafeMutablePointer(to: &exit) { pointer in
            runtime.pointee.exits = pointer
            defer { runtime.pointee.exits = pointer.pointee.previous }
            return try body()
        }
    }
}

/// Limits a store puts on what wasm may allocate.
public struct StoreLimits: Sendable {
    /// Largest size of any one linear memory, in bytes.
    public var maxMemoryBytes: UInt64 = .max
    /// Largest number of elements of any one table.
    public var maxTableElements: UInt64 = .max
    /// Largest number of instances in the store.
    public var maxInstances: Int = 10_000

    public init() {}
}

/// Something that gives access to a store: the `Store` itself, or the `Caller` a host
/// function receives.
public protocol AsContext {
    var storeContext: StoreContext { get }
}

// MARK: Fuel and epochs

extension StoreContext {
    var fuelEnabled: Bool { engine.config.consumeFuel }

    /// Fuel left; negative after a straight-line run overdrew it.
    var fuelRemaining: Int64 {
        get { runtime.pointee.fuel }
        set { runtime.pointee.fuel = newValue }
    }

    /// Sets the epoch deadline, in the store and in every instance's VMContext copy.
    func setEpochDeadline(_ deadline: UInt64) {
        runtime.pointee.epochDeadline = deadline
        for instance in instances {
            instance.vmctx.storeBytes(of: deadline, toByteOffset: VMContextLayout.epochDeadlineOffset, as: UInt64.self)
        }
    }
}

extension AsContext {
    /// Fuel consumed since the store was made, or nil when `Config.consumeFuel` is off.
    public var fuelConsumed: UInt64? {
        let store = storeContext
        guard store.fuelEnabled else { return nil }
        return UInt64(clamping: Int64(clamping: store.fuelAdded) &- store.fuelRemaining)
    }

    /// Adds fuel for wasm to consume.
    public func addFuel(_ fuel: UInt64) throws {
        let store = storeContext
        guard store.fuelEnabled else { throw KilnError("fuel is not enabled: set Config.consumeFuel") }
        store.fuelAdded &+= fuel
        store.fuelRemaining = Int64(clamping: Int128(store.fuelRemaining) + Int128(fuel))
    }

    /// Takes `fuel` away (as if wasm had consumed it) and returns what remains; throws,
    /// taking nothing, when less than `fuel` remains.
    @discardableResult
    public func consumeFuel(_ fuel: UInt64) throws -> UInt64 {
        let store = storeContext
        guard store.fuelEnabled else { throw KilnError("fuel is not enabled: set Config.consumeFuel") }
        let remaining = max(store.fuelRemaining, 0)
        guard UInt64(remaining) >= fuel else { throw KilnError("not enough fuel: \(remaining) left, \(fuel) asked") }
        store.fuelRemaining = remaining - Int64(fuel)
        return UInt64(store.fuelRemaining)
    }

    /// Running out of fuel traps with "all fuel consumed" (the default).
    public func outOfFuelTrap() {
        storeContext.fuelYield = nil
    }

    /// Inside `callAsync`, running out of fuel yields to other tasks and then adds
    /// `fuelToInject`, up to `injectionCount` times; then it traps. (Synchronous calls trap.)
    public func outOfFuelAsyncYield(injectionCount: UInt64, fuelToInject: UInt64) {
        storeContext.fuelYield = FuelYieldPolicy(remaining: injectionCount, fuelToInject: fuelToInject)
    }

    /// Makes the epoch deadline `ticksBeyondCurrent` increments of `Engine.incrementEpoch`
    /// from now; reaching it traps with "interrupt" (with `Config.epochInterruption`).
    public func setEpochDeadline(_ ticksBeyondCurrent: UInt64) {
        let store = storeContext
        store.setEpochDeadline(store.engine.currentEpoch &+ ticksBeyondCurrent)
    }

    /// Reaching the epoch deadline traps with "interrupt" (the default).
    public func epochDeadlineTrap() {
        storeContext.epochYieldDelta = nil
    }

    /// Inside `callAsync`, reaching the epoch deadline yields to other tasks and then moves
    /// the deadline `delta` ticks past the current epoch. (Synchronous calls trap.)
    public func epochDeadlineAsyncYieldAndUpdate(_ delta: UInt64) {
        storeContext.epochYieldDelta = delta
    }
}

extension StoreContext: AsContext {
    public var storeContext: StoreContext { self }
}
