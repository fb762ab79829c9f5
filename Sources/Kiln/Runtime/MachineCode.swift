import CKilnShims
import Foundation
import Synchronization

/// Calling machine code from Swift, and machine code calling back out.
enum MachineCode {
    /// Calls defined function `function` (a function index) of a compiled instance.
    static func invoke(_ instance: InstanceHandle, function: Int, values: UnsafeMutableBufferPointer<ValRaw>) throws {
        let compiled = instance.module.compiled!
        let info = instance.module.info
        let store = instance.store
        kiln_install_trap_handlers()
        if store.machineCodeDepth == 0 {
            // The outermost entry on this thread sets how deep wasm frames may go.
            let stackPointer = kiln_stack_pointer()
            var limit = stackPointer &- UInt(store.engine.config.maxWasmStack)
            let low = kiln_thread_stack_low()
            if low != 0 { limit = max(limit, low + 64 * 1024) }
            store.runtime.pointee.stackLimit = limit
        }
        store.machineCodeDepth += 1
        defer { store.machineCodeDepth -= 1 }
        var trap = KilnTrapInfo()
        let typeIndex = Int(info.functionTypes[function])
        let status = kiln_jit_enter(compiled.trampoline(forType: typeIndex),
                                    compiled.function(function - info.importedFunctionCount),
                                    instance.vmctx, values.baseAddress, &trap)
        if status != 0 {
            throw makeTrap(trap, store: store)
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
            let values = rawValues.assumingMemoryBound(to: ValRaw.self)
            let caller = InstanceHandle.from(vmctx: callerVMContext)
            let store = caller.store
            let type = store.engine.types.type(for: reference.pointee.typeId)
            let buffer = UnsafeMutableBufferPointer(start: values, count: max(type.params.count, type.results.count, 1))
            do {
                try store.invoke(reference, buffer, caller: caller)
                return 0
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
    private let adapters = Mutex<[UInt32: CodeMemory]>([:])

    func adapter(for typeId: UInt32, type: FuncType) -> UnsafeMutableRawPointer? {
        guard JITCompiler.isSupported else { return nil }
        return adapters.withLock { adapters in
            if let existing = adapters[typeId] { return existing.base }
            var masm = X64MacroAssembler()
            masm.adapter(type, arrayCall: MachineCode.arrayCall, raise: Builtins.trapAddress)
            guard let memory = try? CodeMemory(masm.finish()) else { return nil }
            adapters[typeId] = memory
            return memory.base
        }
    }
}
