/// Instructions folded into the one that consumes their result: a full-width load of
/// memory 0 into an x86-64 arithmetic or compare operand (`add eax, [base + idx + 8]`,
/// `mulsd xmm0, [base + idx]`), a
/// shift by a constant into A64's shifted-register operand (`add w0, w1, w2, lsl #2`) or
/// x86-64's scaled index (`lea eax, [rcx + rdx*4]`).
///
/// Single pass, so the producer decides by reading the next opcode: when it is an integer
/// `add`, `sub`, `mul`, `and`, `or`, `xor` or comparison of the same width (for a float
/// load: `add`, `sub`, `mul` or `div` of its type), which takes the
/// result as its second operand (the top of the stack), the producer emits nothing and
/// pushes `.folded`, keeping what it needs in `folded`; the consumer's `operand` turns it
/// into an `Operand`. Invariants: at most one folded value exists, always the top operand,
/// and it never outlives the instruction after its producer: `translate` materializes it
/// before any other instruction (the next opcode was read, not decoded, so this is the
/// safety net, not the plan), and every path that reads a location materializes it too.
extension CodeGenerator {
    /// What a `.folded` operand stands for.
    enum FoldedOperand {
        /// `i32.load`, `i64.load`, `f32.load` or `f64.load` of memory 0 at
        /// `index + displacement`, checked by the guard region; `wasmOffset` is the load's,
        /// for the trap.
        case load(LoadOp, index: Reg, displacement: Int32, wasmOffset: Int)
        /// `source` shifted by a constant.
        case shifted(source: Reg, kind: ShiftKind, amount: UInt8, is64: Bool)
    }

    /// The next instruction, when it can consume a folded second operand of the given
    /// width: the integer operation (nil for a comparison). Reads one byte.
    @inline(__always)
    func foldingConsumer(_ immediates: Immediates, is64: Bool) -> IntBinaryOp?? {
        guard let opcode = try? immediates.reader.bytes.peekByte() else { return nil }
        switch opcode {
        case 0x46...0x4F: return is64 ? nil : .some(nil)
        case 0x51...0x5A: return is64 ? .some(nil) : nil
        default: break
        }
        let base: UInt8 = is64 ? 0x7C : 0x6A
        guard opcode >= base else { return nil }
        switch opcode - base {
        case 0: return .add
        case 1: return .sub
        case 2: return .mul
        case 7: return .and
        case 8: return .or
        case 9: return .xor
        default: return nil
        }
    }

    /// Whether `instruction` takes a folded operand (see `foldingConsumer`).
    @inline(__always)
    func consumesFolded(_ instruction: Instruction) -> Bool {
        guard case .numeric(let op) = instruction else { return false }
        switch op.rawValue {
        case 0x46...0x4F, 0x51...0x5A, 0x6A...0x6C, 0x71...0x73, 0x7C...0x7E, 0x83...0x85,
             0x92...0x95, 0xA0...0xA3: return true
        default: return false
        }
    }

    /// Whether the next instruction is an f32 (or f64) `add`, `sub`, `mul` or `div`.
    @inline(__always)
    func nextIsFloatArithmetic(_ immediates: Immediates, is64: Bool) -> Bool {
        guard let opcode = try? immediates.reader.bytes.peekByte() else { return false }
        return is64 ? (0xA0...0xA3).contains(opcode) : (0x92...0x95).contains(opcode)
    }

    /// A full-width load of memory 0 with an index register: folds it when the next
    /// instruction can take it as a memory operand. Returns whether it did.
    mutating func foldLoad(_ op: LoadOp, _ memArg: MemArg, immediates: Immediates) -> Bool {
        guard M.foldsLoadsIntoOperands, !explicitBounds, let displacement = Int32(exactly: memArg.offset) else { return false }
        switch op {
        case .i32Load, .i64Load: guard foldingConsumer(immediates, is64: op == .i64Load) != nil else { return false }
        case .f32Load, .f64Load: guard nextIsFloatArithmetic(immediates, is64: op == .f64Load) else { return false }
        default: return false
        }
        let index = readRegister(pop())
        folded = .load(op, index: index, displacement: displacement, wasmOffset: wasmOffset)
        push(op.resultType, .folded)
        return true
    }

    /// A shift by a constant (`amount`, already reduced modulo the width): folds it when
    /// the next instruction takes it as a shifted operand. The shifted value is on top.
    mutating func foldShift(_ kind: ShiftKind, is64: Bool, amount: UInt8, immediates: Immediates) -> Bool {
        guard amount != 0, let consumer = foldingConsumer(immediates, is64: is64),
              M.foldsShift(kind, amount: amount, into: consumer) else { return false }
        let source = readRegister(pop())
        folded = .shifted(source: source, kind: kind, amount: amount, is64: is64)
        push(is64 ? .i64 : .i32, .folded)
        return true
    }

    /// The consumer's side (from `operand`): the folded value as an operand. Its register
    /// is the caller's to release (`releaseOperand`), and borrowed for the instruction.
    mutating func foldedOperand() -> Operand {
        guard let value = folded else {
            invariantFailed("a folded operand without its producer")
            return .imm(0)
        }
        folded = nil
        switch value {
        case .load(_, let index, let displacement, let offset):
            borrowed.insert(index)
            // The instruction reading the operand is the access (nothing between faults).
            memoryAccesses.append((masm.offset, offset))
            return .memory(index: index, displacement: displacement)
        case .shifted(let source, let kind, let amount, _):
            borrowed.insert(source)
            return .shifted(source, kind, amount: amount)
        }
    }

    /// The float consumer's side: the folded load's index register (the caller's to
    /// release, borrowed for the instruction) and displacement, when the top operand is
    /// one. Pops it.
    mutating func popFoldedLoad() -> (index: Reg, displacement: Int32)? {
        guard case .folded = stack.last?.location, case .load(_, let index, let displacement, let offset)? = folded else { return nil }
        _ = pop()
        folded = nil
        borrowed.insert(index)
        memoryAccesses.append((masm.offset, offset))
        return (index, displacement)
    }

    /// Emits the folded instruction on its own, into a register the caller owns.
    mutating func materializedFolded() -> Reg {
        guard let value = folded else {
            invariantFailed("a folded operand without its producer")
            return M.scratchGPR
        }
        folded = nil
        switch value {
        case .load(let op, let index, let displacement, let offset):
            borrowed.insert(index)
            let reg = allocate(float: op == .f32Load || op == .f64Load)
            memoryAccesses.append((masm.offset, offset))
            masm.wasmLoad(op, reg, index: index, offset: UInt64(displacement),
                          definitionOffset: Int32(layout.memory(0)), boundsTrap: nil)
            release(index)
            return reg
        case .shifted(let source, let kind, let amount, let is64):
            borrowed.insert(source)
            let reg = cacheOwner(source) == nil ? source : allocate(float: false)
            if reg != source { masm.move(is64 ? .i64 : .i32, reg, source) }
            masm.shift(kind, is64: is64, reg, count: .imm(Int32(amount)))
            return reg
        }
    }

    /// Puts a folded top operand in a register (before an instruction that does not
    /// consume it).
    mutating func materializeFoldedTop() {
        guard case .folded = stack.last?.location else {
            invariantFailed("a folded operand below the top of the stack")
            return
        }
        stack[stack.count - 1].location = .reg(materializedFolded())
    }
}
