import Testing
@testable import Kiln

/// LEB128 readers against the binary format's limits: ⌈N/7⌉ bytes at most, unused bits
/// of the last byte zero (unsigned) or copies of the sign bit (signed).
@Suite struct LEB128Tests {
    func read<T>(_ bytes: [UInt8], _ body: (inout ByteReader) throws(WasmError) -> T) -> Result<T, WasmError> {
        bytes.withUnsafeBytes { buffer in
            var reader = ByteReader(base: buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, position: 0, end: buffer.count)
            return Result { () throws(WasmError) -> T in
                let value = try body(&reader)
                guard reader.isAtEnd else { throw WasmError(.malformed, "trailing bytes", offset: reader.position) }
                return value
            }
        }
    }

    func u32(_ bytes: [UInt8]) -> Result<UInt32, WasmError> { read(bytes) { (r) throws(WasmError) in try r.readU32() } }
    func s32(_ bytes: [UInt8]) -> Result<Int32, WasmError> { read(bytes) { (r) throws(WasmError) in try r.readS32() } }
    func s64(_ bytes: [UInt8]) -> Result<Int64, WasmError> { read(bytes) { (r) throws(WasmError) in try r.readS64() } }
    func u64(_ bytes: [UInt8]) -> Result<UInt64, WasmError> {
        read(bytes) { (r) throws(WasmError) in try r.readUnsignedLEB(bits: 64) }
    }

    func message<T>(_ result: Result<T, WasmError>) -> String? {
        if case .failure(let error) = result { return error.message }
        return nil
    }

    @Test func unsigned32() throws {
        #expect(try u32([0x00]).get() == 0)
        #expect(try u32([0x7F]).get() == 127)
        #expect(try u32([0x80, 0x01]).get() == 128)
        #expect(try u32([0x80, 0x00]).get() == 0, "a padded zero is allowed within the byte limit")
        #expect(try u32([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]).get() == UInt32.max)
        #expect(message(u32([0xFF, 0xFF, 0xFF, 0xFF, 0x1F])) == "integer too large")
        #expect(message(u32([0x80, 0x80, 0x80, 0x80, 0x80, 0x00])) == "integer representation too long")
        #expect(message(u32([0x80])) == "unexpected end")
        #expect(message(u32([])) == "unexpected end")
    }

    @Test func signed32() throws {
        #expect(try s32([0x7F]).get() == -1)
        #expect(try s32([0x3F]).get() == 63)
        #expect(try s32([0x40]).get() == -64)
        #expect(try s32([0x80, 0x7F]).get() == -128)
        #expect(try s32([0xFF, 0xFF, 0xFF, 0xFF, 0x07]).get() == Int32.max)
        #expect(try s32([0x80, 0x80, 0x80, 0x80, 0x78]).get() == Int32.min)
        #expect(try s32([0xFF, 0xFF, 0xFF, 0xFF, 0x7F]).get() == -1)
        #expect(message(s32([0xFF, 0xFF, 0xFF, 0xFF, 0x4F])) == "integer too large")
        #expect(message(s32([0x80, 0x80, 0x80, 0x80, 0x70])) == "integer too large")
        #expect(message(s32([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])) == "integer representation too long")
    }

    @Test func sixtyFourBits() throws {
        #expect(try s64([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00]).get() == Int64.max)
        #expect(try s64([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F]).get() == Int64.min)
        #expect(message(s64([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])) == "integer too large")
        #expect(message(s64([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7E])) == "integer too large")
        #expect(try u64([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]).get() == UInt64.max)
        #expect(message(u64([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02])) == "integer too large")
        #expect(message(u64([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00])) == "integer representation too long")
    }

    @Test func roundTrips() throws {
        for value: Int64 in [0, 1, -1, 63, 64, -64, -65, 1 << 31, -(1 << 31), Int64.max, Int64.min, 0x1234_5678_9ABC] {
            #expect(try s64(WasmBytes.sleb(value)).get() == value)
        }
        for value: UInt64 in [0, 1, 127, 128, 16383, 16384, UInt64(UInt32.max), UInt64.max] {
            #expect(try u64(WasmBytes.uleb(value)).get() == value)
        }
    }

    @Test func oneBitLimitsFlags() throws {
        let flags = { (bytes: [UInt8]) in self.read(bytes) { (r) throws(WasmError) in try r.readUnsignedLEB(bits: 1) } }
        #expect(try flags([0x01]).get() == 1)
        #expect(message(flags([0x02])) == "integer too large")
        #expect(message(flags([0x81, 0x00])) == "integer representation too long")
    }
}
