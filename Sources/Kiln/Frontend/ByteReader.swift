/// A forward cursor over the bytes of a module, with the LEB128 readers of the binary format.
///
/// Invariant: `start <= position <= end` and `[start, end)` lies inside `base`'s buffer.
/// The buffer is borrowed: a reader must not outlive the `withUnsafeBytes` scope it was made in.
/// Offsets reported in errors are relative to `base`, the start of the whole module.
struct ByteReader {
    let base: UnsafeRawPointer
    var position: Int
    var end: Int
    /// The message used when a read runs past `end`.
    var endMessage: String


    init(base: UnsafeRawPointer, position: Int, end: Int, endMessage: String = "unexpected end") {
        self.base = base
        self.position = position
        self.end = end
        self.endMessage = endMessage
    }

    var isAtEnd: Bool { position >= end }
    var remaining: Int { end - position }


    func unexpectedEnd() -> WasmError { .malformed(endMessage, at: position) }


    @inline(__always)
    mutating func readByte() throws(WasmError) -> UInt8 {
        guard position < end else { throw unexpectedEnd() }
        let byte = base.load(fromByteOffset: position, as: UInt8.self)
        position += 1
        return byte
    }


    func peekByte() throws(WasmError) -> UInt8 {
        guard position < end else { throw unexpectedEnd() }
        return base.load(fromByteOffset: position, as: UInt8.self)
    }

    /// Skips `count` bytes and returns the offset where they start.

    mutating func skip(_ count: Int) throws(WasmError) -> Int {
        guard count >= 0, count <= remaining else { throw unexpectedEnd() }
        let start = position
        position += count
        return start
    }


    mutating func readFixedUInt32() throws(WasmError) -> UInt32 {
        guard remaining >= 4 else { position = end; throw unexpectedEnd() }
        let value = base.loadUnaligned(fromByteOffset: position, as: UInt32.self)
        position += 4
        return UInt32(littleEndian: value)
    }


    mutating func readFixedUInt64() throws(WasmError) -> UInt64 {
        guard remaining >= 8 else { position = end; throw unexpectedEnd() }
        let value = base.loadUnaligned(fromByteOffset: position, as: UInt64.self)
        position += 8
        return UInt64(littleEndian: value)
    }


    mutating func readBytes16() throws(WasmError) -> V128 {
        guard remaining >= 16 else { position = end; throw unexpectedEnd() }
        let lo = base.loadUnaligned(fromByteOffset: position, as: UInt64.self)
        let hi = base.loadUnaligned(fromByteOffset: position + 8, as: UInt64.self)
        position += 16
        return V128(lo: UInt64(littleEndian: lo), hi: UInt64(littleEndian: hi))
    }

    // MARK: LEB128

    /// Reads an unsigned LEB128 of at most `bits` bits (`bits` ≤ 64).
    ///
    /// The spec limits the encoding to ⌈bits/7⌉ bytes: a longer one is "integer
    /// representation too long", and unused bits set in the last byte are "integer too large".

    mutating func readUnsignedLEB(bits: Int) throws(WasmError) -> UInt64 {
        // Fast path: one byte.
        if bits >= 7 && position < end {
            let first = base.load(fromByteOffset: position, as: UInt8.self)
            if first & 0x80 == 0 {
                position += 1
                return UInt64(first)
            }
        }
        let start = position
        let maxBytes = (bits + 6) / 7
        var result: UInt64 = 0
        var shift = 0
        for index in 0..<maxBytes {
            let byte = try readByte()
            if index == maxBytes - 1 {
                if byte & 0x80 != 0 {
                    throw .malformed("integer representation too long", at: start)
                }
                let usedBits = bits - shift
                if usedBits < 7 && (byte >> UInt8(usedBits)) != 0 {
                    throw .malformed("integer too large", at: start)
                }
            }
            result |= UInt64(byte & 0x7F) << UInt64(shift)
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        return result
    }

    /// Reads a signed LEB128 of at most `bits` bits (`bits` ≤ 64), sign-extended to 64 bits.

    mutating func readSignedLEB(bits: Int) throws(WasmError) -> Int64 {
        if position < end {
            let first = base.load(fromByteOffset: position, as: UInt8.self)
            if first & 0x80 == 0 {
                position += 1
                return Int64(Int8(bitPattern: first << 1) >> 1)
            }
        }
        let start = position
        let maxBytes = (bits + 6) / 7
        var result: Int64 = 0
        var shift = 0
        for index in 0..<maxBytes {
            let byte = try readByte()
            if index == maxBytes - 1 {
                if byte & 0x80 != 0 {
                    throw .malformed("integer representation too long", at: start)
                }
                // The bits beyond `bits` must all equal the sign bit.
                let usedBits = bits - shift  // 1...7
                if usedBits < 7 {
                    let signAndUnused = Int8(bitPattern: byte << 1) >> Int8(usedBits)  // bits from the sign bit up
                    if signAndUnused != 0 && signAndUnused != -1 {
                        throw .malformed("integer too large", at: start)
                    }
                }
            }
            result |= Int64(byte & 0x7F) << Int64(shift)
            shift += 7
            if byte & 0x80 == 0 {
                if shift < 64 && byte & 0x40 != 0 {
                    result |= -1 << Int64(shift)
                }
                return result
            }
        }
        return result
    }


    @inline(__always)
    mutating func readU32() throws(WasmError) -> UInt32 {
        UInt32(truncatingIfNeeded: try readUnsignedLEB(bits: 32))
    }


    mutating func readS32() throws(WasmError) -> Int32 {
        Int32(truncatingIfNeeded: try readSignedLEB(bits: 32))
    }


    mutating func readS64() throws(WasmError) -> Int64 {
        try readSignedLEB(bits: 64)
    }

    /// Reads a vector length and rejects one that cannot fit in the remaining bytes, given that
    /// each element takes at least `minElementSize` bytes: nothing is allocated for a lie.

    mutating func readCount(minElementSize: Int = 1) throws(WasmError) -> Int {
        let start = position
        let count = Int(try readU32())
        if minElementSize > 0 && count > remaining / minElementSize {
            throw .malformed(endMessage == "unexpected end" ? "length out of bounds" : endMessage, at: start)
        }
        return count
    }

    /// Reads a length-prefixed UTF-8 name.
    mutating func readName() throws(WasmError) -> String {
        let start = position
        let length = Int(try readU32())
        guard length <= remaining else { throw .malformed("length out of bounds", at: start) }
        let bytes = UnsafeRawBufferPointer(start: base + position, count: length)
        guard let name = String(validatingUTF8Bytes: bytes) else {
            throw .malformed("malformed UTF-8 encoding", at: position)
        }
        position += length
        return name
    }
}

extension String {
    /// Decodes `bytes` as UTF-8, or returns nil when they are not valid UTF-8.
    init?(validatingUTF8Bytes bytes: UnsafeRawBufferPointer) {
        guard let string = String(validating: bytes.assumingMemoryBound(to: UInt8.self), as: UTF8.self) else {
            return nil
        }
        self = string
    }
}
