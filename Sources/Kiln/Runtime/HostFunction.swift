import CKilnShims

/// What a host function receives about its call. It lives only during the call, while
/// the store and the calling instance are certainly alive, so it holds them unretained
/// (a host call then costs no reference counting).
@usableFromInline
struct CallerContext {
    @usableFromInline let storeReference: Unmanaged<StoreContext>
    /// The instance whose code made the call, if the call came from wasm.
    let instanceReference: Unmanaged<InstanceHandle>?

    init(store: StoreContext, instance: InstanceHandle?) {
        self.storeReference = .passUnretained(store)
        self.instanceReference = instance.map { .passUnretained($0) }
    }

    var store: StoreContext { storeReference.takeUnretainedValue() }
    var instance: InstanceHandle? { instanceReference?.takeUnretainedValue() }
}

/// The raw form every host function takes: parameters in `values[0..<params]`, results
/// written over them into `values[0..<results]` (the buffer holds max(params, results)).
@usableFromInline
typealias HostCallback = (_ caller: CallerContext, _ values: UnsafeMutableBufferPointer<ValRaw>) throws -> Void

/// A function implemented in Swift. Its `funcRef` is a `KilnFuncRef` like any wasm
/// function's, so tables, imports and `ref.func` treat both alike; its vmctx points at a
/// small context whose first word says "HOST".
///
/// Its native code is a libffi closure with the calling convention of a wasm function of
/// its type, so machine code calls it as it calls wasm. `funcRef.wasmCall` is the shared
/// host entry (`AdapterCache.hostEntry`), which records the caller's exit and jumps to the
/// closure (its address in the context). The closure hands `nativeEntry` the raw value
/// slots; see CShims/host_closure.c.
final class HostFunction {
    let type: FuncType
    let typeId: UInt32
    let callback: HostCallback
    let funcRef: UnsafeMutablePointer<KilnFuncRef>
    /// C layout: { u32 magic; u32 pad; HostFunction *self (unretained); void *closure code
    /// (at `AdapterCache.hostClosureOffset`), or NULL }.
    let context: UnsafeMutableRawPointer
    /// max(params, results, 1): the value slots a call needs.
    let slotCount: Int
    /// The libffi closure, when libffi can take this function's type (no v128 in it).
    private var closure: OpaquePointer?

    init(type: FuncType, engine: Engine, callback: @escaping HostCallback) {
        self.type = type
        self.typeId = engine.types.id(for: type)
        self.callback = callback
        self.slotCount = max(type.params.count, type.results.count, 1)
        context = .allocate(byteCount: 32, alignment: 16)
        funcRef = .allocate(capacity: 1)
        context.storeBytes(of: UInt32(KILN_VMCTX_MAGIC_HOST), toByteOffset: 0, as: UInt32.self)
        context.storeBytes(of: Unmanaged.passUnretained(self).toOpaque(), toByteOffset: 8, as: UnsafeMutableRawPointer.self)
        context.storeBytes(of: nil, toByteOffset: Int(AdapterCache.hostClosureOffset), as: UnsafeMutableRawPointer?.self)
        var code: UnsafeMutableRawPointer?
        if JITCompiler.isSupported, let entry = AdapterCache.hostEntry,
           let params = HostFunction.kinds(type.params), let results = HostFunction.kinds(type.results) {
            var closureCode: UnsafeMutableRawPointer?
            closure = kiln_host_closure_create(params, Int32(params.count), results, Int32(results.count),
                                               HostFunction.nativeEntry, Unmanaged.passUnretained(self).toOpaque(), &closureCode)
            if closure != nil {
                context.storeBytes(of: closureCode, toByteOffset: Int(AdapterCache.hostClosureOffset), as: UnsafeMutableRawPointer?.self)
                code = entry
            }
        }
        if closure == nil {
            // v128 in the type (libffi has no 128-bit vector type) or libffi failed: machine
            // code calls the per-signature adapter instead, which passes the values as an array.
            code = engine.adapter(for: typeId)
        }
        funcRef.initialize(to: KilnFuncRef(wasmCall: code, vmctx: context, typeId: typeId, functionIndex: 0))
    }

    deinit {
        kiln_host_closure_free(closure)
        funcRef.deallocate()
        context.deallocate()
    }

    private static func kinds(_ types: [ValType]) -> [UInt8]? {
        var kinds: [UInt8] = []
        for type in types {
            switch type {
            case .i32: kinds.append(UInt8(KILN_KIND_I32))
            case .i64: kinds.append(UInt8(KILN_KIND_I64))
            case .f32: kinds.append(UInt8(KILN_KIND_F32))
            case .f64: kinds.append(UInt8(KILN_KIND_F64))
            case .ref: kinds.append(UInt8(KILN_KIND_REF))
            case .v128: return nil
            }
        }
        return kinds
    }

    /// What every host closure calls: runs the host function for the calling instance.
    /// Returns nonzero after keeping a thrown error in the store; the closure then raises
    /// the trap from C.
    static let nativeEntry: KilnHostEntry = { host, callerVMContext, values in
        // The function, the calling instance and its store are all alive for the whole call
        // (the store owns them): borrow them without reference counting.
        let vmctx = callerVMContext!
        let instance = Unmanaged<InstanceHandle>.fromOpaque(
            vmctx.load(fromByteOffset: VMContextLayout.instanceOffset, as: UnsafeMutableRawPointer.self))
        let store = Unmanaged<StoreContext>.fromOpaque(
            vmctx.load(fromByteOffset: VMContextLayout.storeOffset, as: UnsafeMutableRawPointer.self))
        return Unmanaged<HostFunction>.fromOpaque(host!)._withUnsafeGuaranteedRef { function in
            store._withUnsafeGuaranteedRef { store in
                instance._withUnsafeGuaranteedRef { instance in
                    let slots = UnsafeMutableBufferPointer(start: values!.assumingMemoryBound(to: ValRaw.self),
                                                           count: function.slotCount)
                    do {
                        try function.callback(CallerContext(store: store, instance: instance), slots)
                        return 0
                    } catch let thrown as WasmException {
                        // A wasm exception: caught by a machine-code frame below, the closure
                        // resumes there; otherwise it goes on as an error. The closure listed
                        // the calling frame's exit (the VMContext's may have been overwritten
                        // by wasm the host called since).
                        if let exit = store.runtime.pointee.exits,
                           ExceptionUnwinder.prepareLanding(thrown.exception, fp: exit.pointee.fp, pc: exit.pointee.pc,
                                                            vmctx: vmctx, store: store) {
                            return Int32(KILN_HOST_RESUME)
                        }
                        store.pendingError = thrown
                        return 1
                    } catch {
                        store.pendingError = error
                        return 1
                    }
                }
            }
        }
    }

    static func from(context: UnsafeMutableRawPointer) -> HostFunction {
        let pointer = context.load(fromByteOffset: 8, as: UnsafeMutableRawPointer.self)
        return Unmanaged<HostFunction>.fromOpaque(pointer).takeUnretainedValue()
    }
}

/// Which kind of context a function reference's vmctx is.
enum FunctionOwner {
    case instance(InstanceHandle)
    case host(HostFunction)

    init(_ funcRef: UnsafePointer<KilnFuncRef>) {
        let vmctx = funcRef.pointee.vmctx!
        if vmctx.load(as: UInt32.self) == UInt32(KILN_VMCTX_MAGIC_HOST) {
            self = .host(HostFunction.from(context: vmctx))
        } else {
            self = .instance(InstanceHandle.from(vmctx: vmctx))
        }
    }

    var object: AnyObject {
        switch self {
        case .instance(let instance): instance
        case .host(let host): host
        }
    }
}
