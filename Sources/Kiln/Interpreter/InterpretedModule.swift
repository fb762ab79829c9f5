/// The interpreter's code for one defined function. A plain value (no references), so
/// the executor copies it on calls without reference counting.
struct InterpretedFunction {
    /// Instruction words (see `Op`). Owned by the `InterpretedModule`.
    let code: UnsafeMutablePointer<UInt32>
    let codeCount: Int
    /// Slots the frame needs: locals plus the deepest operand stack.
    let frameSize: Int
    /// Slots taken by the parameters, then by parameters and declared locals.
    let parameterSlots: Int
    let localSlots: Int
    /// Values of the constant slots `constantBase..<constantBase + constantCount`, copied
    /// into the frame on entry.
    let constants: UnsafeMutablePointer<UInt64>
    let constantBase: Int
    let constantCount: Int

    /// Zeroes the declared locals and fills the constant slots of a new frame.
    @inline(__always)
    func prepareFrame(_ fp: UnsafeMutablePointer<UInt64>) {
        // Few locals and constants is the rule: plain stores beat the memset and memcpy
        // calls the optimizer would turn loops into.
        let zeroes = localSlots &- parameterSlots
        if zeroes <= 4 {
            if zeroes > 0 { fp[parameterSlots] = 0 }
            if zeroes > 1 { fp[parameterSlots &+ 1] = 0 }
            if zeroes > 2 { fp[parameterSlots &+ 2] = 0 }
            if zeroes > 3 { fp[parameterSlots &+ 3] = 0 }
        } else {
            (fp + parameterSlots).update(repeating: 0, count: zeroes)
        }
        fillConstants(fp)
    }

    /// Writes the constant slots of the frame at `fp` (again, after a callee overwrote them).
    @inline(__always)
    func fillConstants(_ fp: UnsafeMutablePointer<UInt64>) {
        guard constantCount > 0 else { return }
        if constantCount <= 2 {
            fp[constantBase] = constants[0]
            if constantCount > 1 { fp[constantBase &+ 1] = constants[1] }
        } else {
            (fp + constantBase).update(from: constants, count: constantCount)
        }
    }
}

/// The interpreter's translation of every defined function of a module. Made once per
/// module, immutable afterwards, shared by all its instances.
final class InterpretedModule: @unchecked Sendable {
    /// One entry per defined function, in order.
    let functions: UnsafeMutablePointer<InterpretedFunction>
    let count: Int
    /// Per function: sorted (code index, module offset) pairs, to name the wasm instruction at a pc.
    private let offsets: [[(pc: UInt32, offset: UInt32)]]
    /// Per function: where its frames hold extern references at each safepoint.
    let stackMaps: [StackMaps]
    /// Per function: its exception handlers (`try_table`s).
    let handlers: [[ExceptionHandler]]

    init(functions: [InterpretedFunction], offsets: [[(pc: UInt32, offset: UInt32)]], stackMaps: [StackMaps],
         handlers: [[ExceptionHandler]]) {
        self.handlers = handlers
        self.count = functions.count
        self.functions = .allocate(capacity: max(functions.count, 1))
        self.functions.initialize(from: functions, count: functions.count)
        self.offsets = offsets
        self.stackMaps = stackMaps
    }

    deinit {
        for i in 0..<count {
            functions[i].code.deallocate()
            functions[i].constants.deallocate()
        }
        functions.deallocate()
    }

    /// Byte offset in the module of the instruction at or before `pc` in defined function `index`.
    func moduleOffset(function index: Int, pc: Int) -> Int? {
        let table = offsets[index]
        let count = table.partitionPoint { Int($0.pc) <= pc }
        return count > 0 ? Int(table[count - 1].offset) : nil
    }
}

/// The value slots and call frames of the interpreter, one per store. Re-entrant calls
/// (wasm → host → wasm) continue above the frames already in use.
final class InterpreterStack {
    /// A suspended caller.
    struct Frame {
        var returnPC: Int
        var fp: UnsafeMutablePointer<UInt64>
        var instance: Unmanaged<InstanceHandle>
        var definedIndex: Int
    }

    let slots: UnsafeMutablePointer<UInt64>
    let end: UnsafeMutablePointer<UInt64>
    /// First slot not used by any active frame.
    var top: UnsafeMutablePointer<UInt64>
    let frames: UnsafeMutablePointer<Frame>
    let maxDepth: Int
    var depth = 0

    init(maxWasmStack: Int) {
        let slotCount = max(maxWasmStack, 64 * 1024)
        slots = .allocate(capacity: slotCount)
        end = slots + slotCount
        top = slots
        maxDepth = max(maxWasmStack / 64, 1024)
        // One more than maxDepth: the running frame is pushed too while it calls out.
        frames = .allocate(capacity: maxDepth + 1)
    }

    deinit {
        slots.deallocate()
        frames.deallocate()
    }

    /// Records a frame that stopped at a call (or a runtime call that may collect), so that
    /// returns, backtraces and collections find it.
    @inline(__always)
    func suspend(returnPC: Int, fp: UnsafeMutablePointer<UInt64>, instance: Unmanaged<InstanceHandle>, definedIndex: Int) {
        frames[depth] = Frame(returnPC: returnPC, fp: fp, instance: instance, definedIndex: definedIndex)
        depth &+= 1
    }
}
