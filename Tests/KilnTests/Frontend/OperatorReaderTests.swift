import Testing
@testable import Kiln

/// The operator reader's inline fast path (numeric operators, `local.get/set/tee` and
/// `i32.const` with one-byte immediates) against its full decoder, instruction by instruction.
@Suite struct OperatorReaderTests {
    /// Every instruction of `bytes`, read with `read()` (fast path first) and with `readAny()`.
    func readBoth(_ bytes: [UInt8]) throws -> (fast: [Instruction], full: [Instruction]) {
        try bytes.withUnsafeBytes { buffer in
            func all(_ next: (inout OperatorReader) throws(WasmError) -> Instruction) throws -> [Instruction] {
                var reader = OperatorReader(ByteReader(base: buffer.baseAddress!, position: 0, end: buffer.count),
                                            features: .webAssembly3)
                var instructions: [Instruction] = []
                while !reader.isAtEnd { instructions.append(try next(&reader)) }
                return instructions
            }
            return (try all { (r) throws(WasmError) in try r.read() }, try all { (r) throws(WasmError) in try r.readAny() })
        }
    }

    @Test func numericOperatorsByOpcode() {
        for op in NumericOp.allCases where op.rawValue <= 0xC4 {
            #expect(NumericOp(singleByteOpcode: UInt8(op.rawValue)) == op)
        }
        #expect(NumericOp.allCases.filter { $0.rawValue <= 0xC4 }.map(\.rawValue) == Array(0x45...0xC4))
    }

    @Test func fastPathDecodesAsTheFullDecoder() throws {
        var bytes: [UInt8] = []
        for opcode: UInt8 in 0x45...0xC4 { bytes.append(opcode) }
        // One-byte immediates (the fast path) and longer ones (the full decoder), at the edges.
        for immediate: [UInt8] in [[0x00], [0x05], [0x3F], [0x40], [0x7F], [0x80, 0x01], [0xC8, 0x01], [0xFF, 0x7F]] {
            for opcode: UInt8 in [0x20, 0x21, 0x22, 0x41] { bytes += [opcode] + immediate }
        }
        bytes += [0x41, 0x80, 0x7F]  // i32.const -128
        bytes += [0x0B]  // end, the last byte: never on the fast path
        let (fast, full) = try readBoth(bytes)
        #expect(fast == full)
        #expect(fast.count == 128 + 8 * 4 + 2)
        #expect(fast.contains(.localGet(200)) && fast.contains(.i32Const(63)) && fast.contains(.i32Const(-64)))
        #expect(fast.contains(.i32Const(-1)) && fast.contains(.localTee(127)) && fast.contains(.i32Const(-128)))
    }

    @Test func truncatedImmediateIsStillAnError() throws {
        // `local.get` as the last byte: the fast path needs two bytes and leaves it to the decoder.
        #expect(throws: WasmError.self) { _ = try readBoth([0x20]) }
    }
}
