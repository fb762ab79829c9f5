/// The interpreter's code for one defined function.
struct InterpretedFunction {
    /// Instruction words (see `Op`). Owned by the `InterpretedModule`.
    let code: UnsafeMutablePointer<UInt32>
    let codeCount: Int
    /// Slots the frame needs: locals plus the deepest operand stack.
    let frameSize: Int
    /// Slots taken by the parameters, then by parameters and declared locals.
    let parameterSlots: Int
    let localSlots: Int
    /// Sorted (code index, module offset) pairs, to name the wasm instruction at a pc.
    let offsets: [(pc: UInt32, offset: UInt32)]

    /// Byte offset in the module of the instruction at or before `pc`.
    func moduleOffset(at pc: Int) -> Int? {
        var low = 0, high = offsets.count
        while low < high {
            let mid = (low + high) / 2
            if Int(offsets[mid].pc) <= pc { low = mid + 1 } else { high = mid }
        }
        return low > 0 ? Int(offsets[low - 1].offset) : nil
    }
}

/// The interpreter's translation of every defined function of a module. Made once per
/// module, immutable afterwards, shared by all its instances.
final class InterpretedModule: @unchecked Sendable {
    let functions: [InterpretedFunction]

    init(functions: [InterpretedFunction]) {
        self.functions = functions
    }

    deinit {
        for function in functions { function.code.deallocate() }
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
        frames = .allocate(capacity: maxDepth)
    }

    deinit {
        slots.deallocate()
        frames.deallocate()
    }
}
