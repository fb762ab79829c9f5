import CKilnShims

/// Glue between the array-call convention (a `ValRaw` array holding the parameters, then
/// the results) used by Swift, and the wasm convention of machine code.
extension X64MacroAssembler {
    /// Where each parameter goes under the C convention after the two VMContext arguments.
    private enum Place { case integer(GPR), float(XMM), stack(Int) }

    private static func places(_ params: [ValType], extraPointer: Bool) -> (places: [Place], pointer: Place?, stackWords: Int) {
        let integers: [GPR] = [.rdx, .rcx, .r8, .r9]
        var nextInteger = 0, nextFloat = 0, stackWords = 0
        var result: [Place] = []
        for param in params {
            if param == .f32 || param == .f64 || param == .v128 {
                if nextFloat < 8 {
                    result.append(.float(XMM(rawValue: UInt8(nextFloat))!))
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

    /// The frame of glue code: rbp, and four callee-saved registers the glue keeps its
    /// state in (which leaves rsp 16-byte aligned).
    private mutating func glueFrameEnter() {
        asm.push(.rbp)
        asm.mov(.s64, .rbp, .rsp)
        asm.push(.rbx)
        asm.push(.r12)
        asm.push(.r13)
        asm.push(.r14)
    }

    private mutating func glueFrameLeave() {
        asm.lea(.s64, .rsp, .base(.rbp, -32))
        asm.pop(.r14)
        asm.pop(.r13)
        asm.pop(.r12)
        asm.pop(.rbx)
        asm.pop(.rbp)
        asm.ret()
    }

    /// `void trampoline(code, vmctx, values)`: calls `code` with the parameters in `values`
    /// and writes its results there.
    mutating func arrayCallTrampoline(_ type: FuncType) {
        let (places, pointer, stackWords) = X64MacroAssembler.places(type.params, extraPointer: type.results.count > 1)
        // The results area starts past the even argument area a callee may tail-call with.
        let resultsWord = ArgumentArea.words(stackWords)
        let resultWords = ValueWords.offsets(type.results)
        let frameWords = type.results.count > 1 ? resultsWord + ValueWords.total(type.results) : stackWords
        glueFrameEnter()
        // The values pointer also stays at [rbp - 40]: after an exception lands in the
        // callee (`kiln_trap` resuming from C code) no callee-saved register but the
        // pinned ones holds what it held at the call.
        asm.push(.rdx)
        asm.push(.rdx)
        asm.mov(.s64, .rbx, .rdx)
        asm.mov(.s64, .r12, .rdi)
        asm.mov(.s64, .r13, .rsi)
        let frame = Int32((frameWords * 8 + 15) & ~15)
        if frame > 0 { asm.sub(.s64, .rsp, imm: frame) }
        for (i, (param, place)) in zip(type.params, places).enumerated() {
            let value = MemoryOperand.base(.rbx, Int32(16 * i))
            switch place {
            case .integer(let r): asm.mov(param == .i32 ? .s32 : .s64, r, value)
            case .float(let f):
                switch param {
                case .f32: asm.movss(f, value)
                case .f64: asm.movsd(f, value)
                default: asm.movdqu(f, value)
                }
            case .stack(let word) where param == .v128:
                asm.movdqu(X64MacroAssembler.scratchXMM, value)
                asm.movdqu(.base(.rsp, Int32(8 * word)), X64MacroAssembler.scratchXMM)
            case .stack(let word):
                asm.mov(.s64, X64MacroAssembler.scratch, value)
                asm.mov(.s64, .base(.rsp, Int32(8 * word)), X64MacroAssembler.scratch)
            }
        }
        // The results area follows the stack arguments (including a stack-passed pointer).
        if let pointer {
            switch pointer {
            case .integer(let r): asm.lea(.s64, r, .base(.rsp, Int32(8 * resultsWord)))
            case .stack(let word):
                asm.lea(.s64, X64MacroAssembler.scratch, .base(.rsp, Int32(8 * resultsWord)))
                asm.mov(.s64, .base(.rsp, Int32(8 * word)), X64MacroAssembler.scratch)
            case .float: preconditionFailure()
            }
        }
        asm.mov(.s64, .rdi, .r13)
        asm.mov(.s64, .rsi, .r13)
        asm.call(.r12)
        // A callee that tail-called may return with rsp elsewhere.
        asm.lea(.s64, .rsp, .base(.rbp, -48 - frame))
        asm.mov(.s64, .rbx, .base(.rbp, -40))
        if type.results.count == 1 {
            switch type.results[0] {
            case .f32:
                asm.movd(.rax, .xmm0)
                asm.mov(.s64, .base(.rbx, 0), .rax)
            case .f64: asm.movsd(.base(.rbx, 0), .xmm0)
            case .v128: asm.movdqu(.base(.rbx, 0), .xmm0)
            default: asm.mov(.s64, .base(.rbx, 0), .rax)
            }
        } else if type.results.count > 1 {
            for (i, result) in type.results.enumerated() {
                let word = Int32(8 * (resultsWord + resultWords[i]))
                if result == .v128 {
                    asm.movdqu(X64MacroAssembler.scratchXMM, .base(.rsp, word))
                    asm.movdqu(.base(.rbx, Int32(16 * i)), X64MacroAssembler.scratchXMM)
                } else {
                    asm.mov(.s64, X64MacroAssembler.scratch, .base(.rsp, word))
                    asm.mov(.s64, .base(.rbx, Int32(16 * i)), X64MacroAssembler.scratch)
                }
            }
        }
        glueFrameLeave()
    }

    /// On entry to code that is no wasm function but is called as one (`callFuncRef`, a
    /// tail call): stores the caller's frame pointer (still in rbp) and the return address
    /// (at rsp) in the caller's exit fields (rsi holds its VMContext), where a trap or a
    /// collection in the host starts its walk of the wasm frames (see
    /// KILN_VMCTX_EXIT_FP_OFFSET). Leaves the argument registers and rax alone.
    private mutating func recordCallerExit() {
        asm.mov(.s64, .base(.rsi, Int32(KILN_VMCTX_EXIT_FP_OFFSET)), .rbp)
        asm.mov(.s64, X64MacroAssembler.scratch, .base(.rsp, 0))
        asm.mov(.s64, .base(.rsi, Int32(KILN_VMCTX_EXIT_PC_OFFSET)), X64MacroAssembler.scratch)
    }

    /// The wasm-convention entry of every host function with a native closure: records the
    /// caller's exit, then jumps to the closure, whose address the host function's context
    /// (in rdi) holds at `closureOffset`.
    mutating func hostEntry(closureOffset: Int32) {
        recordCallerExit()
        asm.jmp(.base(.rdi, closureOffset))
    }

    /// A wasm-convention entry for functions without machine code (host functions,
    /// interpreted functions): stores the arguments into a `ValRaw` array and calls
    /// `arrayCall(funcRef, callerVMContext, values) -> Int32` (the function reference
    /// arrives in rax). A nonzero status raises the host-error trap.
    mutating func adapter(_ type: FuncType, arrayCall: UInt, raise: UInt) {
        let (places, pointer, _) = X64MacroAssembler.places(type.params, extraPointer: type.results.count > 1)
        let slots = max(type.params.count, type.results.count, 1)
        recordCallerExit()
        glueFrameEnter()
        asm.mov(.s64, .rbx, .rax)
        asm.mov(.s64, .r12, .rsi)
        asm.sub(.s64, .rsp, imm: Int32((16 * slots + 15) & ~15))
        for (i, (param, place)) in zip(type.params, places).enumerated() {
            let value = MemoryOperand.base(.rsp, Int32(16 * i))
            asm.mov(.s64, .base(.rsp, Int32(16 * i + 8)), imm: 0)
            switch place {
            case .integer(let r):
                if param == .i32 { asm.mov(.s32, r, r) }
                asm.mov(.s64, value, r)
            case .float(let f) where param == .v128:
                asm.movdqu(value, f)
            case .float(let f):
                asm.mov(.s64, value, imm: 0)
                param == .f32 ? asm.movss(value, f) : asm.movsd(value, f)
            case .stack(let word) where param == .v128:
                asm.movdqu(X64MacroAssembler.scratchXMM, .base(.rbp, 16 + Int32(8 * word)))
                asm.movdqu(value, X64MacroAssembler.scratchXMM)
            case .stack(let word):
                asm.mov(.s64, X64MacroAssembler.scratch, .base(.rbp, 16 + Int32(8 * word)))
                asm.mov(.s64, value, X64MacroAssembler.scratch)
            }
        }
        if let pointer {
            switch pointer {
            case .integer(let r): asm.mov(.s64, .r13, r)
            case .stack(let word): asm.mov(.s64, .r13, .base(.rbp, 16 + Int32(8 * word)))
            case .float: preconditionFailure()
            }
        }
        asm.mov(.s64, .rdi, .rbx)
        asm.mov(.s64, .rsi, .r12)
        asm.mov(.s64, .rdx, .rsp)
        asm.mov(.s64, .rax, imm: Int64(bitPattern: UInt64(arrayCall)))
        asm.call(.rax)
        let failed = asm.newLabel()
        asm.test(.s32, .rax, .rax)
        asm.jcc(.ne, failed)
        if type.results.count == 1 {
            switch type.results[0] {
            case .f32: asm.movss(.xmm0, .base(.rsp, 0))
            case .f64: asm.movsd(.xmm0, .base(.rsp, 0))
            case .v128: asm.movdqu(.xmm0, .base(.rsp, 0))
            default: asm.mov(.s64, .rax, .base(.rsp, 0))
            }
        } else if type.results.count > 1 {
            for (i, (result, word)) in zip(type.results, ValueWords.offsets(type.results)).enumerated() {
                if result == .v128 {
                    asm.movdqu(X64MacroAssembler.scratchXMM, .base(.rsp, Int32(16 * i)))
                    asm.movdqu(.base(.r13, Int32(8 * word)), X64MacroAssembler.scratchXMM)
                } else {
                    asm.mov(.s64, X64MacroAssembler.scratch, .base(.rsp, Int32(16 * i)))
                    asm.mov(.s64, .base(.r13, Int32(8 * word)), X64MacroAssembler.scratch)
                }
            }
        }
        glueFrameLeave()
        // Status KILN_HOST_RESUME: a wasm exception that a machine-code frame below catches.
        asm.bind(failed)
        let resume = asm.newLabel()
        asm.cmp(.s32, .rax, imm: Int32(KILN_HOST_RESUME))
        asm.jcc(.e, resume)
        trap(code: JITTrap.hostError.rawValue, wasmOffset: -1, detail: nil, raise: raise)
        asm.bind(resume)
        trap(code: Int32(KILN_TRAP_RESUME), wasmOffset: -1, detail: nil, raise: raise)
    }
}
