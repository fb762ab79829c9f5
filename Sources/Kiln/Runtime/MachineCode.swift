import CKilnShims
import Foundation
import Synchronization

/// Calling machine code from Swift, and machine code calling back out.
@usableFromInline
enum MachineCode {
    /// Calls defined function `function` (a function index) of a compiled instance.
    static func invoke(_ instance: InstanceHandle, function: Int, values: UnsafeMutableBufferPointer<ValRaw>) throws {
        let compiled = instance.module.compiled!
        let info = instance.module.info
        let entry = Entry(trampoline: compiled.trampoline(forType: Int(info.functionTypes[function])),
                          code: compiled.function(function - info.importedFunctionCount), vmctx: instance.vmctx)
        try enter(entry, store: instance.store, values: values.baseAddress!)
    }

    /// What calling one compiled function from Swift needs, resolved once (a `TypedFunc`
    /// keeps it, so its calls skip every lookup).
    @usableFromInline
    struct Entry {
        let trampoline: KilnArrayTrampoline
        let code: UnsafeMutableRawPointer
        let vmctx: UnsafeMutableRawPointer

        init(trampoline: KilnArrayTrampoline, code: UnsafeMutableRawPointer, vmctx: UnsafeMutableRawPointer) {
            self.trampoline = trampoline
            self.code = code
            self.vmctx = vmctx
        }

        /// The entry of the function `funcRef` names, if it is a compiled wasm function.
        init?(_ funcRef: UnsafeMutablePointer<KilnFuncRef>) {
            guard case .instance(let instance) = FunctionOwner(funcRef), let compiled = instance.module.compiled else { return nil }
            let info = instance.module.info
            let function = Int(funcRef.pointee.functionIndex)
            self.init(trampoline: compiled.trampoline(forType: Int(info.functionTypes[function])),
                      code: compiled.function(function - info.importedFunctionCount), vmctx: instance.vmctx)
        }
    }

    /// Runs `entry` with `values` (parameters in, results out) with traps armed.
    static func enter(_ entry: Entry, store: StoreContext, values: UnsafeMutablePointer<ValRaw>) throws {
        let runtime = store.runtime
        if kiln_jit_enter(entry.trampoline, entry.code, entry.vmctx, values, runtime, UInt(store.maxWasmStack)) != 0 {
            throw makeTrap(runtime.pointee.trap, store: store)
        }
    }

    /// Turns what `kiln_jit_enter` reported into a `Trap` with a wasm backtrace.
    static func makeTrap(_ info: KilnTrapInfo, store: StoreContext) -> any Error {
        var trap: Trap
        var pendingBacktrace: [FrameInfo] = []
        if info.signal == 0 {
            let code = JITTrap(rawValue: info.code) ?? .unreachable
            if code == .hostError, let error = store.pendingError {
                store.pendingError = nil
                // A wasm exception no machine-code frame of this activation caught goes on
                // as itself, to wasm or host frames further out.
                if let exception = error as? WasmException { return exception }
                if let inner = error as? Trap {
                    trap = inner
                    pendingBacktrace = inner.backtrace
                } else {
                    trap = Trap("host function error: \(error)")
                    trap.hostError = error
                }
            } else {
                trap = code.trap(detail: info.detail)
            }
        } else if info.signal == SIGILL {
            trap = Trap(.unreachable)
        } else if info.signal == SIGFPE {
            trap = Trap(.integerDivisionByZero)
        } else {
            trap = Trap(.memoryOutOfBounds)
        }
        var frames: [FrameInfo] = []
        let pc = UnsafeRawPointer(info.pc)
        var addresses: [(UnsafeRawPointer, Bool)] = pc.map { [($0, true)] } ?? []
        withUnsafeBytes(of: info.frames) { raw in
            let pointers = raw.bindMemory(to: UnsafeRawPointer?.self)
            for i in 0..<Int(info.frameCount) {
                if let address = pointers[i] { addresses.append((address - 1, false)) }
            }
        }
        for (address, innermost) in addresses {
            for instance in store.instances {
                guard let compiled = instance.module.compiled, let defined = compiled.definedFunction(containing: address) else { continue }
                let moduleInfo = instance.module.info
                let index = defined + moduleInfo.importedFunctionCount
                var offset: Int?
                if innermost && info.signal == 0 {
                    offset = info.wasmOffset >= 0 ? Int(info.wasmOffset) : nil
                } else {
                    offset = compiled.memoryAccess(at: address)
                }
                frames.append(FrameInfo(functionIndex: index, functionName: moduleInfo.names.functionNames[UInt32(index)],
                                        moduleOffset: offset, moduleName: moduleInfo.names.moduleName))
                break
            }
        }
        trap.backtrace = pendingBacktrace + frames
        return trap
    }

    /// `kiln_array_call(funcRef, callerVMContext, values) -> status`: what adapters call to
    /// run a host or interpreted function from machine code.
    static let arrayCall = UInt(bitPattern: unsafeBitCast(
        { (reference: UnsafeMutablePointer<KilnFuncRef>, callerVMContext: UnsafeMutableRawPointer,
           rawValues: UnsafeMutableRawPointer) -> Int32 in
            // A host function (one libffi cannot call: v128 in its type) takes the host
            // closures' own path, with the exit listed as their C handler lists it: no type
            // lookup and no reference counting on the way.
            let context = reference.pointee.vmctx!
            if context.load(as: UInt32.self) == UInt32(KILN_VMCTX_MAGIC_HOST) {
                let runtime = callerVMContext.load(fromByteOffset: VMContextLayout.storeRuntimeOffset,
                                                   as: UnsafeMutablePointer<KilnStoreRuntime>.self)
                var exit = KilnExit(fp: callerVMContext.load(fromByteOffset: VMContextLayout.exitFramePointerOffset, as: UInt.self),
                                    pc: callerVMContext.load(fromByteOffset: VMContextLayout.exitReturnAddressOffset, as: UInt.self),
                                    previous: runtime.pointee.exits)
                return withUnsafeMutablePointer(to: &exit) { listed in
                    runtime.pointee.exits = listed
                    defer { runtime.pointee.exits = listed.pointee.previous }
                    return HostFunction.nativeEntry(context.load(fromByteOffset: 8, as: UnsafeMutableRawPointer.self),
                                                    callerVMContext, rawValues)
                }
            }
            let values = rawValues.assumingMemoryBound(to: ValRaw.self)
            let caller = InstanceHandle.from(vmctx: callerVMContext)
            let store = caller.store
            let type = store.engine.types.type(for: reference.pointee.typeId)
            let buffer = UnsafeMutableBufferPointer(start: values, count: max(type.params.count, type.results.count, 1))
            // The calling frame's exit, before wasm the callee calls overwrites it.
            let exitFP = callerVMContext.load(fromByteOffset: VMContextLayout.exitFramePointerOffset, as: UInt.self)
            let exitPC = callerVMContext.load(fromByteOffset: VMContextLayout.exitReturnAddressOffset, as: UInt.self)
            do {
                try store.withExit(from: callerVMContext) {
                    try store.invoke(reference, buffer, caller: caller)
                }
                return 0
            } catch let thrown as WasmException {
                // An exception from an interpreted callee: a machine-code frame below may
                // catch it (the adapter then resumes there), as for host functions.
                callerVMContext.storeBytes(of: exitFP, toByteOffset: VMContextLayout.exitFramePointerOffset, as: UInt.self)
                callerVMContext.storeBytes(of: exitPC, toByteOffset: VMContextLayout.exitReturnAddressOffset, as: UInt.self)
                let landed = store.withExit(from: callerVMContext) {
                    ExceptionUnwinder.prepareLanding(thrown.exception, fp: exitFP, pc: exitPC, vmctx: callerVMContext, store: store)
                }
                if landed { return Int32(KILN_HOST_RESUME) }
                store.pendingError = thrown
                return 1
            } catch {
                store.pendingError = error
                return 1
            }
        } as @convention(c) (UnsafeMutablePointer<KilnFuncRef>, UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> Int32,
        to: UnsafeRawPointer.self))
}

/// Adapters (wasm convention → array call) per signature, made on demand and kept for the
/// engine's lifetime.
final class AdapterCache: Sendable {
    /// The code, or nil when an instruction could not be encoded.
    private static func assemble<M: MacroAssembler>(_ masm: M) -> [UInt8]? { try? masm.finish() }

    private let adapters = Mutex<[UInt32: CodeMemory]>([:])

    /// Where a host function's context holds its native closure's address (`HostFunction`).
    static let hostClosureOffset: Int32 = 16
    /// The entry machine code calls for every host function with a native closure (see
    /// `MacroAssembler.hostEntry`): made once, kept for the process's lifetime.
    private static let hostEntryCode: CodeMemory? = {
        guard JITCompiler.isSupported else { return nil }
        var masm = HostMacroAssembler()
        masm.hostEntry(closureOffset: hostClosureOffset)
        guard let code = assemble(masm) else { return nil }
        return try? CodeMemory(code)
    }()
    static var hostEntry: UnsafeMutableRawPointer? { hostEntryCode?.base }

    func adapter(for typeId: UInt32, type: FuncType) -> UnsafeMutableRawPointer? {
        guard JITCompiler.isSupported else { return nil }
        return adapters.withLock { adapters in
            if let existing = adapters[typeId] { return existing.base }
            var masm = HostMacroAssembler()
            masm.adapter(type, arrayCall: MachineCode.arrayCall, raise: Builtins.trapAddress)
            guard let code = AdapterCache.assemble(masm), let memory = try? CodeMemory(code) else { return nil }
            adapters[typeId] = memory
            return memory.base
        }
    }
}
