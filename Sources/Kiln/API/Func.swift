import CKilnShims

/// A WebAssembly function: defined by an instance, or by the host.
public final class Func: StoreOwned {
    let store: StoreContext
    let funcRef: UnsafeMutablePointer<KilnFuncRef>
    /// The instance or host function that owns `funcRef`.
    let owner: AnyObject

    /// Set when the function is compiled wasm code: calls from Swift enter it directly.
    let entry: MachineCode.Entry?
    /// max(params, results): the slots a raw call needs.
    let slotCount: Int

    init(store: StoreContext, funcRef: UnsafeMutablePointer<KilnFuncRef>, owner: AnyObject) {
        self.store = store
        self.funcRef = funcRef
        self.owner = owner
        self.entry = MachineCode.Entry(funcRef)
        self.slotCount = store.engine.types.slotCount(for: funcRef.pointee.typeId)
    }

    /// Runs the function on raw slots (parameters in, results out).
    func invoke(_ context: StoreContext, _ values: UnsafeMutableBufferPointer<ValRaw>) throws {
        do {
            if let entry {
                try MachineCode.enter(entry, store: context, values: values.baseAddress!)
            } else {
                try context.invoke(funcRef, values)
            }
        } catch let trap as Trap {
            // A host function ended the whole call on purpose (say, WASI's proc_exit).
            if let exit = trap.hostError as? any ProgramExit { throw exit }
            throw trap
        }
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
        let externParams = type.params.indices.filter { type.params[$0].isCountedReference }
        let host = HostFunction(type: type, engine: store.engine) { caller, values in
            // Raw parameters have no handle to keep them alive: root them until the next
            // collection, in case the host function collects.
            for i in externParams { caller.store.enterWasm(values[i].externref) }
            try body(Caller<T>(caller), values)
        }
        store.context.hostFunctions.append(host)
        return Func(store: store.context, funcRef: host.funcRef, owner: host)
    }

    /// A host function from a typed Swift closure whose first parameter is the `Caller`
    /// (wasmtime's `Func::wrap`). Its wasm type comes from the closure's Swift types.
    @inlinable
    public static func wrap<T, each P: WasmValue, R>(_ store: Store<T>,
                                                     _ body: @escaping (Caller<T>, repeat each P) throws -> R) throws -> Func {
        let (type, callback) = try typedCallback(body)
        return hostFunction(store.storeContext, type: type, callback)
    }

    /// A new host function of `store`.
    @usableFromInline
    static func hostFunction(_ store: StoreContext, type: FuncType, _ callback: @escaping HostCallback) -> Func {
        let host = HostFunction(type: type, engine: store.engine, callback: callback)
        store.hostFunctions.append(host)
        return Func(store: store, funcRef: host.funcRef, owner: host)
    }

    /// A host function from a typed Swift closure without the `Caller`.
    @inlinable
    public static func wrap<T, each P: WasmValue, R>(_ store: Store<T>,
                                                     _ body: @escaping (repeat each P) throws -> R) throws -> Func {
        let (type, callback) = try typedCallback(body)
        return hostFunction(store.storeContext, type: type, callback)
    }

    /// The wasm type of a typed closure, and the raw callback that runs it. Inlinable so
    /// that the callback is specialized for the closure's types in the embedder's module.
    @inlinable
    static func typedCallback<T, each P: WasmValue, R>(_ body: @escaping (Caller<T>, repeat each P) throws -> R) throws
        -> (FuncType, HostCallback)
    {
        let codec = try ResultsCodec<R>()
        let type = FuncType(params: wasmTypes(repeat (each P).self), results: codec.types)
        return (type, { context, values in
            let caller = Caller<T>(context)
            // Borrowed, not retained, for the parameter conversions (see CallerContext).
            try context.storeReference._withUnsafeGuaranteedRef { store in
                var index = 0
                let results = try body(caller, repeat readValue((each P).self, from: values, at: &index, store: store))
                codec.encode(results, into: values, store: store)
            }
        })
    }

    /// `typedCallback` for a closure that does not take the `Caller`.
    @inlinable
    static func typedCallback<each P: WasmValue, R>(_ body: @escaping (repeat each P) throws -> R) throws
        -> (FuncType, HostCallback)
    {
        let codec = try ResultsCodec<R>()
        let type = FuncType(params: wasmTypes(repeat (each P).self), results: codec.types)
        return (type, { context, values in
            try context.storeReference._withUnsafeGuaranteedRef { store in
                var index = 0
                let results = try body(repeat readValue((each P).self, from: values, at: &index, store: store))
                codec.encode(results, into: values, store: store)
            }
        })
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

    /// Whether two handles name the same function (as `Tag.ptrEq` and `ExternRef.ptrEq`):
    /// a function reference read back from wasm is the same function as the export it names.
    public func ptrEq(_ other: Func) -> Bool { funcRef == other.funcRef }

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
            guard param.matches(expected) else { throw KilnError("argument \(i) is \(param.type), expected \(expected)") }
            values[i] = try param.raw(in: context)
        }
        try values.withUnsafeMutableBufferPointer { buffer in
            try invoke(context, buffer)
        }
        return type.results.enumerated().map { Val(raw: values[$0.offset], type: $0.element, store: context) }
    }

    /// Calls the function with raw slots: `values` holds the parameters and receives the
    /// results, so it must hold max(params, results) slots. Types are not checked.
    @inlinable
    public func callUnchecked(_ store: some AsContext, _ values: UnsafeMutableBufferPointer<ValRaw>) throws {
        try callUnchecked(context: store.storeContext, values)
    }

    @usableFromInline
    func callUnchecked(context: StoreContext, _ values: UnsafeMutableBufferPointer<ValRaw>) throws {
        try checkStore(context)
        guard values.count >= slotCount else {
            throw KilnError("callUnchecked needs \(slotCount) slots, got \(values.count)")
        }
        guard values.baseAddress != nil else {
            // An empty buffer, enough for a function without parameters or results: the entry
            // paths still want somewhere to point.
            var slot = ValRaw(lo: 0)
            return try withUnsafeMutablePointer(to: &slot) { try invoke(context, UnsafeMutableBufferPointer(start: $0, count: 1)) }
        }
        try invoke(context, values)
    }

    /// Calls the function like `call`, on a fiber of its own: inside, running out of fuel
    /// (`outOfFuelAsyncYield`), reaching the epoch deadline (`epochDeadlineAsyncYieldAndUpdate`)
    /// and async host functions (`Linker.funcWrapAsync`) suspend the wasm while this task
    /// awaits. Cancelling the task makes the wasm trap at its next suspension.
    public func callAsync(_ store: some AsContext, _ params: [Val]) async throws -> [Val] {
        let context = store.storeContext
        return try await context.runAsync { try self.call(context, params) }
    }

    /// A statically typed view of the function, checked against its wasm type now.
    public func typed<each Param: WasmValue, Results>(_ store: some AsContext, _ params: (repeat each Param).Type,
                                                       _ results: Results.Type) throws -> TypedFunc<repeat each Param, Results> {
        try TypedFunc(self, store: store.storeContext)
    }
}

extension Val {
    /// Whether the value belongs to `type` (an engine-level type): its kind, null only for a
    /// nullable reference type, and a function of the signature a concrete type names.
    public func matches(_ type: ValType) -> Bool {
        guard case .ref(let reference) = type else { return self.type == type }
        switch self {
        case .funcRef(let f):
            guard reference.heapType.top == .func else { return false }
            guard let f else { return reference.nullable }
            switch reference.heapType {
            case .concrete(let id): return f.funcRef.pointee.typeId == id
            case .noFunc: return false
            default: return true
            }
        case .externRef(let r):
            guard reference.heapType.top == .extern else { return false }
            return r == nil ? reference.nullable : reference.heapType != .noExtern
        case .exnRef(let e):
            guard reference.heapType.top == .exn else { return false }
            return e == nil ? reference.nullable : reference.heapType != .noExn
        default:
            return false
        }
    }

    /// Converts a raw slot of `type`.
    init(raw: ValRaw, type: ValType, store: StoreContext) {
        switch type {
        case .i32: self = .i32(raw.i32)
        case .i64: self = .i64(raw.i64)
        case .f32: self = .f32(raw.f32)
        case .f64: self = .f64(raw.f64)
        case .v128: self = .v128(raw.v128)
        case .ref(let type):
            switch type.heapType.top {
            case .extern: self = .externRef(ExternRef.fromRaw(raw.externref))
            case .exn: self = .exnRef(Exception.fromRaw(raw.externref))
            default: self = .funcRef(Func.from(raw: raw.funcref, store: store))
            }
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
            store.enterWasm(r.raw)
            return .externref(r.toRaw())
        case .exnRef(let e):
            guard let e else { return .externref(nil) }
            store.enterWasm(e.raw)
            return .externref(e.toRaw())
        }
    }
}
