import CKilnShims

/// A WebAssembly function: defined by an instance, or by the host.
public final class Func: StoreOwned {
    let store: StoreContext
    let funcRef: UnsafeMutablePointer<KilnFuncRef>
    /// The instance or host function that owns `funcRef`.
    let owner: AnyObject

    init(store: StoreContext, funcRef: UnsafeMutablePointer<KilnFuncRef>, owner: AnyObject) {
        self.store = store
        self.funcRef = funcRef
        self.owner = owner
    }

    /// The function a raw reference names, or nil for the null reference.
    static func from(raw: UnsafeMutableRawPointer?, store: StoreContext) -> Func? {
        guard let raw else { return nil }
        let reference = raw.assumingMemoryBound(to: KilnFuncRef.self)
        return Func(store: store, funcRef: reference, owner: FunctionOwner(reference).object)
    }

    var raw: UnsafeMutableRawPointer { UnsafeMutableRawPointer(funcRef) }

    /// A host function over `[Val]` (wasmtime's `Func::new`).
    public convenience init<T>(_ store: Store<T>, type: FuncType,
                               _ body: @escaping (Caller<T>, [Val], inout [Val]) throws -> Void) {
        let host = HostFunction(type: type, engine: store.engine, callback: Func.valCallback(type: type, body))
        store.context.hostFunctions.append(host)
        self.init(store: store.context, funcRef: host.funcRef, owner: host)
    }

    /// A host function over raw slots (wasmtime's `Func::new_unchecked`): `values` holds the
    /// parameters and receives the results.
    public static func newUnchecked<T>(_ store: Store<T>, type: FuncType,
                                       _ body: @escaping (Caller<T>, UnsafeMutableBufferPointer<ValRaw>) throws -> Void) -> Func {
        let host = HostFunction(type: type, engine: store.engine) { caller, values in
            try body(Caller<T>(caller), values)
        }
        store.context.hostFunctions.append(host)
        return Func(store: store.context, funcRef: host.funcRef, owner: host)
    }

    static func valCallback<T>(type: FuncType, _ body: @escaping (Caller<T>, [Val], inout [Val]) throws -> Void) -> HostCallback {
        { caller, values in
            let params = type.params.enumerated().map { Val(raw: values[$0.offset], type: $0.element, store: caller.store) }
            var results = type.results.map { Val.zero($0) }
            try body(Caller<T>(caller), params, &results)
            guard results.count == type.results.count else {
                throw Trap("host function returned \(results.count) results, its type has \(type.results.count)")
            }
            for (i, (result, expected)) in zip(results, type.results).enumerated() {
                guard result.type == expected else {
                    throw Trap("host function result \(i) is \(result.type), its type says \(expected)")
                }
                values[i] = try result.raw(in: caller.store)
            }
        }
    }

    /// The function's signature.
    public func type(_ store: some AsContext) -> FuncType {
        store.storeContext.engine.types.type(for: funcRef.pointee.typeId)
    }

    var type: FuncType { store.engine.types.type(for: funcRef.pointee.typeId) }

    /// Calls the function with `params`, checked against its type.
    public func call(_ store: some AsContext, _ params: [Val]) throws -> [Val] {
        let context = store.storeContext
        try checkStore(context)
        let type = self.type
        guard params.count == type.params.count else {
            throw KilnError("expected \(type.params.count) arguments, got \(params.count)")
        }
        var values = [ValRaw](repeating: ValRaw(lo: 0), count: max(type.params.count, type.results.count, 1))
        for (i, (param, expected)) in zip(params, type.params).enumerated() {
            guard param.type == expected else { throw KilnError("argument \(i) is \(param.type), expected \(expected)") }
            values[i] = try param.raw(in: context)
        }
        try values.withUnsafeMutableBufferPointer { buffer in
            try context.invoke(funcRef, buffer)
        }
        return type.results.enumerated().map { Val(raw: values[$0.offset], type: $0.element, store: context) }
    }

    /// Calls the function with raw slots: `values` holds the parameters and receives the
    /// results, so it must hold max(params, results) slots. Types are not checked.
    public func callUnchecked(_ store: some AsContext, _ values: UnsafeMutableBufferPointer<ValRaw>) throws {
        let context = store.storeContext
        try checkStore(context)
        let type = self.type
        guard values.count >= max(type.params.count, type.results.count) else {
            throw KilnError("callUnchecked needs \(max(type.params.count, type.results.count)) slots, got \(values.count)")
        }
        try context.invoke(funcRef, values)
    }

    /// A statically typed view of the function, checked against its wasm type now.
    public func typed<each Param: WasmValue, Results>(_ store: some AsContext, _ params: (repeat each Param).Type,
                                                       _ results: Results.Type) throws -> TypedFunc<repeat each Param, Results> {
        try TypedFunc(self, store: store.storeContext)
    }
}

extension Val {
    /// Converts a raw slot of `type`.
    init(raw: ValRaw, type: ValType, store: StoreContext) {
        switch type {
        case .i32: self = .i32(raw.i32)
        case .i64: self = .i64(raw.i64)
        case .f32: self = .f32(raw.f32)
        case .f64: self = .f64(raw.f64)
        case .v128: self = .v128(raw.v128)
        case .funcRef: self = .funcRef(Func.from(raw: raw.funcref, store: store))
        case .externRef: self = .externRef(ExternRef.fromRaw(raw.externref))
        }
    }

    /// The raw form of the value; extern references are rooted in `store`.
    func raw(in store: StoreContext) throws -> ValRaw {
        switch self {
        case .i32(let v): return .i32(v)
        case .i64(let v): return .i64(v)
        case .f32(let v): return .f32(v)
        case .f64(let v): return .f64(v)
        case .v128(let v): return .v128(v)
        case .funcRef(let f):
            if let f { try f.checkStore(store) }
            return .funcref(f?.raw)
        case .externRef(let r):
            guard let r else { return .externref(nil) }
            store.root(r)
            return .externref(r.toRaw())
        }
    }
}
