/// Loop heads: which locals a loop keeps in registers.
///
/// A single-pass compiler decides a loop head's register state before it has seen the
/// body, and every back edge must bring the locals to that state. Keeping only what
/// happened to be cached on entry leaves a loop's counters in the frame and fills the
/// registers with locals the loop never reads. So the first time a function enters a loop,
/// one linear scan of the loop's instructions (nested loops included, each recorded by
/// itself) counts the reads and writes of every local; the head then holds the most used
/// scalar locals in registers, evicting the cached locals the loop does not use.
extension CodeGenerator {
    /// What a loop's body does with one local.
    struct LoopLocalUse {
        var local: Int
        var uses: Int
        var written: Bool
    }

    /// The locals the loop whose body starts at `reader` uses, most used first. Scans from
    /// the outermost loop not seen yet and records every loop nested in it, so each body is
    /// read once per function. A body that does not decode ends the scan where it fails
    /// (the validator reports it when it gets there; the code is discarded).
    mutating func loopLocalUses(_ reader: OperatorReader) -> [LoopLocalUse] {
        let key = reader.offset
        if let known = loopUses[key] { return known }
        var operators = reader
        // Every local access of the scan in order, as `local << 1 | written`: a loop's are
        // those recorded between its head and its end.
        var accesses: [UInt32] = []
        // Open loops of the scan, innermost last: their body offset and first access.
        var open: [(key: Int, start: Int)] = [(key, 0)]
        // Open blocks of any kind, per open loop: the loop ends at the `end` that closes it.
        var depths: [Int] = [0]
        // The body is not validated yet: locals out of range (an invalid module, which the
        // validator rejects when it gets there) are left out.
        let localCount = localTypes.count
        if loopScanUses.count < localCount { loopScanUses = Array(repeating: 0, count: localCount) }
        func close() {
            let (loopKey, start) = open.removeLast()
            depths.removeLast()
            // Counted in `loopScanUses` (all zero between scans), written as a flag bit.
            var uses: [LoopLocalUse] = []
            for access in accesses[start...] {
                let local = Int(access >> 1)
                if loopScanUses[local] == 0 { uses.append(LoopLocalUse(local: local, uses: 0, written: false)) }
                loopScanUses[local] += 1 << 1
                loopScanUses[local] |= access & 1
            }
            for i in uses.indices {
                let counted = loopScanUses[uses[i].local]
                uses[i].uses = Int(counted >> 1)
                uses[i].written = counted & 1 != 0
                loopScanUses[uses[i].local] = 0
            }
            uses.sort { $0.uses != $1.uses ? $0.uses > $1.uses : $0.local < $1.local }
            loopUses[loopKey] = uses
        }
        while !open.isEmpty, !operators.isAtEnd {
            guard let instruction = try? operators.read() else { break }
            switch instruction {
            case .localGet(let index) where Int(index) < localCount:
                accesses.append(index << 1)
            case .localSet(let index) where Int(index) < localCount, .localTee(let index) where Int(index) < localCount:
                accesses.append(index << 1 | 1)
            case .loop:
                open.append((operators.offset, accesses.count))
                depths.append(0)
            case .block, .if, .tryTable, .try:
                depths[depths.count - 1] += 1
            case .end, .delegate:
                if depths[depths.count - 1] == 0 {
                    close()
                } else {
                    depths[depths.count - 1] -= 1
                }
            default:
                break
            }
        }
        // A body cut short: what was counted so far.
        while !open.isEmpty { close() }
        return loopUses[key] ?? []
    }

    /// Makes the cache what a loop head keeps: the most used scalar locals of the loop in
    /// registers (loaded if they were not cached), other cached locals stored and dropped.
    /// A few registers of each class stay free for the body's operands. Operands are
    /// already in their slots.
    mutating func prepareLoopHead(_ uses: [LoopLocalUse]) {
        var integerBudget = max(0, allocatableRegisters.count(float: false) - 3)
        var floatBudget = max(0, allocatableRegisters.count(float: true) - 4)
        var chosen: [Int] = []
        for use in uses {
            let type = localTypes[use.local]
            guard type == .i32 || type == .i64 || type == .f32 || type == .f64 else { continue }
            if isFloat(type) {
                guard floatBudget > 0 else { continue }
                floatBudget -= 1
            } else {
                guard integerBudget > 0 else { continue }
                integerBudget -= 1
            }
            chosen.append(use.local)
        }
        for reg in cachedRegisters where !chosen.contains(owner(reg)) {
            let local = owner(reg)
            writeBack(local)
            uncache(local)
        }
        for local in chosen where localCache[local] == nil {
            let type = localTypes[local]
            guard let reg = freeRegisters.first(float: isFloat(type)) else { continue }
            freeRegisters.remove(reg)
            masm.load(type, reg, slot: localSlot(local))
            localCache[local] = CachedLocal(reg: reg, dirty: false)
            setCacheOwner(reg, local)
        }
        // Back edges bring new values of the locals the loop writes without storing them;
        // the others are at the head what they were on entry.
        for reg in cachedRegisters {
            let local = owner(reg)
            if uses.contains(where: { $0.local == local && $0.written }) { localCache[local]!.dirty = true }
        }
    }
}
