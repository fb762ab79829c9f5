// Lean frames: the frame record alone, for small leaf functions that never touch the
// VMContext or memory (accessors, comparators, the targets of `call_indirect` in
// callback-heavy code). A full frame saves and sets the two pinned registers (the
// VMContext and memory 0's base) and may check the stack limit; a lean one does none of
// that, so its prologue and epilogue are the frame record's push and pop, nothing more.
//
// A defined function gets a lean frame when all of these hold:
// - its body has no instruction using the VMContext, memory, a table, a global, an
//   exception or any call (runtime calls included): `BodyScan` reads a small body
//   instruction by instruction (`isLeanBody`); for a longer one it looks for the opcode
//   bytes of those instructions (a superset: immediates may hold those bytes too);
// - no fuel or epoch check runs in it (they read the VMContext);
// - its frame certainly fits under `leafFrameLimit` (`leanFrameFits`), so it needs no
//   stack-limit check (which is what a leaf's check would be elided to anyway).
//
// Invariants:
// - In a lean function the pinned registers hold whatever the caller's held, perhaps
//   another instance's: nothing may read them. `CodeGenerator.translate` refuses any
//   instruction outside `Instruction.runsInLeanFrame` as a compiler error (a scan that
//   missed an opcode fails loudly instead of reading another instance's registers).
// - A lean function calls nothing, so it is never below another frame: no walk (the
//   exception unwinder reads each frame's saved VMContext) meets its unused save words.
//   Trap backtraces follow the frame-pointer chain only, which lean frames keep.
// - The slots are where they are in every frame (the save words are left unused), so
//   the stack maps, spill slots and golden layouts do not depend on the frame's kind.

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

    /// Bodies up to this many bytes are read instruction by instruction (`isLeanBody`), so
    /// that an immediate holding a flagged byte (`i32.const 255` is `41 FF 01`) does not
    /// cost a small leaf its lean frame. Longer bodies cannot have one (`leanFrameFits`).
    static let decodedBodyLimit = 256

    /// Whether a function body (its local declarations, then its code) holds only
    /// instructions of the lean set: control without calls or exceptions, locals,
    /// constants, `drop`, untyped `select` and the numeric instructions that do not call
    /// the runtime. False for anything else, and for anything it cannot read.
    static func isLeanBody(_ body: UnsafeRawBufferPointer) -> Bool {
        var at = 0
        func byte() -> UInt8? {
            guard at < body.count else { return nil }
            defer { at += 1 }
            return body[at]
        }
        /// Skips a LEB128 number (signed or not: the same bytes end it); false past the end
        /// or beyond 10 bytes.
        func skipLEB() -> Bool {
            for _ in 0..<10 {
                guard let b = byte() else { return false }
                if b & 0x80 == 0 { return true }
            }
            return false
        }
        // Local declarations: a count of groups (read only below 128: a body this small
        // has fewer), each a count and a value type (a reference type with a heap type
        // after 0x63 or 0x64).
        guard let first = byte(), first & 0x80 == 0 else { return false }
        var groups = Int(first)
        while groups > 0 {
            groups -= 1
            guard skipLEB(), let type = byte() else { return false }
            if type == 0x63 || type == 0x64 { guard skipLEB() else { return false } }
        }
        while let op = byte() {
            switch op {
            case 0x00, 0x01, 0x05, 0x0B, 0x0F, 0x1A, 0x1B, 0x45...0xA7, 0xB2...0xC4:
                continue
            case 0x02, 0x03, 0x04:
                // A block type: 0x40, a value type (0x63/0x64 with a heap type), or an s33
                // type index.
                guard let type = byte() else { return false }
                if type == 0x63 || type == 0x64 {
                    guard skipLEB() else { return false }
                } else if type & 0x80 != 0 {
                    at -= 1
                    guard skipLEB() else { return false }
                }
            case 0x0C, 0x0D, 0x20, 0x21, 0x22, 0x41, 0x42:
                guard skipLEB() else { return false }
            case 0x0E:
                // br_table: a count, then that many targets and the default.
                let countStart = at
                guard skipLEB() else { return false }
                // Each target takes a byte at least: a count beyond the body is malformed.
                guard at - countStart <= 2 else { return false }
                var count = 0, shift = 0
                for i in countStart..<at {
                    count |= Int(body[i] & 0x7F) << shift
                    shift += 7
                }
                guard count < body.count else { return false }
                for _ in 0...count { guard skipLEB() else { return false } }
            case 0x43:
                at += 4
            case 0x44:
                at += 8
            default:
                return false
            }
        }
        return at == body.count
    }

    init(_ validator: ModuleValidator) {
        let bodies = validator.module.functionBodies
        mayUseMemory.reserveCapacity(bodies.count)
        mayUseVMContext.reserveCapacity(bodies.count)
        for body in bodies {
            let start = min(body.start, validator.length), end = min(max(body.end, start), validator.length)
            let bytes = UnsafeRawBufferPointer(start: validator.base + start, count: end - start)
            if bytes.count <= BodyScan.decodedBodyLimit && BodyScan.isLeanBody(bytes) {
                mayUseMemory.append(false)
                mayUseVMContext.append(false)
                continue
            }
            var memory = false, context = false
            for byte in bytes {
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
