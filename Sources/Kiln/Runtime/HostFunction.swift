import CKilnShims

/// What a host function receives about its call.
struct CallerContext {
    let store: StoreContext
    /// The instance whose code made the call, if the call came from wasm.
    let instance: InstanceHandle?
}

/// The raw form every host function takes: parameters in `values[0..<params]`, results
/// written over them into `values[0..<results]` (the buffer holds max(params, results)).
typealias HostCallback = (_ caller: CallerContext, _ values: UnsafeMutableBufferPointer<ValRaw>) throws -> Void

/// A function implemented in Swift. Its `funcRef` is a `KilnFuncRef` like any wasm
/// function's, so tables, imports and `ref.func` treat both alike; its vmctx points at a
/// small context whose first word says "HOST".
final class HostFunction {
    let type: FuncType
    let typeId: UInt32
    let callback: HostCallback
    let funcRef: UnsafeMutablePointer<KilnFuncRef>
    /// C layout: { u32 magic; u32 pad; HostFunction *self (unretained) }.
    let context: UnsafeMutableRawPointer

    init(type: FuncType, engine: Engine, callback: @escaping HostCallback) {
        self.type = type
        self.typeId = engine.types.id(for: type)
        self.callback = callback
        context = .allocate(byteCount: 16, alignment: 16)
        funcRef = .allocate(capacity: 1)
        context.storeBytes(of: UInt32(KILN_VMCTX_MAGIC_HOST), toByteOffset: 0, as: UInt32.self)
        context.storeBytes(of: Unmanaged.passUnretained(self).toOpaque(), toByteOffset: 8, as: UnsafeMutableRawPointer.self)
        funcRef.initialize(to: KilnFuncRef(wasmCall: engine.adapter(for: typeId), vmctx: context, typeId: typeId, functionIndex: 0))
    }

    deinit {
        funcRef.deallocate()
        context.deallocate()
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
