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

    func type(for id: UInt32) -> FuncType {
        state.withLock { $0.types[Int(id) - 1] }
    }
}
