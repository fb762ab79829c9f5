/// An exception tag: what a `catch` clause matches, and the types of the values an
/// exception thrown with it carries (the parameters of its function type).
///
/// Tags are compared by identity: two tags of the same type are different tags. A module's
/// defined tags are new at each instantiation; imported tags are the exporter's.
public final class Tag: StoreOwned {
    let store: StoreContext
    let instance: TagInstance

    init(store: StoreContext, instance: TagInstance) {
        self.store = store
        self.instance = instance
    }

    /// Creates a tag owned by the store. `type` must have no results.
    public convenience init(_ store: some AsContext, type: FuncType) throws {
        guard type.results.isEmpty else { throw KilnError("a tag's type has no results, got \(type)") }
        let context = store.storeContext
        let instance = TagInstance(type: type)
        context.hostObjects.append(instance)
        self.init(store: context, instance: instance)
    }

    public func type(_ store: some AsContext) -> FuncType { instance.type }

    /// Whether two handles name the same tag.
    public func ptrEq(_ other: Tag) -> Bool { instance === other.instance }
}

/// A tag's runtime identity. `type` is engine-level (type indices are engine-wide ids).
final class TagInstance {
    let type: FuncType
    init(type: FuncType) { self.type = type }
}
