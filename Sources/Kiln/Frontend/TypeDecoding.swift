/// Readers for the type encodings shared by sections and instructions.
extension ByteReader {

    /// Reads a value type. Typed references (`0x63`/`0x64` and a heap type) need
    /// `.functionReferences`; `exnref` needs `.exceptions`.
    mutating func readValType(_ features: WasmFeatures) throws(WasmError) -> ValType {
        let at = position
        let byte = try readByte()
        switch byte {
        case 0x7F: return .i32
        case 0x7E: return .i64
        case 0x7D: return .f32
        case 0x7C: return .f64
        case 0x7B: return .v128
        case 0x63 where features.contains(.functionReferences), 0x64 where features.contains(.functionReferences):
            return .ref(RefType(nullable: byte == 0x63, try readHeapType(features)))
        default:
            // The shorthands: funcref is (ref null func), and so on.
            if let heapType = try abstractHeapType(byte, at: at, features) {
                return .ref(RefType(nullable: true, heapType))
            }
            throw .malformed("malformed value type", at: at)
        }
    }

    /// A reference type (tables, `ref.null`'s operand is a heap type instead).
    mutating func readRefType(_ features: WasmFeatures) throws(WasmError) -> ValType {
        let at = position
        let type = try readValType(features)
        guard type.isReference else { throw .malformed("malformed reference type", at: at) }
        return type
    }

    /// A heap type: an abstract one's byte, or a type index (a non-negative s33).
    mutating func readHeapType(_ features: WasmFeatures) throws(WasmError) -> HeapType {
        let at = position
        let byte = try peekByte()
        if byte >= 0x40 && byte < 0x80 {
            position += 1
            if let heapType = try abstractHeapType(byte, at: at, features) { return heapType }
            throw .malformed("malformed heap type", at: at)
        }
        guard features.contains(.functionReferences) else { throw .malformed("malformed reference type", at: at) }
        let index = try readSignedLEB(bits: 33)
        guard index >= 0 else { throw .malformed("malformed heap type", at: at) }
        guard index <= Int64(UInt32.max) else { throw .invalid("unknown type", at: at) }
        return .concrete(UInt32(index))
    }

    /// The abstract heap type a byte names, nil for a byte that names none; GC's are
    /// rejected as an unsupported feature.
    private func abstractHeapType(_ byte: UInt8, at: Int, _ features: WasmFeatures) throws(WasmError) -> HeapType? {
        switch byte {
        case 0x70: return .func
        case 0x6F: return .extern
        case 0x69 where features.contains(.exceptions): return .exn
        case 0x73 where features.contains(.functionReferences): return .noFunc
        case 0x72 where features.contains(.functionReferences): return .noExtern
        case 0x74 where features.contains(.exceptions): return .noExn
        case 0x6E, 0x6D, 0x6C, 0x6B, 0x6A, 0x71:
            guard features.contains(.functionReferences) else { return nil }
            let name = [0x6E: "any", 0x6D: "eq", 0x6C: "i31", 0x6B: "struct", 0x6A: "array", 0x71: "none"][byte]!
            throw .unsupported("garbage collection", "\(name) reference type", at: at)
        default: return nil
        }
    }

    mutating func readBlockType(_ features: WasmFeatures) throws(WasmError) -> BlockType {
        let byte = try peekByte()
        if byte == 0x40 {
            position += 1
            return .empty
        }
        // Bytes 0x40...0x7F are negative as s33: value types, not type indices.
        if byte >= 0x40 && byte < 0x80 {
            return .value(try readValType(features))
        }
        let at = position
        let index = try readSignedLEB(bits: 33)
        guard index >= 0 else { throw .malformed("malformed value type", at: at) }
        guard index <= Int64(UInt32.max) else { throw .invalid("unknown type", at: at) }
        return .typeIndex(UInt32(index))
    }

    /// Reads limits and their flags: bit 0 a maximum follows, bit 1 shared (threads), bit 2
    /// 64-bit (memory64, table64). Sizes are u64 LEB128s when 64-bit, else u32.
    mutating func readLimits(_ features: WasmFeatures) throws(WasmError) -> (limits: Limits, is64: Bool, shared: Bool) {
        let at = position
        // WebAssembly 2.0 has only the maximum flag, as a one-bit LEB128; 3.0 has a flags byte.
        let flags = features.contains(.memory64) ? UInt64(try readByte()) : try readUnsignedLEB(bits: 1)
        guard flags < 8 else { throw .malformed("malformed limits flags", at: at) }
        let is64 = flags & 4 != 0
        // With memory64 every size is a u64 LEB128: the validator limits 32-bit ones.
        let bits = features.contains(.memory64) ? 64 : 32
        let min = try readUnsignedLEB(bits: bits)
        let max = flags & 1 != 0 ? try readUnsignedLEB(bits: bits) : nil
        return (Limits(min: min, max: max), is64, flags & 2 != 0)
    }

    mutating func readTableType(_ features: WasmFeatures) throws(WasmError) -> TableType {
        let elementType = try readRefType(features)
        let at = position
        let (limits, is64, shared) = try readLimits(features)
        guard !shared else { throw .malformed("malformed limits flags", at: at) }
        return TableType(elementType: elementType, limits: limits, is64: is64)
    }

    mutating func readMemoryType(_ features: WasmFeatures) throws(WasmError) -> MemoryType {
        let at = position
        let (limits, is64, shared) = try readLimits(features)
        guard !shared else { throw .unsupported("threads", "shared memory", at: at) }
        return MemoryType(limits: limits, is64: is64)
    }

    mutating func readGlobalType(_ features: WasmFeatures) throws(WasmError) -> GlobalType {
        let valueType = try readValType(features)
        let at = position
        guard let mutability = Mutability(rawValue: try readByte()) else {
            throw .malformed("malformed mutability", at: at)
        }
        return GlobalType(valueType: valueType, mutability: mutability)
    }
}
