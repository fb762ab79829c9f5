import CKilnShims

/// The builtins that raise wasm exceptions from machine code (`throw`, `throw_ref`,
/// `rethrow`). Both are safepoints called with the exit recorded: the exit's frame and
/// return address are where the search for a handler starts (see `ExceptionUnwinder`).
///
/// They never return normally. When a machine-code frame of this activation catches, the
/// result's trap is `KILN_TRAP_RESUME` and the trap stub's `kiln_trap` jumps to the landing
/// pad; otherwise the exception waits in the store as a `WasmException` (the host-error trap
/// carries it out of machine code, to a host frame or to the embedder).
extension Builtins {
    /// `throw`: `values` is the address of the first value's spill slot (the frame's
    /// operand slots go down 8 bytes each), unread when the tag has no parameters.
    static let throwException = address({ vmctx, tag, values in
        throwFromSlots(vmctx, tag: tag, values: values, slotBytes: 8)
    } as Builtin3)

    /// `throw` from a function with 16-byte slots (see `FrameSlots`).
    static let throwExceptionWideSlots = address({ vmctx, tag, values in
        throwFromSlots(vmctx, tag: tag, values: values, slotBytes: 16)
    } as Builtin3)

    private static func throwFromSlots(_ vmctx: UnsafeMutableRawPointer, tag: UInt64, values: UInt64, slotBytes: Int) -> KilnBuiltinResult {
        let tagInstance = instance(vmctx).tags[Int(tag)]
        let params = tagInstance.type.params
        var raws: [ValRaw] = []
        raws.reserveCapacity(params.count)
        if let first = UnsafeRawPointer(bitPattern: UInt(values)) {
            for (i, type) in params.enumerated() {
                let bits = first.load(fromByteOffset: -slotBytes * i, as: UInt64.self)
                // A 32-bit value's slot has unspecified upper bytes.
                var raw = ValRaw(lo: type == .i32 || type == .f32 ? bits & 0xFFFF_FFFF : bits)
                if type == .v128 { raw.hi = first.load(fromByteOffset: -slotBytes * i + 8, as: UInt64.self) }
                raws.append(raw)
            }
        }
        return raise(Exception(tag: tagInstance, values: raws), vmctx: vmctx)
    }

    /// `throw_ref` and `rethrow`: the exception's raw form, or null (a trap).
    static let throwReference = address({ vmctx, raw in
        guard let exception = Exception.fromRaw(pointer(raw)) else { return trap(.nullExceptionReference) }
        return raise(exception, vmctx: vmctx)
    } as Builtin2)

    private static func raise(_ exception: Exception, vmctx: UnsafeMutableRawPointer) -> KilnBuiltinResult {
        let store = instance(vmctx).store
        let fp = vmctx.load(fromByteOffset: VMContextLayout.exitFramePointerOffset, as: UInt.self)
        let pc = vmctx.load(fromByteOffset: VMContextLayout.exitReturnAddressOffset, as: UInt.self)
        // Landing roots the values it writes, which may collect: the frames stay listed.
        let landed = store.withExit(from: vmctx) {
            ExceptionUnwinder.prepareLanding(exception, fp: fp, pc: pc, vmctx: vmctx, store: store)
        }
        if landed { return KilnBuiltinResult(value: 0, trap: UInt64(KILN_TRAP_RESUME)) }
        store.pendingError = WasmException(exception)
        return trap(.hostError)
    }
}
