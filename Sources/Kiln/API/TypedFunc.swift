/// A function whose wasm type was checked once against Swift types, so that calls need
/// no checks and no heap allocation: parameters go into stack-allocated raw slots, and
/// a compiled wasm function is entered directly, without looking anything up.
///
/// `call` is inlinable so that it is specialized for its parameter and result types in
/// the embedder's module: unspecialized, each call would build type metadata for the
/// parameter pack at run time.
public struct TypedFunc<each Param: WasmValue, Results> {
    public let function: Func
    @usableFromInline let slotCount: Int
    @usableFromInline let results: ResultsCodec<Results>

    init(_ function: Func, store: StoreContext) throws {
        try function.checkStore(store)
        let signature = try store.engine.types.checkedSignature((repeat each Param).self, Results.self)
        guard function.funcRef.pointee.typeId == signature.id else {
            throw KilnError("type mismatch: the function is \(function.type), the typed view says \(signature.type)")
        }
        self.function = function
        self.results = signature.codec
        self.slotCount = max(signature.type.params.count, signature.type.results.count, 1)
    }

    @inlinable
    public func call(_ store: some AsContext, _ args: repeat each Param) throws -> Results {
        let context = store.storeContext
        return try withUnsafeTemporaryAllocation(of: ValRaw.self, capacity: slotCount) { values in
            var index = 0
            repeat writeValue(each args, to: values, at: &index, store: context)
            try invoke(context, values)
            return results.decode(values, store: context)
        }
    }

    /// `call` on a fiber, as `Func.callAsync`.
    public func callAsync(_ store: some AsContext, _ args: repeat each Param) async throws -> Results {
        let context = store.storeContext
        let arguments = (repeat each args)
        return try await context.runAsync { try self.call(context, repeat each arguments) }
    }

    /// Runs the function on `values`, which hold the parameters and receive the results.
    @usableFromInline
    func invoke(_ context: StoreContext, _ values: UnsafeMutableBufferPointer<ValRaw>) throws {
        try function.checkStore(context)
        try function.invoke(context, values)
    }
}

/// Writes `value` into `values[index]` and moves `index` on: a generic function rather than
/// a loop over the pack, which specialization turns into plain stores.
@inlinable @inline(__always)
func writeValue<V: WasmValue>(_ value: V, to values: UnsafeMutableBufferPointer<ValRaw>, at index: inout Int,
                              store: borrowing StoreContext) {
    values[index] = value.raw(store: store)
    index &+= 1
}

/// Reads `values[index]` as a `V` and moves `index` on.
@inlinable @inline(__always)
func readValue<V: WasmValue>(_: V.Type, from values: UnsafeMutableBufferPointer<ValRaw>, at index: inout Int,
                             store: borrowing StoreContext) -> V {
    defer { index &+= 1 }
    return V(raw: values[index], store: store)
}
