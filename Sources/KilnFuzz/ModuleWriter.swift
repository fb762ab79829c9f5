import Kiln

/// Encodes WebAssembly binaries: LEB128 numbers, vectors and sections, for the generator.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func u32(_ value: UInt32) { u64(UInt64(value)) }

    /// Unsigned LEB128 of any width (memory64 offsets and limits are u64).
    mutating func u64(_ value: UInt64) {
        var value = value
        repeat {
            var b = UInt8(value & 0x7F)
            value >>= 7
            if value != 0 { b |= 0x80 }
            bytes.append(b)
        } while value != 0
    }

    mutating func s32(_ value: Int32) { s64(Int64(value)) }

    mutating func s64(_ value: Int64) {
        var value = value
        while true {
            let b = UInt8(value & 0x7F)
            value >>= 7
            if (value == 0 && b & 0x40 == 0) || (value == -1 && b & 0x40 != 0) {
                bytes.append(b)
                return
            }
            bytes.append(b | 0x80)
        }
    }

    mutating func f32(_ value: Float) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func f64(_ value: Double) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func name(_ text: String) {
        u32(UInt32(text.utf8.count))
        bytes.append(contentsOf: text.utf8)
    }

    mutating func valType(_ type: ValType) {
        switch type {
        case .i32: byte(0x7F)
        case .i64: byte(0x7E)
        case .f32: byte(0x7D)
        case .f64: byte(0x7C)
        case .v128: byte(0x7B)
        case .ref(let reference):
            switch (reference.nullable, reference.heapType) {
            case (true, .func): byte(0x70)
            case (true, .extern): byte(0x6F)
            case (true, .exn): byte(0x69)
            default:
                byte(reference.nullable ? 0x63 : 0x64)
                heapType(reference.heapType)
            }
        }
    }

    mutating func heapType(_ type: HeapType) {
        switch type {
        case .func: byte(0x70)
        case .extern: byte(0x6F)
        case .exn: byte(0x69)
        case .noFunc: byte(0x73)
        case .noExtern: byte(0x72)
        case .noExn: byte(0x74)
        case .concrete(let index): s64(Int64(index))  // an s33: the same LEB128 for non-negative values
        }
    }

    /// A section with its id and size.
    mutating func section(_ id: UInt8, _ body: (inout ByteWriter) -> Void) {
        var content = ByteWriter()
        body(&content)
        byte(id)
        u32(UInt32(content.bytes.count))
        bytes.append(contentsOf: content.bytes)
    }
}
