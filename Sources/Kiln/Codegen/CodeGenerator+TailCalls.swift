/// The stack space a call reserves for stack-passed arguments (see `CodeGenerator`'s tail
/// calls below).
enum ArgumentArea {
    /// The words reserved for `stackWords` stack-passed argument words: an even number, so
    /// that the area's top and bottom are both 16-byte aligned whatever the count.
    static func words(_ stackWords: Int) -> Int { (stackWords + 1) & ~1 }
}

/// Tail calls (`return_call`, `return_call_indirect`): the current frame is replaced by the
/// callee's, so that any chain of tail calls runs in constant stack space.
///
/// Machine-code functions (wasm, adapters, host closures) keep the platform C convention
/// with the two VMContext arguments first. What a tail call needs from it is room for the
/// callee's stack-passed arguments, which live in the caller's outgoing area. The
/// convention that provides it — the *anchored argument area*:
///
/// - A function's *stack words* `n` are its parameters past the argument registers, plus a
///   stack-passed results pointer; its *argument area* is `ArgumentArea.words(n)` words
///   (`n` rounded up to even) directly above the return address on x86-64, at the entry
///   sp on AArch64 — `fp + 16` in both, once the frame is set up.
/// - **I1.** Every call site (machine code's calls, the array-call trampolines) reserves
///   the callee's whole argument area at its stack pointer and keeps nothing it needs
///   there after the call: a multi-value results area starts past it.
/// - **I2.** On entry to any machine-code function, its argument area is 16-byte aligned,
///   lies directly above the return address (x86-64) or at sp (AArch64), and is the
///   function's until it returns: it may overwrite it.
/// - **I3.** After every call whose callee may have tail-called (any call through a
///   function reference, any direct call of a function containing a tail call), the caller
///   sets its stack pointer from its frame pointer (`resetStackPointer`) before it next
///   uses it: the callee may return with the stack pointer elsewhere. A function without
///   tail calls returns through its own epilogue, with the stack pointer as it found it.
///
/// A tail call from `f` (`n` stack words) to `g` (`N`) keeps the *top* of the area fixed,
/// `T = fp + 16 + 8 * words(n)`, placed by whichever call site started the chain. `g`'s
/// arguments go to `[T - 8 * words(N), ...)`, and `g` is entered as if called with the
/// stack pointer there (the return address just below on x86-64, back in x30 on AArch64).
/// The area shrinks or grows with each callee: the memory it grows into is `f`'s own
/// dead frame, which is always at least that large (below). So I2 holds for `g`: the
/// words are `f`'s (I2 for `f`) or `f`'s frame's, `T` is 16-byte aligned and `words(N)`
/// even. Every callee finds its own area size in its own type: nothing needs to tell it
/// how large the area really is. (A variant that only grows the area and passes the words
/// really available in a register works too; anchoring the top makes the size a function
/// of the callee's type, so it needs no register, frame slot or prologue store.)
///
/// **Constant stack.** By induction over a chain of tail calls started by one call, every
/// function in it runs with the same `T`, so its frame lies within
/// `[T - 8 * words(N) - 16 - frameSize, T)`: bounded by the largest argument area and frame
/// among the functions in the chain, whatever the chain's length. When the last one
/// returns, the call site takes its stack pointer back (I3).
///
/// **Moving the arguments.** They are first placed as for a call (registers, and `N`
/// staged words at sp in `f`'s outgoing area: every source — locals, spill slots, `f`'s
/// own parameters — is read while `f`'s frame is intact), then the caller's frame
/// pointer, return address and pinned registers (VMContext, memory base) are loaded from
/// `f`'s frame, then the staged words are copied up to the area. The copy's destination
/// starts at `fp + 16 + 8 * (words(n) - words(N)) >= fp + 8 - 8 * N`, above every staged
/// word: `sp <= fp - 24 - 8 * N`, as the frame holds 24 bytes of saved registers and
/// results pointer above an outgoing area of at least `N` words. So copying from the last
/// word down never overwrites a word still to be copied, and the new stack pointer is
/// never below the old one.
///
/// **Around the jump.** The fuel run ends at the tail call (`Fuel.endsRun`), whose charge
/// is already applied; the fuel register goes back to the store, and the callee reloads
/// and checks it at its entry, where it checks the epoch too. A call through a function
/// reference records the exit (the frame and return address the callee will return to) in
/// this VMContext, which the callee gets as its caller's: a host function's trap or
/// collection walks the wasm frames from there. `f`'s frame is gone, so backtraces show
/// `g` called from the original call site, as wasm's semantics say.
///
/// Cost for ordinary calls: I3's one instruction on x86-64 (`lea rsp, [rbp - size]`) and
/// two on AArch64 after each call through a function reference (imports, tables) and each
/// direct call of a function with a tail call; none after a direct call of a function
/// compiled earlier without one, and no-ops where the callee was compiled later (or is the
/// caller) and turned out to have none. At most one more stack word when an odd count of
/// stack arguments is followed by a results area.
extension CodeGenerator {
    /// The stack words of a function of `type`: parameters past the argument registers (the
    /// first two integer ones carry the VMContexts), and a results pointer that finds no
    /// register. `placeArguments` and the prologue place them so.
    func stackArgumentWords(_ type: FuncType) -> Int {
        var integers = 2, floats = 0, words = 0
        for param in type.params {
            if isFloat(param), floats < M.floatArgumentRegisters.count {
                floats += 1
            } else if !isFloat(param), integers < M.integerArgumentRegisters.count {
                integers += 1
            } else {
                words += ValueWords.count(param)
            }
        }
        if type.results.count > 1 && integers >= M.integerArgumentRegisters.count { words += 1 }
        return words
    }

    /// `return_call`.
    mutating func emitReturnCall(function: Int) {
        tailCallers.insert(currentFunction)
        let type = module.functionType(of: function)
        _ = placeArguments(type, tail: true)
        if function < module.importedFunctionCount {
            let reference = M.integerResult
            masm.loadVMContextWord(reference, offset: Int32(layout.function(function)))
            emitTailCall(toFuncRef: reference, type: type)
            return
        }
        saveFuel()
        masm.moveVMContext(to: M.integerArgumentRegisters[0])
        masm.moveVMContext(to: M.integerArgumentRegisters[1])
        masm.tailCall(.function(function - module.importedFunctionCount),
                      stackWords: stackArgumentWords(type), incomingStackWords: stackArgumentWords(functionType))
        reachable = false
    }

    /// `return_call_indirect`: `call_indirect`'s checks, then a tail call.
    mutating func emitReturnCallIndirect(typeIndex: Int, tableIndex: Int) {
        tailCallers.insert(currentFunction)
        let type = module.types[typeIndex]
        let indexIs64 = module.tables[tableIndex].is64
        let index = keepInSpillSlot(pop(), type: indexIs64 ? .i64 : .i32)
        _ = placeArguments(type, tail: true)
        let indexReg = M.allocatableGPRs[M.allocatableGPRs.count - 1]
        load(index, into: indexReg)
        let reference = M.integerResult
        masm.loadCheckedFuncRef(
            reference, tableDefinitionOffset: Int32(layout.table(tableIndex)), index: indexReg, indexIs64: indexIs64,
            typeIdOffset: Int32(layout.typeId(typeIndex)),
            outOfBounds: trapLabel(.undefinedElement),
            null: trapLabel(.uninitializedElement, detail: indexReg), signature: trapLabel(.badSignature))
        emitTailCall(toFuncRef: reference, type: type)
    }

    /// `return_call_ref`: the reference kept across the argument moves, checked for null,
    /// then a tail call through it.
    mutating func emitReturnCallRef(typeIndex: Int) {
        tailCallers.insert(currentFunction)
        let type = module.types[typeIndex]
        let referenceValue = keepInSpillSlot(pop(), type: .i64)
        _ = placeArguments(type, tail: true)
        let reference = M.integerResult
        load(referenceValue, into: reference)
        masm.branchIfZero(is64: true, reference, trapLabel(.nullFunctionReference))
        emitTailCall(toFuncRef: reference, type: type)
    }

    /// The tail call through a function reference, shared by `return_call` of an import,
    /// `return_call_indirect` and (to come) `return_call_ref`: the arguments are placed by
    /// `placeArguments(type, tail: true)` and `reference` holds a `KilnFuncRef` of a type
    /// matching `type`, already checked (not null, right signature). `reference` should be
    /// `M.integerResult`: the sequence takes the last allocatable register and the scratch
    /// registers, and the argument registers hold the arguments (x0, the callee-VMContext
    /// argument, is free until the sequence sets it). Ends the reachable code.
    ///
    /// `return_call_ref` fits as `return_call_indirect` does: keep the popped reference in
    /// its spill slot (`keepInSpillSlot`) across `placeArguments(type, tail: true)`, load it
    /// into `M.integerResult`, branch to a null-reference trap when it is zero, and call this.
    mutating func emitTailCall(toFuncRef reference: Reg, type: FuncType) {
        saveFuel()
        masm.tailCall(.funcRef(reference), stackWords: stackArgumentWords(type),
                      incomingStackWords: stackArgumentWords(functionType))
        reachable = false
    }

    /// A popped operand that must survive argument moves (a table index, a function
    /// reference), in its spill slot unless it is a constant or a local.
    mutating func keepInSpillSlot(_ popped: (value: Value, index: Int), type: ValType) -> (value: Value, index: Int) {
        var popped = popped
        if case .reg(let reg) = popped.value.location {
            masm.store(type, slot: stackSlot(popped.index), reg)
            release(reg)
            popped.value.location = .spilled
        } else if case .flags = popped.value.location {
            let reg = register(popped)
            masm.store(.i32, slot: stackSlot(popped.index), reg)
            release(reg)
            popped.value.location = .spilled
        }
        return popped
    }
}
