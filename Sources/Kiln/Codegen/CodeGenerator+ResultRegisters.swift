/// Results computed where the next instruction wants them: when an operation is followed
/// by `local.set` or `local.tee`, its result goes straight into that local's register (the
/// one it is cached in, or the one its loop's head keeps it in), so neither the set nor the
/// loop's back edge moves it.
extension CodeGenerator {
    /// The local the next instruction stores this operation's result to (`local.set` or
    /// `local.tee`), if any: computing the result straight into that local's register saves
    /// the move that re-homing it would cost at the loop's back edge.
    ///
    /// The next instruction is not validated yet: a local out of range or of another type
    /// (the module is invalid, and the validator will say so) gives nil.
    @inline(__always)
    func resultLocal(_ immediates: Immediates, type: ValType) -> Int? {
        // Only the opcode and the index are read, not a whole instruction.
        var bytes = immediates.reader.bytes
        guard let opcode = try? bytes.readByte(), opcode == 0x21 || opcode == 0x22,  // local.set, local.tee
              let target = try? bytes.readU32() else { return nil }
        let local = Int(target)
        return local < localTypes.count && localTypes[local] == type ? local : nil
    }

    /// Spills the operands that still read `local` lazily, before its register changes.
    mutating func spillReaders(of local: Int) {
        for i in stack.indices where stack[i].location == .local(local) { spill(i) }
    }

    /// A register to compute a result for `local` into, when it is neither input: the
    /// local's own register (its old value then goes to the operands still reading it; the
    /// caller pushes `.local(local)`, which the `local.set` that follows finds in place), or
    /// else the register the innermost loop's head keeps the local in, when free (the caller
    /// pushes `.reg`, which the `local.set` caches there).
    mutating func resultRegister(for local: Int?, avoiding inputs: RegisterSet) -> (reg: Reg, isLocalsOwn: Bool)? {
        guard let local else { return nil }
        if let own = localCache[local]?.reg {
            guard !inputs.contains(own) else { return nil }
            spillReaders(of: local)
            return (own, true)
        }
        guard let loop = innermostLoop, let head = register(of: local, in: blocks[loop].loopLocals),
              freeRegisters.contains(head) else { return nil }
        freeRegisters.remove(head)
        return (head, false)
    }

    /// Pushes a result computed by `resultRegister`.
    mutating func pushResult(_ type: ValType, _ destination: (reg: Reg, isLocalsOwn: Bool), local: Int) {
        if destination.isLocalsOwn {
            localCache[local]!.dirty = true
            push(type, .local(local))
        } else {
            push(type, .reg(destination.reg))
        }
    }
}
