import CKilnShims

/// An instantiated module.
public final class Instance {
    let handle: InstanceHandle

    init(handle: InstanceHandle) {
        self.handle = handle
    }

    /// Instantiates `module` with `imports` given in the module's import order.
    public convenience init(_ store: some AsContext, _ module: Module, imports: [Extern]) throws {
        let context = store.storeContext
        self.init(handle: try context.instantiate(module, imports: imports))
    }

    var store: StoreContext { handle.store }

    /// The export named `name`.
    public func getExport(_ name: String) -> Extern? {
        // Names match byte for byte: String equality would identify canonically equivalent names.
        guard let export = handle.info.exports.first(where: { sameBytes($0.name, name) }) else { return nil }
        return extern(export.kind, Int(export.index))
    }

    public func getExport(_ store: some AsContext, _ name: String) -> Extern? { getExport(name) }

    func extern(_ kind: ExternalKind, _ index: Int) -> Extern {
        switch kind {
        case .function:
            let reference = handle.funcRef(index)
            return .func(Func(store: store, funcRef: reference, owner: FunctionOwner(reference).object))
        case .memory:
            return .memory(Memory(store: store, instance: handle.memory(index)))
        case .table:
            return .table(Table(store: store, instance: handle.table(index)))
        case .tag:
            return .tag(Tag(store: store, instance: handle.tags[index]))
        case .global:
            var type = handle.info.globals[index]
            type.valueType = handle.engineType(type.valueType)
            return .global(Global(store: store, type: type, slot: handle.globalSlot(index),
                                  owner: index < handle.globalOwners.count ? handle.globalOwners[index] : handle))
        }
    }

    public func getFunc(_ store: some AsContext, _ name: String) -> Func? { getExport(name)?.asFunc }
    public func getMemory(_ store: some AsContext, _ name: String) -> Memory? { getExport(name)?.asMemory }
    public func getTable(_ store: some AsContext, _ name: String) -> Table? { getExport(name)?.asTable }
    public func getGlobal(_ store: some AsContext, _ name: String) -> Global? { getExport(name)?.asGlobal }

    /// The exported function `name`, viewed with Swift types checked against its wasm type.
    public func getTypedFunc<each Param: WasmValue, Results>(_ store: some AsContext, _ name: String,
                                                             _ params: (repeat each Param).Type,
                                                             _ results: Results.Type) throws -> TypedFunc<repeat each Param, Results> {
        guard let function = getFunc(store, name) else { throw KilnError("no exported function named \"\(name)\"") }
        return try function.typed(store, params, results)
    }

    /// All exports, in order.
    public func exports(_ store: some AsContext) -> [(name: String, value: Extern)] {
        handle.info.exports.map { ($0.name, extern($0.kind, Int($0.index))) }
    }
}

extension StoreContext {
    func instantiate(_ module: Module, imports: [Extern]) throws -> InstanceHandle {
        try InstanceHandle.instantiate(module: module, store: self, imports: imports) { instance, function in
            var slot = ValRaw(lo: 0)
            try withUnsafeMutablePointer(to: &slot) { pointer in
                try self.invoke(instance.funcRef(function), UnsafeMutableBufferPointer(start: pointer, count: 1))
            }
        }
    }

    /// Calls the function `funcRef` names with `values` (parameters in, results out).
    /// `caller` is the instance whose code makes the call, if any.
    func invoke(_ funcRef: UnsafeMutablePointer<KilnFuncRef>, _ values: UnsafeMutableBufferPointer<ValRaw>,
                caller: InstanceHandle? = nil) throws {
        switch FunctionOwner(funcRef) {
        case .host(let host):
            try host.callback(CallerContext(store: self, instance: caller), values)
        case .instance(let instance):
            if instance.module.compiled != nil {
                try MachineCode.invoke(instance, function: Int(funcRef.pointee.functionIndex), values: values)
            } else {
                try Interpreter.invoke(instance, function: Int(funcRef.pointee.functionIndex), values: values)
            }
        }
    }
}

/// Whether two strings have the same UTF-8 bytes: the lengths first (kept by native
/// strings), then the contiguous bytes.
func sameBytes(_ a: String, _ b: String) -> Bool {
    guard a.utf8.count == b.utf8.count else { return false }
    var a = a, b = b
    return a.withUTF8 { x in b.withUTF8 { y in x.elementsEqual(y) } }
}
