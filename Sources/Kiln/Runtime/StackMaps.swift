/// Where one function's frame holds live extern references at each of its safepoints (the
/// places a collection can happen below it: calls, and runtime calls that may collect).
///
/// A map is a bitmap of frame slots; bit `k` stands for slot `k` — for machine code the
/// 8-byte slot at `rbp - 32 - 8k` (the locals, then the spilled operand stack), for the
/// interpreter `fp[k]`. Maps are sorted by the safepoint's position — the return address
/// of the call as an offset into the module's code, or the interpreter pc after the call —
/// and found by binary search. Every slot a map names holds null or a valid reference
/// whenever the safepoint is reached: locals are zeroed on entry and operand slots named
/// are written before the call.
struct StackMaps: Sendable {
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
                    let value = UnsafeRawPointer(bitPattern: fp)!.load(fromByteOffset: -32 - 8 * slot, as: UInt.self)
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
