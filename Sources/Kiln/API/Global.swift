/// A global variable.
public final class Global: StoreOwned {
    let store: StoreContext
    public let type: GlobalType
    /// The 16-byte slot holding the value.
    let slot: UnsafeMutablePointer<ValRaw>
    /// The instance or storage that owns `slot`.
    let owner: AnyObject

    init(store: StoreContext, type: GlobalType, slot: UnsafeMutablePointer<ValRaw>, owner: AnyObject) {
        self.store = store
        self.type = type
        self.slot = slot
        self.owner = owner
    }

    /// Creates a global owned by the store.
    public convenience init(_ store: some AsContext, type: GlobalType, value: Val) throws {
        let context = store.storeContext
        guard value.matches(type.valueType) else { throw KilnError("value is \(value.type), global holds \(type.valueType)") }
        let storage = GlobalStorage(try value.raw(in: context), isExtern: type.valueType.isCountedReference)
        context.hostObjects.append(storage)
        self.init(store: context, type: type, slot: storage.slot, owner: storage)
    }

    public func type(_ store: some AsContext) -> GlobalType { type }

    public func get(_ store: some AsContext) -> Val {
        Val(raw: slot.pointee, type: type.valueType, store: self.store)
    }

    public func set(_ store: some AsContext, _ value: Val) throws {
        let context = store.storeContext
        try checkStore(context)
        guard type.mutability == .variable else { throw KilnError("global is immutable") }
        guard value.matches(type.valueType) else { throw KilnError("value is \(value.type), global holds \(type.valueType)") }
        slot.storeGlobal(try value.raw(in: context), type: type.valueType)
    }
}
