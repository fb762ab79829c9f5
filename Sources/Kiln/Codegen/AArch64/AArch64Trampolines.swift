import CKilnShims

/// Glue between the array-call convention (a `ValRaw` array holding the parameters, then
/// the results) used by Swift, and the wasm convention of machine code, for AArch64.
extension AArch64MacroAssembler {
    /// Where each parameter goes under AAPCS64 after the two VMContext arguments (x0, x1):
    /// x2...x7, v0...v7, then 8-byte stack words in order.
    private enum Place { case integer(R), float(V), stack(Int) }

    private static func places(_ params: [ValType], extraPointer: Bool) -> (places: [Place], pointer: Place?, stackWords: Int) {
        let integers: [R] = [.x2, .x3, .x4, .x5, .x6, .x7]
        var nextInteger = 0, nextFloat = 0, stackWords = 0
        var result: [Place] = []
        for param in params {
            if param == .f32 || param == .f64 || param == .v128 {
                if nextFloat < 8 {
                    result.append(.float(V(rawValue: UInt8(nextFloat))!))
                    nextFloat += 1
                    continue
                }
            } else if nextInteger < integers.count {
                result.append(.integer(integers[nextInteger]))
                nextInteger += 1
                continue
            }
            result.append(.stack(stackWords))
            stackWords += ValueWords.count(param)
        }
        var pointer: Place?
        if extraPointer {
            if nextInteger < integers.count {
                pointer = .integer(integers[nextInteger])
            } else {
                pointer = .stack(stackWords)
                stackWords += 1
            }
        }
        return (result, pointer, stackWords)
    }

    /// The frame of glue code: a frame record, and x19...x24 saved (the glue keeps its state
    /// in x22...x24; x19...x21 are the wasm code's pinned registers, callee-saved for the C
    /// caller). sp stays 16-byte aligned.
    private mutating func glueFrameEnter() {
        asm.stp(.x, .fp, .lr, .preIndex(.sp, -16))
        asm.mov(.x, .fp, .sp)
        asm.stp(.x, .x19, .x20, .preIndex(.sp, -16))
        asm.stp(.x, .x21, .x22, .preIndex(.sp, -16))
        asm.stp(.x, .x23, .x24, .preIndex(.sp, -16))
    }

    private mutating func glueFrameLeave() {
        asm.sub(.x, .sp, .fp, imm: 48)
        asm.ldp(.x, .x23, .x24, .postIndex(.sp, 16))
        asm.ldp(.x, .x21, .x22, .postIndex(.sp, 16))
        asm.ldp(.x, .x19, .x20, .postIndex(.sp, 16))
        asm.ldp(.x, .fp, .lr, .postIndex(.sp, 16))
        asm.ret()
    }

    /// Reserves `bytes` (rounded up to 16) below sp.
    private mutating func reserveStack(_ bytes: Int) {
        let size = Int64((bytes + 15) & ~15)
        guard size > 0 else { return }
        if AArch64.AddSubImmediate(UInt64(size)) != nil {
            asm.sub(.x, .sp, .sp, imm: size)
        } else {
            asm.mov(.x, AArch64MacroAssembler.temp, imm: UInt64(size))
            asm.sub(.x, .sp, .sp, AArch64MacroAssembler.temp)
        }
    }

    /// `[base, #offset]`, through x17 when out of the immediate forms' reach.
    private mutating func word(_ base: R, _ offset: Int) -> AArch64.Address {
        if AArch64.scaledOffset(Int64(offset), accessSize: 8) != nil { return .offset(base, Int64(offset)) }
        asm.mov(.x, AArch64MacroAssembler.temp, imm: UInt64(offset))
        return .indexed(base, index: AArch64MacroAssembler.temp)
    }

    /// `[base, #offset]` for a 16-byte access (offsets may be 8 mod 16), through x17 when
    /// out of the immediate forms' reach.
    private mutating func quad(_ base: R, _ offset: Int) -> AArch64.Address {
        if AArch64.scaledOffset(Int64(offset), accessSize: 16) != nil || AArch64.unscaledOffset(Int64(offset)) != nil {
            return .offset(base, Int64(offset))
        }
        asm.mov(.x, AArch64MacroAssembler.temp, imm: UInt64(offset))
        return .indexed(base, index: AArch64MacroAssembler.temp)
    }

    /// `void trampoline(code, vmctx, values)`: calls `code` with the parameters in `values`
    /// and writes its results there.
    mutating func arrayCallTrampoline(_ type: FuncType) {
        let (places, pointer, stackWords) = AArch64MacroAssembler.places(type.params, extraPointer: type.results.count > 1)
        // The results area starts past the even argument area a callee may tail-call with.
        let resultsWord = ArgumentArea.words(stackWords)
        let resultWords = ValueWords.offsets(type.results)
        let frameWords = type.results.count > 1 ? resultsWord + ValueWords.total(type.results) : stackWords
        let values = R.x22, code = R.x23, vmctx = R.x24, t = AArch64MacroAssembler.scratch
        glueFrameEnter()
        // The other callee-saved registers too (x25...x28, d8...d15), and the values pointer
        // at fp - 160: after an exception lands in the callee (`kiln_trap` resuming from C
        // code) no callee-saved register but the pinned ones holds what it held at the call.
        asm.stp(.x, .x25, .x26, .preIndex(.sp, -16))
        asm.stp(.x, .x27, .x28, .preIndex(.sp, -16))
        asm.stp(.d, .v8, .v9, .preIndex(.sp, -16))
        asm.stp(.d, .v10, .v11, .preIndex(.sp, -16))
        asm.stp(.d, .v12, .v13, .preIndex(.sp, -16))
        asm.stp(.d, .v14, .v15, .preIndex(.sp, -16))
        asm.stp(.x, .x2, .x2, .preIndex(.sp, -16))
        asm.mov(.x, values, .x2)
        asm.mov(.x, code, .x0)
        asm.mov(.x, vmctx, .x1)
        reserveStack(frameWords * 8)
        for (i, (param, place)) in zip(type.params, places).enumerated() {
            let value = word(values, 16 * i)
            switch place {
            case .integer(let r): asm.ldr(param == .i32 ? .w : .x, r, value)
            case .float(let f) where param == .v128: asm.ldrQ(f, value)
            case .float(let f): asm.ldr(param == .f32 ? .s : .d, f, value)
            case .stack(let index) where param == .v128:
                asm.ldrQ(AArch64MacroAssembler.scratchV, value)
                asm.strQ(AArch64MacroAssembler.scratchV, quad(.sp, 8 * index))
            case .stack(let index):
                asm.ldr(.x, t, value)
                asm.str(.x, t, word(.sp, 8 * index))
            }
        }
        // The results area follows the stack arguments (including a stack-passed pointer).
        if let pointer {
            let target: R
            switch pointer {
            case .integer(let r): target = r
            default: target = t
            }
            asm.mov(.x, AArch64MacroAssembler.temp, imm: UInt64(8 * resultsWord))
            asm.add(.x, target, .sp, AArch64MacroAssembler.temp)
            if case .stack(let index) = pointer { asm.str(.x, t, word(.sp, 8 * index)) }
        }
        asm.mov(.x, .x0, vmctx)
        asm.mov(.x, .x1, vmctx)
        asm.blr(code)
        // A callee that tail-called may return with sp elsewhere: back to fp - 160 - frame.
        let frameBytes = Int64(160 + ((frameWords * 8 + 15) & ~15))
        if AArch64.AddSubImmediate(UInt64(frameBytes)) != nil {
            asm.sub(.x, .sp, .fp, imm: frameBytes)
        } else {
            asm.mov(.x, AArch64MacroAssembler.temp, imm: UInt64(frameBytes))
            asm.sub(.x, .sp, .fp, AArch64MacroAssembler.temp)
        }
        asm.sub(.x, t, .fp, imm: 160)
        asm.ldr(.x, values, .base(t))
        if type.results.count == 1 {
            switch type.results[0] {
            case .f32:
                asm.fmov(.s, t, .v0)
                asm.str(.x, t, .base(values))
            case .f64: asm.str(.d, .v0, .base(values))
            case .v128: asm.strQ(.v0, .base(values))
            default: asm.str(.x, .x0, .base(values))
            }
        } else if type.results.count > 1 {
            for (i, result) in type.results.enumerated() {
                let offset = 8 * (resultsWord + resultWords[i])
                if result == .v128 {
                    asm.ldrQ(AArch64MacroAssembler.scratchV, quad(.sp, offset))
                    asm.strQ(AArch64MacroAssembler.scratchV, word(values, 16 * i))
                } else {
                    asm.ldr(.x, t, word(.sp, offset))
                    asm.str(.x, t, word(values, 16 * i))
                }
            }
        }
        asm.sub(.x, .sp, .fp, imm: 144)
        asm.ldp(.d, .v14, .v15, .postIndex(.sp, 16))
        asm.ldp(.d, .v12, .v13, .postIndex(.sp, 16))
        asm.ldp(.d, .v10, .v11, .postIndex(.sp, 16))
        asm.ldp(.d, .v8, .v9, .postIndex(.sp, 16))
        asm.ldp(.x, .x27, .x28, .postIndex(.sp, 16))
        asm.ldp(.x, .x25, .x26, .postIndex(.sp, 16))
        glueFrameLeave()
    }

    /// On entry to code that is no wasm function but is called as one (`callFuncRef`, a
    /// tail call): stores the caller's frame pointer (still in x29) and the return address
    /// (in x30) in the caller's exit fields (x1 holds its VMContext), where a trap or a
    /// collection in the host starts its walk of the wasm frames (see
    /// KILN_VMCTX_EXIT_FP_OFFSET). Leaves the argument registers and x9 alone.
    private mutating func recordCallerExit() {
        asm.str(.x, .fp, address(.x1, Int64(KILN_VMCTX_EXIT_FP_OFFSET), accessSize: 8))
        asm.str(.x, .lr, address(.x1, Int64(KILN_VMCTX_EXIT_PC_OFFSET), accessSize: 8))
    }

    /// The wasm-convention entry of every host function with a native closure: records the
    /// caller's exit, then jumps to the closure, whose address the host function's context
    /// (in x0) holds at `closureOffset`.
    mutating func hostEntry(closureOffset: Int32) {
        recordCallerExit()
        asm.ldr(.x, AArch64MacroAssembler.scratch, address(.x0, Int64(closureOffset), accessSize: 8))
        asm.br(AArch64MacroAssembler.scratch)
    }

    /// A wasm-convention entry for functions without machine code (host functions,
    /// interpreted functions): stores the arguments into a `ValRaw` array and calls
    /// `arrayCall(funcRef, callerVMContext, values) -> Int32` (the function reference
    /// arrives in x9, see `callFuncRef`). A nonzero status raises the host-error trap.
    mutating func adapter(_ type: FuncType, arrayCall: UInt, raise: UInt) {
        let (places, pointer, _) = AArch64MacroAssembler.places(type.params, extraPointer: type.results.count > 1)
        let slots = max(type.params.count, type.results.count, 1)
        let reference = R.x22, caller = R.x23, resultsPointer = R.x24, t = AArch64MacroAssembler.scratch
        recordCallerExit()
        glueFrameEnter()
        asm.mov(.x, reference, AArch64MacroAssembler.referenceRegister)
        asm.mov(.x, caller, .x1)
        reserveStack(16 * slots)
        // Stack-passed arguments start above the frame record (fp + 16).
        for (i, (param, place)) in zip(type.params, places).enumerated() {
            let value = word(.sp, 16 * i)
            asm.str(.x, .zr, word(.sp, 16 * i + 8))
            switch place {
            case .integer(let r):
                if param == .i32 { asm.mov(.w, r, r) }
                asm.str(.x, r, value)
            case .float(let f) where param == .v128:
                asm.strQ(f, value)
            case .stack(let index) where param == .v128:
                asm.ldrQ(AArch64MacroAssembler.scratchV, quad(.fp, 16 + 8 * index))
                asm.strQ(AArch64MacroAssembler.scratchV, value)
            case .float(let f):
                if param == .f32 {
                    asm.fmov(.s, t, f)
                    asm.str(.x, t, value)
                } else {
                    asm.str(.d, f, value)
                }
            case .stack(let index):
                asm.ldr(.x, t, word(.fp, 16 + 8 * index))
                asm.str(.x, t, value)
            }
        }
        if let pointer {
            switch pointer {
            case .integer(let r): asm.mov(.x, resultsPointer, r)
            case .stack(let index): asm.ldr(.x, resultsPointer, word(.fp, 16 + 8 * index))
            case .float: preconditionFailure()
            }
        }
        asm.mov(.x, .x0, reference)
        asm.mov(.x, .x1, caller)
        asm.mov(.x, .x2, .sp)
        asm.mov(.x, t, imm: UInt64(arrayCall))
        asm.blr(t)
        let failed = asm.newLabel()
        asm.cbnz(.w, .x0, failed)
        if type.results.count == 1 {
            switch type.results[0] {
            case .f32: asm.ldr(.s, .v0, .base(.sp))
            case .f64: asm.ldr(.d, .v0, .base(.sp))
            case .v128: asm.ldrQ(.v0, .base(.sp))
            default: asm.ldr(.x, .x0, .base(.sp))
            }
        } else if type.results.count > 1 {
            for (i, (result, offset)) in zip(type.results, ValueWords.offsets(type.results)).enumerated() {
                if result == .v128 {
                    asm.ldrQ(AArch64MacroAssembler.scratchV, word(.sp, 16 * i))
                    asm.strQ(AArch64MacroAssembler.scratchV, quad(resultsPointer, 8 * offset))
                } else {
                    asm.ldr(.x, t, word(.sp, 16 * i))
                    asm.str(.x, t, word(resultsPointer, 8 * offset))
                }
            }
        }
        glueFrameLeave()
        // Status KILN_HOST_RESUME: a wasm exception that a machine-code frame below catches.
        asm.bind(failed)
        let resume = asm.newLabel()
        asm.cmp(.w, .x0, imm: Int64(KILN_HOST_RESUME))
        asm.b(.eq, resume)
        trap(code: JITTrap.hostError.rawValue, wasmOffset: -1, detail: nil, raise: raise)
        asm.bind(resume)
        trap(code: Int32(KILN_TRAP_RESUME), wasmOffset: -1, detail: nil, raise: raise)
    }
}
