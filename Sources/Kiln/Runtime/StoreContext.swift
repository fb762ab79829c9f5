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
    /// Extern references handed to wasm: kept alive while the store may hold their raw form.
    var externRoots: [ExternRef] = []
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

    deinit { runtime.deallocate() }

    /// The interpreter's value and frame stacks, made on first use.
    lazy var interpreterStack = InterpreterStack(maxWasmStack: engine.config.maxWasmStack)

    init(engine: Engine, owner: AnyObject) {
        self.engine = engine
        self.owner = owner
        self.maxWasmStack = engine.config.maxWasmStack
    }

    /// Keeps `reference` alive for as long as wasm may hold its raw form.
    func root(_ reference: ExternRef) {
        externRoots.append(reference)
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
