/// Owns everything wasm creates and runs with: instances, memories, tables, globals,
/// host functions. `T` is the embedder's own data, reachable from host functions.
public final class Store<T>: AsContext {
    @usableFromInline let context: StoreContext
    public var data: T
    public let engine: Engine

    public init(_ engine: Engine, data: T) {
        self.engine = engine
        self.data = data
        self.context = StoreContext(engine: engine, owner: DummyOwner.shared)
        self.context.owner = self
    }

    @inlinable public var storeContext: StoreContext { context }

    /// Limits on what wasm may allocate in this store.
    public var limiter: StoreLimits {
        get { context.limits }
        set { context.limits = newValue }
    }

    /// Collects extern references that wasm no longer holds.
    public func gc() {
        context.gc()
    }
}

/// Placeholder owner while a `Store` finishes initializing.
private final class DummyOwner {
    nonisolated(unsafe) static let shared = DummyOwner()
}

extension Store where T == Void {
    public convenience init(_ engine: Engine) {
        self.init(engine, data: ())
    }
}

/// What a host function sees of its call: the store (and its data) and the calling instance.
/// Valid only during the call.
///
/// It holds the store unretained: a host call costs no reference counting, and a `Caller`
/// kept past the call it was handed to must not be used.
public struct Caller<T>: AsContext {
    unowned(unsafe) let store: Store<T>
    let context: CallerContext

    @usableFromInline
    init(_ context: CallerContext) {
        self.store = unsafeDowncast(context.store.owner, to: Store<T>.self)
        self.context = context
    }

    var instance: InstanceHandle? { context.instance }

    public var storeContext: StoreContext { store.context }

    /// The store's data.
    public var data: T {
        get { store.data }
        nonmutating set { store.data = newValue }
    }

    public var engine: Engine { store.engine }

    /// An export of the calling instance.
    public func getExport(_ name: String) -> Extern? {
        instance.flatMap { Instance(handle: $0).getExport(name) }
    }

    public func gc() { store.gc() }
}

extension StoreContext {
    func gc() { collect() }
}
