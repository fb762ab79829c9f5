/// A function whose wasm type was checked once against Swift types, so that calls need
/// no checks and no heap allocation: parameters go into stack-allocated raw slots.
public struct TypedFunc<each Param: WasmValue, Results> {
    public let function: Func
    let slotCount: Int
    let results: ResultsCodec<Results>

    init(_ function: Func, store: StoreContext) throws {
        try function.checkStore(store)
        let type = function.type
        let params = wasmTypes(repeat (each Param).self)
        let codec = try ResultsCodec<Results>()
        guard type.params == params, type.results == codec.types else {
            throw KilnError("type mismatch: the function is \(type), the typed view says \(FuncType(params: params, results: codec.types))")
        }
        self.function = function
        self.results = codec
        self.slotCount = max(params.count, codec.types.count, 1)
    }

    public func call(_ store: some AsContext, _ args: repeat each Param) throws -> Results {
        let context = store.storeContext
        try function.checkStore(context)
        return try withUnsafeTemporaryAllocation(of: ValRaw.self, capacity: slotCount) { values in
            var index = 0
            for arg in repeat each args {
                values[index] = arg.raw(store: context)
                index += 1
            }
            try context.invoke(function.funcRef, values)
            return results.decode(values, store: context)
        }
    }
}
