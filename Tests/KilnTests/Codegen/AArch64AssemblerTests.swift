// Tests of AArch64Assembler beyond single encodings (those are in AArch64EncodingTests,
// generated from LLVM's output by aarch64-expected.py): the immediate encoders against the
// architecture's decoding rules, label bookkeeping and out-of-range fixups, the failure
// design, patching, and a re-assembly of the whole encoding corpus with clang when it is
// installed.

import Foundation
import Testing
@testable import Kiln
import KilnFuzz

// MARK: - Helpers used by the generated AArch64EncodingTests

extension AArch64EncodingTests {
    /// Emits with `emit` into a fresh assembler and compares the finished code with
    /// `expected` (bytes from LLVM's assembler for `asm`).
    func check(_ asm: String, _ expected: [UInt8], _ emit: (inout AArch64Assembler) -> Void,
               sourceLocation: SourceLocation = #_sourceLocation) {
        var a = AArch64Assembler()
        emit(&a)
        do {
            let code = try a.finish()
            #expect(code == expected, "\(asm): got \(hex(code)), expected \(hex(expected))", sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(asm): \(error)", sourceLocation: sourceLocation)
        }
    }

    /// Compares the instruction at `position` of the emitted code with `expected`.
    func checkWord(_ asm: String, _ expected: [UInt8], at position: Int, _ emit: (inout AArch64Assembler) -> Void,
                   sourceLocation: SourceLocation = #_sourceLocation) {
        var a = AArch64Assembler()
        emit(&a)
        do {
            let code = try a.finish()
            let word = Array(code[position..<(position + 4)])
            #expect(word == expected, "\(asm): got \(hex(word)), expected \(hex(expected))", sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(asm): \(error)", sourceLocation: sourceLocation)
        }
    }

    /// `emit` must record a failure, emit exactly one `udf #0`, and make `finish()` throw.
    func rejects(_ asm: String?, _ emit: (inout AArch64Assembler) -> Void,
                 sourceLocation: SourceLocation = #_sourceLocation) {
        var a = AArch64Assembler()
        emit(&a)
        let what = asm ?? "(no assembly equivalent)"
        #expect(a.failure != nil, "\(what): not rejected", sourceLocation: sourceLocation)
        #expect(a.failure?.offset == 0, sourceLocation: sourceLocation)
        #expect(a.bytes == [0, 0, 0, 0], "\(what): emitted \(hex(a.bytes)) instead of udf #0", sourceLocation: sourceLocation)
        #expect(throws: AArch64Assembler.Failure.self, sourceLocation: sourceLocation) { _ = try a.finish() }
    }
}

fileprivate func hex(_ bytes: [UInt8]) -> String {
    bytes.map { b in
        let s = String(b, radix: 16)
        return b < 16 ? "0" + s : s
    }.joined(separator: " ")
}

// MARK: - Immediates

@Suite struct AArch64ImmediatesTests {
    typealias LogicalImmediate = AArch64.LogicalImmediate

    /// Every valid N:immr:imms (with immr below the element size, the canonical form)
    /// decodes to a value that encodes back to the same fields; the counts match the
    /// architecture's (5334 values for 64 bits, 1302 for 32).
    @Test func logicalImmediatesRoundTrip() {
        for size in AArch64.Size.allCases {
            var values = Set<UInt64>()
            for n: UInt32 in 0...1 {
                for immr: UInt32 in 0..<64 {
                    for imms: UInt32 in 0..<64 {
                        let fields = LogicalImmediate(n: n, immr: immr, imms: imms)
                        guard let value = fields.decode(size: size) else { continue }
                        let len = 31 - (n << 6 | (~imms & 0x3F)).leadingZeroBitCount
                        guard immr < (1 << len) else { continue }  // non-canonical rotation
                        #expect(values.insert(value).inserted, "value 0x\(String(value, radix: 16)) decoded twice")
                        let encoded = LogicalImmediate(value, size: size)
                        #expect(encoded == fields, "0x\(String(value, radix: 16)) (\(size)): \(String(describing: encoded)) != \(fields)")
                    }
                }
            }
            #expect(values.count == (size == .x ? 5334 : 1302))
        }
    }

    @Test func logicalImmediatesRejected() {
        for v: UInt64 in [0, ~0, 0x1234, 0x5555_5555_5555_5554, 0x8000_0000_0000_0001 | 0x10, 0x0F0F_0F0F_0F0F_0F0E,
                          0xFFFF_0000_FFFF_0001, 0x1_0000_0001 | 0x4] {
            #expect(LogicalImmediate(v, size: .x) == nil, "0x\(String(v, radix: 16))")
        }
        for v: UInt64 in [0, 0xFFFF_FFFF, 0x1234_5678, 0x1_0000_0000, 0xFFFF_FFFF_0000_0001, 0xFFFF_FFFF_7FFF_FFFF] {
            #expect(LogicalImmediate(v, size: .w) == nil, "0x\(String(v, radix: 16))")
        }
        // Sign-extended 32-bit values are accepted for W.
        #expect(LogicalImmediate(UInt64(bitPattern: -16), size: .w) == LogicalImmediate(0xFFFF_FFF0, size: .w))
        // Random values that are not bitmasks are rejected, and decode agrees with encode.
        var rng = FuzzRandom(seed: 42)
        for _ in 0..<20_000 {
            let v = rng.next()
            if let e = LogicalImmediate(v, size: .x) { #expect(e.decode(size: .x) == v) }
        }
    }

    @Test func addSubImmediates() {
        #expect(AArch64.AddSubImmediate(0).map { ($0.imm12, $0.shifted) } ?? (9, true) == (0, false))
        #expect(AArch64.AddSubImmediate(4095)?.imm12 == 4095)
        #expect(AArch64.AddSubImmediate(4096).map { ($0.imm12, $0.shifted) } ?? (0, false) == (1, true))
        #expect(AArch64.AddSubImmediate(0xFFF000).map { ($0.imm12, $0.shifted) } ?? (0, false) == (4095, true))
        for v: UInt64 in [4097, 0x1000000, 0xFFF001, 0x1FFF, UInt64.max] {
            #expect(AArch64.AddSubImmediate(v) == nil, "\(v)")
        }
    }

    @Test func offsets() {
        #expect(AArch64.scaledOffset(0, accessSize: 8) == 0)
        #expect(AArch64.scaledOffset(32760, accessSize: 8) == 4095)
        #expect(AArch64.scaledOffset(32768, accessSize: 8) == nil)
        #expect(AArch64.scaledOffset(4, accessSize: 8) == nil)
        #expect(AArch64.scaledOffset(-8, accessSize: 8) == nil)
        #expect(AArch64.scaledOffset(4095, accessSize: 1) == 4095)
        #expect(AArch64.unscaledOffset(-256) == 0x100)
        #expect(AArch64.unscaledOffset(255) == 0xFF)
        #expect(AArch64.unscaledOffset(-1) == 0x1FF)
        #expect(AArch64.unscaledOffset(256) == nil && AArch64.unscaledOffset(-257) == nil)
        #expect(AArch64.pairOffset(-512, accessSize: 8) == 0x40)
        #expect(AArch64.pairOffset(504, accessSize: 8) == 0x3F)
        #expect(AArch64.pairOffset(512, accessSize: 8) == nil && AArch64.pairOffset(-520, accessSize: 8) == nil)
        #expect(AArch64.pairOffset(4, accessSize: 8) == nil && AArch64.pairOffset(252, accessSize: 4) == 0x3F)
    }

    /// All 256 FMOV immediates: ±(16 + m)/16 × 2^e, e in -3...4, for S and D.
    @Test func floatImmediates() {
        var count = 0
        for sign in [1.0, -1.0] {
            for e in -3...4 {
                for m in 0..<16 {
                    let value = sign * Double(16 + m) / 16 * pow(2.0, Double(e))
                    let b = e <= 0 ? 1 : 0
                    let cd = e <= 0 ? e + 3 : e - 1
                    let imm8 = UInt8((sign < 0 ? 0x80 : 0) | b << 6 | cd << 4 | m)
                    #expect(AArch64.floatImmediate8(value) == imm8, "\(value)")
                    #expect(AArch64.floatImmediate8(Float(value)) == imm8, "\(value)")
                    count += 1
                }
            }
        }
        #expect(count == 256)
        for v in [0.0, -0.0, 0.0625, 32.0, 33.0, 1.03125, 0.1, Double.infinity, -Double.infinity, Double.nan,
                  Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude] {
            #expect(AArch64.floatImmediate8(v) == nil, "\(v)")
            #expect(AArch64.floatImmediate8(Float(v)) == nil, "\(v)")
        }
        // A D pattern is not an S immediate: the S form sees only 32 bits.
        #expect(AArch64.floatImmediate8(bits: 1.0.bitPattern, size: .s) == nil)
    }

    @Test func byteMasks() {
        #expect(AArch64.byteMask8(0) == 0)
        #expect(AArch64.byteMask8(~0) == 0xFF)
        #expect(AArch64.byteMask8(0xFF00_FF00_FF00_FF00) == 0xAA)
        #expect(AArch64.byteMask8(0x0000_0000_0000_00FF) == 0x01)
        #expect(AArch64.byteMask8(0x1234) == nil)
        #expect(AArch64.byteMask8(0x8000_0000_0000_0000) == nil)
    }

    /// The sequences always produce the value, are never longer than plain MOVZ/MOVN
    /// sequences, and are one instruction exactly when a single MOVZ, MOVN or ORR can do it.
    @Test func wideMoveSequences() {
        var rng = FuzzRandom(seed: 7)
        var values: [UInt64] = [0, 1, ~0, 0xFFFF, 0x10000, 0xFFFF_FFFF, 0x1_0000_0000, 0x1234_5678_9ABC_DEF0,
                                0x8000_0000_0000_0000, 0x7FFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_0000]
        for _ in 0..<20_000 {
            var v = rng.next()
            // Bias towards halfwords of 0 and 0xFFFF, and replicated patterns.
            for i in 0..<4 where rng.next() % 3 == 0 {
                v = (v & ~(0xFFFF << UInt64(16 * i))) | (rng.next() % 2 == 0 ? 0 : 0xFFFF << UInt64(16 * i))
            }
            values.append(v)
            values.append(v & 0xFFFF_FFFF)
        }
        for v in values {
            for size in AArch64.Size.allCases {
                let expected = size == .w ? v & 0xFFFF_FFFF : v
                let plan = AArch64.wideMoves(v, size: size)
                #expect(AArch64.evaluate(plan.moves, size: plan.size) == expected, "0x\(String(v, radix: 16)) \(size)")
                let halves = (0..<(size.bits / 16)).map { UInt16(truncatingIfNeeded: expected >> UInt64(16 * $0)) }
                let movz = max(1, halves.filter { $0 != 0 }.count)
                let movn = max(1, halves.filter { $0 != 0xFFFF }.count)
                #expect(plan.moves.count <= min(movz, movn), "0x\(String(v, radix: 16)) \(size): \(plan.moves)")
                let single = movz == 1 || movn == 1 || AArch64.LogicalImmediate(expected, size: size) != nil
                    || (size == .x && expected >> 32 == 0 && AArch64.wideMoves(expected, size: .w).moves.count == 1)
                #expect((plan.moves.count == 1) == single, "0x\(String(v, radix: 16)) \(size): \(plan.moves)")
            }
        }
    }
}

// MARK: - Assembler behaviour

@Suite struct AArch64AssemblerTests {
    typealias Register = AArch64.Register

    @Test func registers() {
        #expect(Register(number: 31) == nil)
        #expect(Register(number: 30) == .lr && Register(number: 29) == .fp && Register(number: 16) == .ip0)
        #expect(Register.sp.number == 31 && Register.zr.number == 31 && Register.sp != Register.zr)
        #expect(Register.x(7) == .x7)
        #expect(Register.x3.name(.w) == "w3" && Register.x3.name(.x) == "x3")
        #expect(Register.sp.name(.w) == "wsp" && Register.sp.name(.x) == "sp")
        #expect(Register.zr.name(.w) == "wzr" && Register.zr.name(.x) == "xzr")
        #expect(AArch64.VRegister.v31.number == 31 && AArch64.VRegister.allCases.count == 32)
        for c in AArch64.Condition.allCases {
            #expect(c.inverted.inverted == c && c.inverted != c)
        }
        #expect(AArch64.Condition.eq.inverted == .ne && AArch64.Condition.hs.inverted == .lo && AArch64.Condition.cs == .hs)
        #expect(AArch64.Condition.ge.inverted == .lt && AArch64.Condition.hi.inverted == .ls && AArch64.Condition.gt.inverted == .le)
    }

    @Test func labelBookkeeping() throws {
        var a = AArch64Assembler()
        #expect(a.offset == 0)
        let forward = a.newLabel()
        let backward = a.newLabel()
        #expect(forward != backward)
        a.bind(backward)
        #expect(a.isBound(backward) && a.position(of: backward) == 0)
        a.b(forward)               // 0: patched at bind
        a.cbz(.x, .x0, forward)    // 4
        a.tbnz(.x1, bit: 3, forward)  // 8
        a.adr(.x2, forward)        // 12
        a.bl(backward)             // 16: resolved at once, -16
        #expect(!a.isBound(forward) && a.position(of: forward) == nil)
        #expect(a.instruction(at: 16) == 0x97FF_FFFC)
        #expect(a.instruction(at: 0) == 0x1400_0000)  // not yet patched
        a.nop()
        a.bind(forward)            // at 24
        #expect(a.position(of: forward) == 24)
        #expect(a.instruction(at: 0) == 0x1400_0006)            // b #24
        #expect(a.instruction(at: 4) == 0xB400_0000 | 5 << 5)   // cbz x0, #20
        #expect(a.instruction(at: 8) == 0x3718_0000 | 4 << 5 | 1)  // tbnz w1, #3, #16
        #expect(a.instruction(at: 12) == 0x1000_0000 | 3 << 5 | 2)  // adr x2, #12
        let code = try a.finish()
        #expect(code == a.bytes && code.count == 24)
    }

    @Test func manyForwardReferencesToOneLabel() throws {
        var a = AArch64Assembler()
        let target = a.newLabel()
        for i in 0..<300 {
            switch i % 4 {
            case 0: a.b(target)
            case 1: a.b(AArch64.Condition(rawValue: UInt32(i % 16))!, target)
            case 2: a.cbnz(.w, .x(i % 31), target)
            default: a.tbz(.x(i % 31), bit: i % 64, target)
            }
        }
        a.bind(target)
        let code = try a.finish()
        for pc in stride(from: 0, to: code.count, by: 4) {
            let word = a.instruction(at: pc)
            let delta: Int
            switch pc / 4 % 4 {
            case 0: delta = Int(Int32(bitPattern: word << 6) >> 6) * 4
            case 1, 2: delta = Int(Int32(bitPattern: (word >> 5) << 13) >> 13) * 4
            default: delta = Int(Int32(bitPattern: (word >> 5) << 18) >> 18) * 4
            }
            #expect(pc + delta == code.count, "instruction at \(pc)")
        }
    }

    /// Branch islands: conditional branches to a label bound 1.2 MiB ahead go through one
    /// island of `b` veneers; a literal load keeps its own (failing) reference, and branches
    /// already resolved are left alone.
    @Test func veneerIslandsKeepForwardConditionalBranchesInReach() throws {
        var a = AArch64Assembler()
        let far = a.newLabel(), near = a.newLabel()
        a.b(.eq, far)           // 0
        a.cbz(.x, .x3, far)     // 4
        a.tbnz(.x5, bit: 7, near)  // 8: bound soon, never redirected
        a.nop()
        a.bind(near)
        var islands = 0
        for _ in 0..<300_000 {
            a.nop()
            if a.emitVeneerIsland(margin: 4096) { islands += 1 }
        }
        a.bind(far)
        let code = try a.finish()
        #expect(islands == 1)
        func imm19Target(_ pc: Int) -> Int { pc + Int(Int32(bitPattern: (a.instruction(at: pc) >> 5) << 13) >> 13) * 4 }
        func imm26Target(_ pc: Int) -> Int { pc + Int(Int32(bitPattern: a.instruction(at: pc) << 6) >> 6) * 4 }
        for pc in [0, 4] {
            let veneer = imm19Target(pc)
            #expect(veneer > pc && veneer - pc < 1 << 20)
            #expect(a.instruction(at: veneer) & 0xFC00_0000 == 0x1400_0000, "a b at the veneer")
            #expect(imm26Target(veneer) == code.count, "the veneer of \(pc) goes to the label")
        }
        #expect(pc14Target(a, 8) == 16)
        // The island starts with a jump over itself.
        let island = imm19Target(0) - 4
        #expect(a.instruction(at: island) & 0xFC00_0000 == 0x1400_0000)
        #expect(imm26Target(island) == island + 12)
    }

    private func pc14Target(_ a: AArch64Assembler, _ pc: Int) -> Int {
        pc + Int(Int32(bitPattern: (a.instruction(at: pc) >> 5) << 18) >> 18) * 4
    }

    /// One past each end of each range: the fixup fails at bind (forward) or at once
    /// (backward), the instruction becomes udf #0, the rest of the code is untouched.
    @Test func labelsOutOfRange() {
        typealias Emit = (inout AArch64Assembler, AArch64Assembler.Label) -> Void
        let kinds: [(String, Int, Emit)] = [
            ("tbz", 1 << 15, { $0.tbz(.x0, bit: 1, $1) }),
            ("b.eq", 1 << 20, { $0.b(.eq, $1) }),
            ("cbz", 1 << 20, { $0.cbz(.x, .x3, $1) }),
            ("ldr", 1 << 20, { $0.ldr(.x, .x3, literal: $1) }),
            ("b", 1 << 27, { $0.b($1) }),
            ("bl", 1 << 27, { $0.bl($1) }),
        ]
        for (name, limit, emit) in kinds {
            // Forward: the branch at 4, the target at 4 + limit, one word too far.
            var a = AArch64Assembler()
            let l = a.newLabel()
            a.nop()
            emit(&a, l)
            a.fillWithUDF(words: limit / 4 - 2)
            a.nop()
            #expect(a.failure == nil)
            a.bind(l)
            #expect(a.failure?.offset == 4, "\(name) forward")
            #expect(a.failure?.message.contains("out of range") == true, "\(name): \(String(describing: a.failure))")
            #expect(a.instruction(at: 4) == 0 && a.instruction(at: 0) == 0xD503_201F && a.instruction(at: limit) == 0xD503_201F)
            #expect(throws: AArch64Assembler.Failure.self) { _ = try a.finish() }
            // Backward: the target at -limit - 4.
            var b = AArch64Assembler()
            let m = b.here()
            b.fillWithUDF(words: limit / 4 + 1)
            emit(&b, m)
            #expect(b.failure?.offset == limit + 4, "\(name) backward")
            #expect(b.instruction(at: limit + 4) == 0)
        }
        // ADR counts bytes, -2^20...2^20-1: from word positions, +2^20 and -2^20-4 fail.
        var a = AArch64Assembler()
        let l = a.newLabel()
        a.adr(.x0, l)
        a.fillWithUDF(words: (1 << 18) - 1)
        a.bind(l)
        #expect(a.failure?.offset == 0)
        var b = AArch64Assembler()
        let m = b.here()
        b.fillWithUDF(words: (1 << 18) + 1)
        b.adr(.x0, m)
        #expect(b.failure?.offset == (1 << 20) + 4)
    }

    /// Word offsets must be multiples of 4 (labels are always at word positions, but
    /// `resolve` checks anyway); ADR takes any byte offset.
    @Test func resolveChecksWordOffsets() {
        #expect(AArch64Assembler.resolve(0x1400_0000, .imm26, delta: 6) == nil)
        let adr: UInt32 = 0x1000_0000 | 2 << 29 | 1 << 5  // adr x0, #6: immlo 2, immhi 1
        #expect(AArch64Assembler.resolve(0x1000_0000, .adr, delta: 6) == adr)
    }

    @Test func unboundLabelFailsAtFinish() {
        var a = AArch64Assembler()
        let l = a.newLabel()
        a.nop()
        a.b(.ne, l)
        #expect(a.failure == nil)
        #expect(throws: AArch64Assembler.Failure(offset: 4, message: "label 0 is used by b.ne but never bound")) {
            _ = try a.finish()
        }
        // A label that is never used needs no binding.
        var b = AArch64Assembler()
        _ = b.newLabel()
        b.ret()
        #expect(throws: Never.self) { _ = try b.finish() }
    }

    @Test func bindingTwiceFails() {
        var a = AArch64Assembler()
        let l = a.newLabel()
        a.bind(l)
        a.nop()
        a.bind(l)
        #expect(a.failure?.message == "label 0 bound twice")
        #expect(a.position(of: l) == 0)
    }

    /// The first failure is kept, later ones counted; every failed instruction is udf #0 and
    /// the good ones around it are intact.
    @Test func failuresAreRecordedNotEmitted() {
        var a = AArch64Assembler()
        a.nop()
        a.add(.x, .x0, .x1, imm: 5000)
        a.nop()
        a.ldr(.x, .x0, .offset(.x1, 1 << 20))
        a.ret()
        #expect(a.failureCount == 2)
        #expect(a.failure?.offset == 4)
        #expect(a.failure?.message.contains("5000") == true)
        #expect(a.bytes == [0x1F, 0x20, 0x03, 0xD5, 0, 0, 0, 0, 0x1F, 0x20, 0x03, 0xD5, 0, 0, 0, 0, 0xC0, 0x03, 0x5F, 0xD6])
        #expect(a.hasFailed)
        #expect(throws: AArch64Assembler.Failure.self) { _ = try a.finish() }
        // An instruction that failed is not patched later by a label.
        var b = AArch64Assembler()
        let l = b.newLabel()
        b.cbz(.x, .sp, l)
        b.bind(l)
        #expect(b.instruction(at: 0) == 0)
    }

    @Test func patching() throws {
        var a = AArch64Assembler()
        a.stp(.x, .x29, .x30, .preIndex(.sp, -16))
        let position = a.offset
        a.sub(.x, .sp, .sp, imm: 0)
        a.sub(.x, .sp, .sp, imm: 0)
        a.ret()
        a.patch(at: position, length: 8) { p in
            p.sub(.x, .sp, .sp, imm: 0x12_3000)
            p.sub(.x, .sp, .sp, imm: 0x450)
        }
        var expected = AArch64Assembler()
        expected.stp(.x, .x29, .x30, .preIndex(.sp, -16))
        expected.sub(.x, .sp, .sp, imm: 0x12_3000)
        expected.sub(.x, .sp, .sp, imm: 0x450)
        expected.ret()
        #expect(try a.finish() == expected.finish())

        // Too long, an unencodable patch, and a patch outside the code are failures.
        var b = a
        b.patch(at: position, length: 4) { p in p.nop(); p.nop() }
        #expect(b.failure?.offset == position && b.instruction(at: position) == 0)
        var c = a
        c.patch(at: position, length: 4) { p in p.sub(.x, .sp, .sp, imm: 0x1001) }
        #expect(c.failure?.offset == position && c.instruction(at: position) == 0)
        var d = a
        d.patch(at: a.offset, length: 4) { p in p.nop() }
        #expect(d.failure != nil)
        var e = a
        e.patch(at: position, length: 4) { p in let l = p.here(); p.b(l) }
        #expect(e.failure?.message == "patched code cannot use labels")
    }

    @Test func escapeHatchAndAlignment() {
        var a = AArch64Assembler(capacity: 64)
        a.emit(0xD503_201F)
        a.align(16)
        #expect(a.offset == 16)
        a.align(16)
        #expect(a.offset == 16)
        a.nop()
        a.align(8, with: .udf)
        #expect(a.instruction(at: 20) == 0)
        a.emit64(0x1122_3344_5566_7788)
        #expect(a.instruction(at: 24) == 0x5566_7788 && a.instruction(at: 28) == 0x1122_3344)
        a.fillWithUDF(words: 2)
        #expect(a.offset == 40)
    }

    /// Re-assembles every `check` case of AArch64EncodingTests with clang, when clang is
    /// installed with its AArch64 target, and compares it with the recorded bytes.
    @Test func corpusMatchesClang() throws {
        guard let clang = AArch64AssemblerTests.findExecutable("clang") else { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-aarch64-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Probe: a clang without the AArch64 target is not a failure of this suite.
        guard (try? AArch64AssemblerTests.assemble(clang, "nop\n", in: directory)) != nil else { return }

        let corpus = AArch64EncodingTests.corpus
        var source = ""
        for (i, (asm, _)) in corpus.enumerated() {
            source += ".section .text.c\(i),\"ax\",@progbits\n.p2align 4\n"
            source += asm.replacingOccurrences(of: "; ", with: "\n").replacingOccurrences(of: ".L", with: ".Lc\(i)_") + "\n"
        }
        let sections = try #require(try AArch64AssemblerTests.assemble(clang, source, in: directory))
        for (i, (asm, bytes)) in corpus.enumerated() {
            // Older assemblers (clang 17, the AArch64 cross toolchain's) pad code sections with
            // nops even when told to fill with zeros: alignment cases are checked by the corpus.
            if asm.contains(".p2align") { continue }
            #expect(sections[".rela.text.c\(i)"] == nil, "\(asm) needs a relocation")
            #expect(sections[".text.c\(i)"] == bytes, "\(asm): clang gives \(hex(sections[".text.c\(i)"] ?? []))")
        }
    }

    static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Assembles `source` for aarch64-linux-gnu; the sections of the object by name, or nil
    /// if clang fails.
    static func assemble(_ clang: String, _ source: String, in directory: URL) throws -> [String: [UInt8]]? {
        let input = directory.appendingPathComponent("cases.s"), output = directory.appendingPathComponent("cases.o")
        try source.write(to: input, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: clang)
        process.arguments = ["--target=aarch64-linux-gnu", "-c", "-x", "assembler", input.path, "-o", output.path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return elfSections([UInt8](try Data(contentsOf: output)))
    }

    /// Name -> contents of the sections of a little-endian ELF64 object.
    static func elfSections(_ data: [UInt8]) -> [String: [UInt8]] {
        func read(_ offset: Int, _ count: Int) -> Int {
            var v = 0
            for i in 0..<count { v |= Int(data[offset + i]) << (8 * i) }
            return v
        }
        let shoff = read(0x28, 8), shentsize = read(0x3A, 2), shnum = read(0x3C, 2), shstrndx = read(0x3E, 2)
        let headers = (0..<shnum).map { i -> (name: Int, offset: Int, size: Int) in
            let h = shoff + i * shentsize
            return (read(h, 4), read(h + 24, 8), read(h + 32, 8))
        }
        let strtab = headers[shstrndx].offset
        var result: [String: [UInt8]] = [:]
        for h in headers {
            var end = strtab + h.name
            while data[end] != 0 { end += 1 }
            let name = String(decoding: data[(strtab + h.name)..<end], as: UTF8.self)
            result[name] = Array(data[h.offset..<(h.offset + h.size)])
        }
        return result
    }
}
