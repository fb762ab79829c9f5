/// A table of references.
public final class Table: StoreOwned {
    let store: StoreContext
    let instance: TableInstance

    init(store: StoreContext, instance: TableInstance) {
        self.store = store
        self.instance = instance
    }

    /// Creates a table owned by the store, every element set to `initial`.
    public convenience init(_ store: some AsContext, type: TableType, initial: Val) throws {
        let context = store.storeContext
        guard initial.matches(type.elementType) else { throw KilnError("initial value is \(initial.type), table holds \(type.elementType)") }
        let instance = try TableInstance(type: type, initial: try initial.raw(in: context).funcref,
                                         elementLimit: context.limits.maxTableElements)
        context.hostObjects.append(instance)
        self.init(store: context, instance: instance)
    }

    public func type(_ store: some AsContext) -> TableType { instance.type }

    public func size(_ store: some AsContext) -> UInt64 { instance.length }

    public func get(_ store: some AsContext, _ index: UInt64) -> Val? {
        guard case .some(let raw) = instance.get(index) else { return nil }
        return Val(raw: ValRaw(lo: UInt64(UInt(bitPattern: raw))), type: instance.type.elementType, store: self.store)
    }

    public func set(_ store: some AsContext, _ index: UInt64, _ value: Val) throws {
        let context = store.storeContext
        try checkStore(context)
        guard value.matches(instance.type.elementType) else { throw KilnError("value is \(value.type), table holds \(instance.type.elementType)") }
        guard instance.set(index, try value.raw(in: context).funcref) else { throw Trap(.tableOutOfBounds) }
    }

    @discardableResult
    public func grow(_ store: some AsContext, by delta: UInt64, initial: Val) throws -> UInt64 {
        let context = store.storeContext
        try checkStore(context)
        guard initial.matches(instance.type.elementType) else { throw KilnError("initial value is \(initial.type), table holds \(instance.type.elementType)") }
        guard let old = instance.grow(by: delta, initial: try initial.raw(in: context).funcref) else {
            throw KilnError("cannot grow table of \(instance.length) elements by \(delta)")
        }
        return old
    }
}
