/// Scalar numeric instructions: comparisons, arithmetic, conversions.
extension CodeGenerator {
    mutating func translateNumeric(_ op: NumericOp, immediates: Immediates) {
        let raw = op.rawValue
        switch raw {
        case 0x45, 0x50:  // eqz
            let reg = readRegister(pop())
            masm.testZero(is64: raw == 0x50, reg)
            release(reg)
            push(.i32, .flags(.eq))
        case 0x46...0x4F, 0x51...0x5A:
            let is64 = raw >= 0x51
            let conditions: [IntCondition] = [.eq, .ne, .ltS, .ltU, .gtS, .gtU, .leS, .leU, .geS, .geU]
            let condition = conditions[Int(raw - (is64 ? 0x51 : 0x46))]
            let b = operand(pop())
            let a = readRegister(pop())
            masm.compare(is64: is64, a, b)
            releaseOperand(b)
            release(a)
            push(.i32, .flags(condition))
        case 0x5B...0x66:
            let is64 = raw >= 0x61
            let conditions: [FloatCondition] = [.eq, .ne, .lt, .gt, .le, .ge]
            let condition = conditions[Int(raw - (is64 ? 0x61 : 0x5B))]
            let b = readRegister(pop())
            let a = readRegister(pop())
            if let flags = masm.floatCompareFlags(condition, is64: is64, a, b) {
                // Left in the flags for a branch or select that consumes it next.
                release(a)
                release(b)
                push(.i32, .flags(flags))
                return
            }
            let dst = allocate(float: false)
            masm.floatCompare(condition, is64: is64, dst, a, b)
            release(a)
            release(b)
            push(.i32, .reg(dst))
        case 0x67...0x69, 0x79...0x7B:
            let is64 = raw >= 0x79
            let unary: [IntUnaryOp] = [.clz, .ctz, .popcnt]
            let reg = register(pop())
            masm.integerUnary(unary[Int(raw - (is64 ? 0x79 : 0x67))], is64: is64, reg, reg)
            push(is64 ? .i64 : .i32, .reg(reg))
        case 0x6A...0x78, 0x7C...0x8A:
            let is64 = raw >= 0x7C
            let index = Int(raw - (is64 ? 0x7C : 0x6A))
            // add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr
            switch index {
            case 0, 1, 2, 7, 8, 9:
                let binary: IntBinaryOp
                switch index {
                case 0: binary = .add
                case 1: binary = .sub
                case 2: binary = .mul
                case 7: binary = .and
                case 8: binary = .or
                default: binary = .xor
                }
                let b = operand(pop())
                let aPopped = pop()
                let type: ValType = is64 ? .i64 : .i32
                let target = resultLocal(immediates, type: type)
                if let target, aPopped.value.location == .local(target), let reg = localCache[target]?.reg {
                    // `local.set x (op (local.get x) b)`: the local's register, in place.
                    spillReaders(of: target)
                    masm.integerBinary(binary, is64: is64, reg, b)
                    releaseOperand(b)
                    localCache[target]!.dirty = true
                    push(type, .local(target))
                } else if isCachedLocal(aPopped) {
                    // A local's register stays intact: the result goes to a register of its own.
                    let a = readRegister(aPopped)
                    var inputs = RegisterSet()
                    inputs.insert(a)
                    switch b {
                    case .reg(let r), .memory(let r, _), .shifted(let r, _, _): inputs.insert(r)
                    case .imm, .slot: break
                    }
                    if let destination = resultRegister(for: target, avoiding: inputs) {
                        masm.integerBinary(binary, is64: is64, destination.reg, a, b)
                        releaseOperand(b)
                        pushResult(type, destination, local: target!)
                    } else {
                        let dst = allocate(float: false)
                        masm.integerBinary(binary, is64: is64, dst, a, b)
                        releaseOperand(b)
                        push(type, .reg(dst))
                    }
                } else {
                    let a = register(aPopped)
                    masm.integerBinary(binary, is64: is64, a, b)
                    releaseOperand(b)
                    push(type, .reg(a))
                }
            case 3, 4, 5, 6:
                let kinds: [DivisionKind] = [.divS, .divU, .remS, .remU]
                emitDivision(kinds[index - 3], is64: is64)
            default:
                let kinds: [ShiftKind] = [.shl, .shrS, .shrU, .rotl, .rotr]
                emitShift(kinds[index - 10], is64: is64, immediates: immediates)
            }
        case 0x8B...0x91, 0x99...0x9F:
            let is64 = raw >= 0x99
            let ops: [FloatUnaryOp] = [.abs, .neg, .ceil, .floor, .trunc, .nearest, .sqrt]
            let op = ops[Int(raw - (is64 ? 0x99 : 0x8B))]
            // Every form reads a source apart from its destination (`sqrtsd xmm1, xmm7`,
            // `fneg d1, d7`): a cached local is read where it is, anything else in place.
            let popped = pop()
            let inPlace = !isCachedLocal(popped)
            let source = inPlace ? register(popped) : readRegister(popped)
            let reg = inPlace ? source : allocate(float: true)
            masm.floatUnary(op, is64: is64, reg, source)
            push(is64 ? .f64 : .f32, .reg(reg))
        case 0x92...0x98, 0xA0...0xA6:
            let is64 = raw >= 0xA0
            let ops: [FloatBinaryOp] = [.add, .sub, .mul, .div, .min, .max, .copysign]
            let op = ops[Int(raw - (is64 ? 0xA0 : 0x92))]
            if let (index, displacement) = popFoldedLoad() {
                translateFloatBinary(op, is64: is64, memoryIndex: index, displacement: displacement, immediates: immediates)
                return
            }
            let b = readRegister(pop())
            let aPopped = pop()
            let type: ValType = is64 ? .f64 : .f32
            let target = resultLocal(immediates, type: type)
            if let target, aPopped.value.location == .local(target), let reg = localCache[target]?.reg {
                spillReaders(of: target)
                masm.floatBinary(op, is64: is64, reg, b)
                release(b)
                localCache[target]!.dirty = true
                push(type, .local(target))
            } else if isCachedLocal(aPopped) {
                let a = readRegister(aPopped)
                if let destination = resultRegister(for: target, avoiding: RegisterSet(a, b)) {
                    masm.floatBinary(op, is64: is64, destination.reg, a, b)
                    release(b)
                    pushResult(type, destination, local: target!)
                } else {
                    let dst = allocate(float: true)
                    masm.floatBinary(op, is64: is64, dst, a, b)
                    release(b)
                    push(type, .reg(dst))
                }
            } else {
                let a = register(aPopped)
                masm.floatBinary(op, is64: is64, a, b)
                release(b)
                push(type, .reg(a))
            }
        default:
            translateConversion(op)
        }
    }

    mutating func emitDivision(_ kind: DivisionKind, is64: Bool) {
        guard let (quotient, remainder) = M.divisionRegisters else {
            // Division in any registers: the result replaces the dividend.
            let divisor = register(pop())
            let dividend = register(pop())
            masm.divide(kind, is64: is64, dividend: dividend, divisor: divisor,
                        divideByZero: trapLabel(.integerDivisionByZero), overflow: trapLabel(.integerOverflow))
            release(divisor)
            push(is64 ? .i64 : .i32, .reg(dividend))
            return
        }
        let bPopped = pop()
        let aPopped = pop()
        claim(quotient)
        claim(remainder)
        // The divisor goes to a register other than the two division registers.
        var divisor: Reg
        if case .reg(let reg) = bPopped.value.location, reg != quotient, reg != remainder {
            divisor = reg
        } else {
            divisor = allocate(float: false)
            load(bPopped, into: divisor)
            // Moving the divisor out of a division register must not free it.
            freeRegisters.remove(quotient)
            freeRegisters.remove(remainder)
        }
        // The dividend goes to the quotient register.
        if case .reg(let reg) = aPopped.value.location {
            if reg != quotient {
                masm.move(is64 ? .i64 : .i32, quotient, reg)
                if reg != remainder { release(reg) }
            }
        } else {
            load(aPopped, into: quotient)
        }
        masm.divide(kind, is64: is64, dividend: quotient, divisor: divisor, divideByZero: trapLabel(.integerDivisionByZero),
                    overflow: trapLabel(.integerOverflow))
        release(divisor)
        let result = (kind == .divS || kind == .divU) ? quotient : remainder
        release(result == quotient ? remainder : quotient)
        push(is64 ? .i64 : .i32, .reg(result))
    }

    /// A float `add`, `sub`, `mul` or `div` whose second operand is a folded load.
    mutating func translateFloatBinary(_ op: FloatBinaryOp, is64: Bool, memoryIndex index: Reg, displacement: Int32,
                                       immediates: Immediates) {
        let aPopped = pop()
        let type: ValType = is64 ? .f64 : .f32
        let target = resultLocal(immediates, type: type)
        if let target, aPopped.value.location == .local(target), let reg = localCache[target]?.reg {
            spillReaders(of: target)
            masm.floatBinary(op, is64: is64, reg, reg, memoryIndex: index, displacement: displacement)
            release(index)
            localCache[target]!.dirty = true
            push(type, .local(target))
        } else if isCachedLocal(aPopped) {
            let a = readRegister(aPopped)
            if let destination = resultRegister(for: target, avoiding: RegisterSet(a, index)) {
                masm.floatBinary(op, is64: is64, destination.reg, a, memoryIndex: index, displacement: displacement)
                release(index)
                pushResult(type, destination, local: target!)
            } else {
                let dst = allocate(float: true)
                masm.floatBinary(op, is64: is64, dst, a, memoryIndex: index, displacement: displacement)
                release(index)
                push(type, .reg(dst))
            }
        } else {
            let a = register(aPopped)
            masm.floatBinary(op, is64: is64, a, a, memoryIndex: index, displacement: displacement)
            release(index)
            push(type, .reg(a))
        }
    }

    mutating func emitShift(_ kind: ShiftKind, is64: Bool, immediates: Immediates) {
        let bPopped = pop()
        if case .const(let bits) = bPopped.value.location {
            if foldShift(kind, is64: is64, amount: UInt8(truncatingIfNeeded: bits & (is64 ? 63 : 31)), immediates: immediates) {
                return
            }
            let a = register(pop())
            masm.shift(kind, is64: is64, a, count: .imm(Int32(truncatingIfNeeded: bits & (is64 ? 63 : 31))))
            push(is64 ? .i64 : .i32, .reg(a))
            return
        }
        guard let countRegister = M.shiftCountRegister else {
            // ISAs with variable shifts in any register.
            let count = register(bPopped)
            let a = register(pop())
            masm.shift(kind, is64: is64, a, count: .reg(count))
            release(count)
            push(is64 ? .i64 : .i32, .reg(a))
            return
        }
        var aPopped = pop()
        claim(countRegister)
        if case .reg(let reg) = aPopped.value.location, reg == countRegister {
            let moved = allocate(float: false)
            masm.move(.i64, moved, reg)
            aPopped.value.location = .reg(moved)
        }
        if case .reg(let reg) = bPopped.value.location, reg == countRegister {
            // Already in place.
        } else {
            load(bPopped, into: countRegister)
        }
        let a = register(aPopped)
        masm.shift(kind, is64: is64, a, count: .reg(countRegister))
        release(countRegister)
        push(is64 ? .i64 : .i32, .reg(a))
    }

    mutating func translateConversion(_ op: NumericOp) {
        switch op {
        case .i32WrapI64, .i64ExtendI32S, .i64ExtendI32U, .i32Extend8S, .i32Extend16S,
            .i64Extend8S, .i64Extend16S, .i64Extend32S:
            // From a cached local's register into one of its own; otherwise in place.
            let source = readRegister(pop())
            let reg = cacheOwner(source) == nil ? source : allocate(float: false)
            masm.extend(op, reg, source)
            push(op.signature.result, .reg(reg))
        case .f32ConvertI32S, .f32ConvertI32U, .f32ConvertI64S, .f32ConvertI64U,
            .f64ConvertI32S, .f64ConvertI32U, .f64ConvertI64S, .f64ConvertI64U:
            let signature = op.signature
            let source = register(pop())
            let dst = allocate(float: true)
            let signed = [.f32ConvertI32S, .f32ConvertI64S, .f64ConvertI32S, .f64ConvertI64S].contains(op)
            masm.convertIntToFloat(signed: signed, from64: signature.operands.0 == .i64, to64: signature.result == .f64, dst, source)
            release(source)
            push(signature.result, .reg(dst))
        case .f32DemoteF64, .f64PromoteF32:
            let reg = register(pop())
            masm.convertFloat(to64: op == .f64PromoteF32, reg, reg)
            push(op.signature.result, .reg(reg))
        case .i32ReinterpretF32, .i64ReinterpretF64, .f32ReinterpretI32, .f64ReinterpretI64:
            let source = register(pop())
            let toFloat = op == .f32ReinterpretI32 || op == .f64ReinterpretI64
            let dst = allocate(float: toFloat)
            masm.reinterpret(dst, source, is64: op == .i64ReinterpretF64 || op == .f64ReinterpretI64)
            release(source)
            push(op.signature.result, .reg(dst))
        default:
            // Float-to-integer truncations (trapping and saturating) go through the runtime:
            // the argument as raw bits, the operation as an immediate.
            let source = pop()
            let bits = allocate(float: false)
            let sourceReg = register(source)
            masm.reinterpret(bits, sourceReg, is64: source.value.type == .f64)
            release(sourceReg)
            push(.i64, .reg(bits))
            push(.i32, .const(UInt64(op.rawValue)))
            callBuiltin(Builtins.truncate, arguments: 2, result: op.signature.result)
        }
    }
}
