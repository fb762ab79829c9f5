import Synchronization

/// Gives every distinct function signature an engine-wide id, so that `call_indirect`
/// compares two integers instead of two signatures. Id 0 is never used.
final class TypeRegistry: Sendable {
    private let state = Mutex<(ids: [FuncType: UInt32], types: [FuncType])>(([:], []))

    func id(for type: FuncType) -> UInt32 {
        state.withLock { state in
            if let id = state.ids[type] { return id }
            state.types.append(type)
            let id = UInt32(state.types.count)
            state.ids[type] = id
            return id
        }
    }

    /// The ids of a module's types, in order. In the registry a type's references to other
    /// types name their ids, and a reference to itself a marker (`UInt32.max`), so that
    /// equivalent types of different modules share an id.
    func ids(for module: ModuleInfo) -> [UInt32] {
        var ids: [UInt32] = []
        ids.reserveCapacity(module.types.count)
        for (i, type) in module.types.enumerated() {
            func engineType(_ value: ValType) -> ValType {
                guard case .ref(var reference) = value, case .concrete(let j) = reference.heapType else { return value }
                reference.heapType = .concrete(Int(j) < i ? ids[Int(j)] : .max)
                return .ref(reference)
            }
            ids.append(id(for: FuncType(params: type.params.map(engineType), results: type.results.map(engineType))))
        }
        return ids
    }

    func type(for id: UInt32) -> FuncType {
        state.withLock { $0.types[Int(id) - 1] }
    }
}
