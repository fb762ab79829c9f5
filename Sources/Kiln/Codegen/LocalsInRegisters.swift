/// A register state that control flow agrees on: which local each of a set of registers
/// holds at a loop head (`Block.loopLocals`) or at a block's end (`Block.mergeLocals`).
///
/// The value is plain data, so copying a `Block` costs no reference counting (blocks are
/// read and copied on every branch). The locals live in the current function's
/// `CodeGenerator.statePool`, one per register in the order of their bit indices, from
/// `start`. A state never changes once made, and the pool only grows during a function, so a
/// state stays valid until the next function begins.
struct LocalsInRegisters: BitwiseCopyable {
    /// The registers holding the state's locals.
    var registers = RegisterSet()
    /// Where the locals start in the pool.
    var start: Int32 = 0

    /// A state holding nothing.
    static var empty: LocalsInRegisters { LocalsInRegisters() }

    var isEmpty: Bool { registers.isEmpty }
}

/// The `(local, register)` pairs of a state, in register order: iterating takes a copy, so
/// code may change the generator (and even the pool) meanwhile.
struct LocalAssignments: Sequence, IteratorProtocol {
    var registers: RegisterSet
    let pool: [Int32]
    var position: Int

    @inline(__always)
    mutating func next() -> (local: Int, reg: Reg)? {
        guard let reg = registers.next() else { return nil }
        defer { position += 1 }
        return (Int(pool[position]), reg)
    }
}

extension CodeGenerator {
    /// The state of the local cache as it is now.
    mutating func recordCachedLocals() -> LocalsInRegisters {
        let state = LocalsInRegisters(registers: cachedRegisters, start: Int32(statePool.count))
        for reg in cachedRegisters { statePool.append(Int32(cacheOwners[RegisterSet.index(reg)])) }
        return state
    }

    /// A state's locals and their registers.
    @inline(__always)
    func assignments(_ state: LocalsInRegisters) -> LocalAssignments {
        LocalAssignments(registers: state.registers, pool: statePool, position: Int(state.start))
    }

    /// The local a state keeps in `reg`, if any.
    @inline(__always)
    func local(in reg: Reg, of state: LocalsInRegisters) -> Int? {
        guard state.registers.contains(reg) else { return nil }
        return Int(statePool[Int(state.start) + state.registers.rank(of: reg)])
    }

    /// The register a state keeps `local` in, if any.
    @inline(__always)
    func register(of local: Int, in state: LocalsInRegisters) -> Reg? {
        var position = Int(state.start)
        for reg in state.registers {
            if statePool[position] == Int32(local) { return reg }
            position += 1
        }
        return nil
    }

    /// Whether the current local cache already matches a state: each of its locals cached in
    /// its register, and no other local dirty (which the state's code would not store).
    @inline(__always)
    func cacheMatches(_ state: LocalsInRegisters) -> Bool {
        guard localsInPlace(state) else { return false }
        // Every state local is where the state wants it, so a dirty local that the state
        // holds is in a register the state holds it in.
        for reg in cachedRegisters.subtracting(state.registers) {
            if localCache[cacheOwners[RegisterSet.index(reg)]]!.dirty { return false }
        }
        return true
    }

    /// Whether each of a state's locals is cached in the register the state keeps it in
    /// (other locals may be cached too, dirty or not).
    @inline(__always)
    func localsInPlace(_ state: LocalsInRegisters) -> Bool {
        var position = Int(state.start)
        for reg in state.registers {
            guard localCache[Int(statePool[position])]?.reg == reg else { return false }
            position += 1
        }
        return true
    }

    /// Emits, without changing the abstract state, what turns the current local cache into
    /// a state: other dirty locals stored, the state's locals moved or loaded into their
    /// registers (a parallel move).
    mutating func emitConformance(to state: LocalsInRegisters) {
        // The registers now holding locals the state keeps (wherever it keeps them), and
        // the moves that bring them to the state's registers.
        var keptNow = RegisterSet()
        var moves = conformanceMoves  // storage reused from merge to merge
        conformanceMoves = []
        moves.removeAll(keepingCapacity: true)
        for (local, reg) in assignments(state) {
            guard let cached = localCache[local] else { continue }
            keptNow.insert(cached.reg)
            if cached.reg != reg { moves.append((reg, cached.reg, localTypes[local])) }
        }
        for reg in cachedRegisters.subtracting(keptNow) {
            let local = owner(reg)
            if localCache[local]!.dirty { masm.store(localTypes[local], slot: localSlot(local), reg) }
        }
        // A parallel move: each step makes the first move whose destination no pending move
        // still reads; a cycle parks one source in the scratch register. (Each register
        // holds one local, so the pending sources are distinct.)
        var sources = RegisterSet()
        for move in moves { sources.insert(move.source) }
        while !moves.isEmpty {
            if let ready = moves.firstIndex(where: { !sources.contains($0.destination) }) {
                let move = moves.remove(at: ready)
                sources.remove(move.source)
                masm.move(move.type, move.destination, move.source)
            } else {
                let parked = moves[0]
                let scratch = parked.source.isFloat ? M.scratchFPR : M.scratchGPR
                masm.move(parked.type, scratch, parked.source)
                sources.remove(parked.source)
                sources.insert(scratch)
                moves[0].source = scratch
            }
        }
        conformanceMoves = moves
        for (local, reg) in assignments(state) where localCache[local] == nil {
            masm.load(localTypes[local], reg, slot: localSlot(local))
        }
    }

    /// Loads a state's locals from their frame slots (where every path into a landing pad or
    /// an interrupt stub's return has them).
    mutating func loadLocals(of state: LocalsInRegisters) {
        for (local, reg) in assignments(state) { masm.load(localTypes[local], reg, slot: localSlot(local)) }
    }
}
