/// Lean frames: the frame record alone, for small leaf functions that never touch the
/// VMContext or memory (accessors, comparators, the targets of `call_indirect` in
/// callback-heavy code). A full frame saves and sets the two pinned registers (the
/// VMContext and memory 0's base) and may check the stack limit; a lean one does none of
/// that, so its prologue and epilogue are the frame record's push and pop, nothing more.
///
/// A defined function gets a lean frame when all of these hold:
/// - the byte scan of its body (`BodyScan`) finds no byte that is the
///   opcode of an instruction using the VMContext, memory, a table, a global, an exception
///   or any call (runtime calls included), so the body has none of those instructions
///   (a superset: immediates may hold those bytes too, and then the frame is full);
/// - no fuel or epoch check runs in it (they read the VMContext);
/// - its frame certainly fits under `leafFrameLimit` (`leanFrameFits`), so it needs no
///   stack-limit check (which is what a leaf's check would be elided to anyway).
///
/// Invariants:
/// - In a lean function the pinned registers hold whatever the caller's held, perhaps
///   another instance's: nothing may read them. `CodeGenerator.translate` refuses any
///   instruction outside `Instruction.runsInLeanFrame` as a compiler error (a scan that
///   missed an opcode fails loudly instead of reading another instance's registers).
/// - A lean function calls nothing, so it is never below another frame: no walk (the
///   exception unwinder reads each frame's saved VMContext) meets its unused save words.
///   Trap backtraces follow the frame-pointer chain only, which lean frames keep.
/// - The slots are where they are in every frame (the save words are left unused), so
///   the stack maps, spill slots and golden layouts do not depend on the frame's kind.
/// What a scan of each defined function's body bytes says it may do, before it is
/// compiled. Supersets: any immediate may hold the bytes too.
struct BodyScan {
    /// Per defined function: whether it may access memory 0 through the pinned base
    /// register (`mayUseMemory(opcode:)`).
    var mayUseMemory: [Bool] = []
    /// Per defined function: whether it may use the VMContext or call anything
    /// (`mayUseVMContext(opcode:)`).
    var mayUseVMContext: [Bool] = []

    /// The bytes of the loads, stores and `memory.size` (0x28-0x3F) and the prefixes of bulk
    /// memory, SIMD and atomic instructions (0xFB-0xFF). (`memory.grow`, 0x40 as the empty
    /// block type is, calls the runtime and needs no base of its own.)
    @inline(__always)
    static func mayUseMemory(opcode byte: UInt8) -> Bool {
        (0x28...0x3F).contains(byte) || byte >= 0xFB
    }

    /// `mayUseMemory`'s bytes and those of exceptions (0x06-0x0A, 0x18, 0x19, 0x1F), calls
    /// (0x10-0x15), globals and tables (0x23-0x26), `memory.grow` (0x40), the
    /// float-to-integer truncations that call the runtime (0xA8-0xB1, the two extensions
    /// among them too) and references (0xD0-0xD6).
    @inline(__always)
    static func mayUseVMContext(opcode byte: UInt8) -> Bool {
        switch byte {
        case 0x06...0x0A, 0x10...0x15, 0x18, 0x19, 0x1F, 0x23...0x26, 0x28...0x40, 0xA8...0xB1, 0xD0...0xD6, 0xFB...0xFF:
            true
        default:
            false
        }
    }

    init(_ validator: ModuleValidator) {
        let bodies = validator.module.functionBodies
        mayUseMemory.reserveCapacity(bodies.count)
        mayUseVMContext.reserveCapacity(bodies.count)
        for body in bodies {
            let start = min(body.start, validator.length), end = min(max(body.end, start), validator.length)
            var memory = false, context = false
            for byte in UnsafeRawBufferPointer(start: validator.base + start, count: end - start) {
                // Memory's bytes are a subset of the VMContext's: the first ends the scan.
                if BodyScan.mayUseMemory(opcode: byte) {
                    memory = true
                    context = true
                    break
                }
                if BodyScan.mayUseVMContext(opcode: byte) { context = true }
            }
            mayUseMemory.append(memory)
            mayUseVMContext.append(context)
        }
    }
}

extension CodeGenerator {
    /// Whether a lean function's frame is certain to be at most `leafFrameLimit` bytes, from
    /// its locals and body size alone (decided before the frame is known). Why: the frame is
    /// at most 32 bytes (save words, results pointer) plus a slot of at most 16 bytes for
    /// each local and for each operand of the deepest stack, rounded up to 16; every
    /// instruction `runsInLeanFrame` allows pushes at most one operand and takes at least
    /// one byte, so the stack is never deeper than the body has bytes. `finishFunction`
    /// checks the frame it got against the limit.
    static func leanFrameFits(locals: Int, bodyBytes: Int) -> Bool {
        32 + 16 * (locals + bodyBytes) + 15 <= Int(leafFrameLimit)
    }
}

extension Instruction {
    /// Whether the code generator can compile this instruction in a lean frame: it reads
    /// neither pinned register and calls nothing (a trap stub's call into `kiln_trap` does
    /// not return, and needs only the frame pointer). The scan's bytes are the complement,
    /// checked independently: an instruction outside this list in a lean function is a
    /// compiler error.
    var runsInLeanFrame: Bool {
        switch self {
        case .unreachable, .nop, .block, .loop, .if, .else, .end, .br, .brIf, .brTable, .return,
             .drop, .select, .typedSelect, .localGet, .localSet, .localTee,
             .i32Const, .i64Const, .f32Const, .f64Const:
            return true
        case .numeric(let op):
            // The float-to-integer truncations call the runtime.
            return !(0xA8...0xB1).contains(op.rawValue) && op.rawValue < 0xFC00
        default:
            return false
        }
    }
}
