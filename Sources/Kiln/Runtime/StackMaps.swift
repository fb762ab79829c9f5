/// The frame slots of a machine-code function: slot `k` (locals first, then the spilled
/// operand stack) is at `fp - 32 - 8k` when slots are 8 bytes, or at `fp - 48 - 16k` when
/// the function may hold v128 values and every slot is 16 bytes (16-byte aligned, as fp
/// is). Below `fp - 24` either way: the frame's saved registers and results pointer are above.
struct FrameSlots: Sendable, Equatable {
    /// 8 or 16.
    let slotBytes: Int32

    init(slotBytes: Int32) {
        precondition(slotBytes == 8 || slotBytes == 16, "frame slots are 8 or 16 bytes")
        self.slotBytes = slotBytes
    }

    /// Offset from the frame pointer of slot `k`; `k == -1` gives the end of the fixed part.
    @inline(__always) func offset(ofSlot k: Int) -> Int32 {
        -((slotBytes == 8 ? 24 : 32) + slotBytes * (Int32(k) + 1))
    }
}

/// Where one function's frame holds live extern references at each of its safepoints (the
/// places a collection can happen below it: calls, and runtime calls that may collect).
///
/// A map is a bitmap of frame slots; bit `k` stands for slot `k` — for machine code the
/// slot `FrameSlots` places (the locals, then the spilled operand stack), for the
/// interpreter `fp[k]`. Maps are sorted by the safepoint's position — the return address
/// of the call as an offset into the module's code, or the interpreter pc after the call —
/// and found by binary search. Every slot a map names holds null or a valid reference
/// whenever the safepoint is reached: locals are zeroed on entry and operand slots named
/// are written before the call.
struct StackMaps: Sendable {
    /// For machine code: where the slots are.
    var frameSlots = FrameSlots(slotBytes: 8)

    init() {}
    init(frameSlots: FrameSlots) { self.frameSlots = frameSlots }
    /// Safepoint positions, ascending.
    private(set) var positions: [UInt32] = []
    /// Map `i` is `words[starts[i]..<starts[i + 1]]` (`starts` has one extra element).
    private var starts: [UInt32] = [0]
    private var words: [UInt64] = []

    var count: Int { positions.count }
    var isEmpty: Bool { positions.isEmpty }

    /// Records the map of the safepoint at `position` (after every earlier one).
    mutating func append(position: Int, slots: [Int]) {
        precondition(positions.last.map { Int($0) < position } ?? true, "safepoints must come in order")
        positions.append(UInt32(position))
        // Most safepoints have no references: no bitmap at all.
        if !slots.isEmpty {
            let first = words.count
            for slot in slots {
                let word = first + slot / 64
                if word >= words.count { words.append(contentsOf: repeatElement(0, count: word - words.count + 1)) }
                words[word] |= 1 << UInt64(slot % 64)
            }
        }
        starts.append(UInt32(words.count))
    }

    /// Moves every safepoint by `distance` bytes (code compiled apart, placed in the module).
    mutating func shift(by distance: Int) {
        guard distance != 0 else { return }
        for i in positions.indices { positions[i] = UInt32(Int(positions[i]) + distance) }
    }

    /// The slots of the map at exactly `position`, or nil when there is no safepoint there.
    func slots(at position: Int) -> [Int]? {
        let index = positions.partitionPoint { Int($0) < position }
        guard index < positions.count, Int(positions[index]) == position else { return nil }
        var result: [Int] = []
        for w in Int(starts[index])..<Int(starts[index + 1]) {
            var bits = words[w]
            while bits != 0 {
                result.append((w - Int(starts[index])) * 64 + bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
        return result
    }

    /// One line per safepoint: `position: slots`.
    var listing: String {
        positions.indices.map { i in
            let slots = slots(at: Int(positions[i]))!
            return "\(positions[i]): [\(slots.map(String.init).joined(separator: ", "))]"
        }.joined(separator: "\n")
    }
}

extension StackMaps {
    /// For compiled artifacts: slot size (u8), safepoint count (u32), positions (u32 each),
    /// map starts (count + 1, u32 each), bitmap word count (u32), words (u64 each).
    func write(to writer: inout ArtifactWriter) {
        writer.u8(UInt8(frameSlots.slotBytes))
        writer.u32(UInt32(positions.count))
        for position in positions { writer.u32(position) }
        for start in starts { writer.u32(start) }
        writer.u32(UInt32(words.count))
        for word in words { writer.u64(word) }
    }

    /// Reads what `write` wrote, checking that the maps are well formed (slot size 8 or
    /// 16, positions ascending, starts ascending from 0 to the word count).
    init(reading reader: inout ArtifactReader) throws {
        let at = reader.offset
        let slotBytes = try reader.u8()
        guard slotBytes == 8 || slotBytes == 16 else {
            throw KilnError("compiled artifact: stack map slot size \(slotBytes) at offset \(at)")
        }
        self.init(frameSlots: FrameSlots(slotBytes: Int32(slotBytes)))
        let count = try reader.count(elementSize: 8, what: "safepoints")
        positions.reserveCapacity(count)
        for _ in 0..<count {
            let position = try reader.u32()
            guard positions.last.map({ $0 < position }) ?? true else {
                throw KilnError("compiled artifact: safepoints out of order at offset \(reader.offset - 4)")
            }
            positions.append(position)
        }
        starts = []
        starts.reserveCapacity(count + 1)
        for i in 0...count {
            let start = try reader.u32()
            guard i == 0 ? start == 0 : start >= starts[i - 1] else {
                throw KilnError("compiled artifact: stack map starts out of order at offset \(reader.offset - 4)")
            }
            starts.append(start)
        }
        let wordsAt = reader.offset
        let wordCount = try reader.count(elementSize: 8, what: "stack map words")
        guard wordCount == Int(starts[count]) else {
            throw KilnError("compiled artifact: \(wordCount) stack map words, maps need \(starts[count]) (offset \(wordsAt))")
        }
        words.reserveCapacity(wordCount)
        for _ in 0..<wordCount { words.append(try reader.u64()) }
    }
}

extension MachineCode {
    /// Adds to `live` the extern references in the machine-code frames that start at the
    /// frame `fp` of a wasm function stopped at return address `pc`, following frame
    /// pointers while the return addresses are in wasm functions of `store`.
    static func collectRoots(fp: UInt, pc: UInt, store: StoreContext, into live: inout Set<UnsafeMutableRawPointer>) {
        var fp = fp, pc = pc
        while fp != 0, let address = UnsafeRawPointer(bitPattern: pc) {
            var found = false
            for instance in store.instances {
                guard let compiled = instance.module.compiled, let function = compiled.definedFunction(containing: address) else { continue }
                let position = address - UnsafeRawPointer(compiled.memory.base)
                guard let slots = compiled.stackMaps[function].slots(at: position) else {
                    preconditionFailure("no stack map at a safepoint of function \(function)")
                }
                for slot in slots {
                    let offset = Int(compiled.stackMaps[function].frameSlots.offset(ofSlot: slot))
                    let value = UnsafeRawPointer(bitPattern: fp)!.load(fromByteOffset: offset, as: UInt.self)
                    if let reference = UnsafeMutableRawPointer(bitPattern: value) { live.insert(reference) }
                }
                found = true
                break
            }
            guard found else { return }
            let frame = UnsafePointer<UInt>(bitPattern: fp)!
            pc = frame[1]
            fp = frame[0]
        }
    }
}

extension Interpreter {
    /// Adds to `live` the extern references in the interpreter's suspended frames.
    static func collectRoots(_ stack: InterpreterStack, into live: inout Set<UnsafeMutableRawPointer>) {
        for i in 0..<stack.depth {
            let frame = stack.frames[i]
            let instance = frame.instance.takeUnretainedValue()
            guard let code = instance.code else { continue }
            guard let slots = code.stackMaps[frame.definedIndex].slots(at: frame.returnPC) else {
                preconditionFailure("no stack map at interpreter safepoint \(frame.returnPC)")
            }
            for slot in slots {
                if let reference = UnsafeMutableRawPointer(bitPattern: UInt(frame.fp[slot])) { live.insert(reference) }
            }
        }
    }
}
