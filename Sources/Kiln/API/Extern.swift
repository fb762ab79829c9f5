/// Something an instance can import or export.
public enum Extern {
    case `func`(Func)
    case memory(Memory)
    case table(Table)
    case global(Global)
    case tag(Tag)

    var kindName: String {
        switch self {
        case .func: "func"
        case .memory: "memory"
        case .table: "table"
        case .global: "global"
        case .tag: "tag"
        }
    }

    public var asFunc: Func? { if case .func(let f) = self { f } else { nil } }
    public var asMemory: Memory? { if case .memory(let m) = self { m } else { nil } }
    public var asTable: Table? { if case .table(let t) = self { t } else { nil } }
    public var asGlobal: Global? { if case .global(let g) = self { g } else { nil } }
    public var asTag: Tag? { if case .tag(let t) = self { t } else { nil } }
}

/// Handles check that they are used with the store they belong to.
protocol StoreOwned {
    var store: StoreContext { get }
}

extension StoreOwned {
    func checkStore(_ other: StoreContext) throws(KilnError) {
        guard other === store else { throw KilnError("object used with a store it does not belong to") }
    }
}
