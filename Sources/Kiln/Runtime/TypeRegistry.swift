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

    /// max(params, results) of the type `id` names: the raw slots a call needs (read in
    /// place, without copying the type out). Zero for `() -> ()`; callers that allocate
    /// slots take at least one.
    func slotCount(for id: UInt32) -> Int {
        state.withLock { state in
            let type = state.types[Int(id) - 1]
            return max(type.params.count, type.results.count)
        }
    }

    /// Swift signatures that typed views were made with: `ObjectIdentifier` of the metatype
    /// `((repeat each Param), Results)`, which tuples nest so that no two signatures share
    /// it, to a `CheckedSignature<Results>`.
    private let signatures = Mutex<[ObjectIdentifier: AnyObject]>([:])

    /// The id and results codec of the signature `params -> Results`, worked out once per
    /// engine: checking a function against it afterwards compares two integers (ids are
    /// interned, so equal types have equal ids).
    func checkedSignature<each Param: WasmValue, Results>(_ params: (repeat each Param).Type,
                                                          _ results: Results.Type) throws -> CheckedSignature<Results> {
        let key = ObjectIdentifier(((repeat each Param), Results).self)
        if let known = signatures.withLock({ $0[key] }) {
            // The key names `Results`, so the entry was made for it.
            return unsafeDowncast(known, to: CheckedSignature<Results>.self)
        }
        let codec = try ResultsCodec<Results>()
        let type = FuncType(params: wasmTypes(repeat (each Param).self), results: codec.types)
        let signature = CheckedSignature(id: id(for: type), type: type, codec: codec)
        signatures.withLock { $0[key] = signature }
        return signature
    }
}

/// A Swift signature's wasm type, its registry id, and how its results are read.
final class CheckedSignature<Results>: @unchecked Sendable {  // immutable after init
    let id: UInt32
    let type: FuncType
    let codec: ResultsCodec<Results>

    init(id: UInt32, type: FuncType, codec: ResultsCodec<Results>) {
        self.id = id
        self.type = type
        self.codec = codec
    }
}
