/// Readers for the type encodings shared by sections and instructions.
extension ByteReader {

    mutating func readValType() throws(WasmError) -> ValType {
        let at = position
        let byte = try readByte()
        guard let type = ValType(rawValue: byte) else {
            throw .malformed("malformed value type", at: at)
        }
        return type
    }


    mutating func readRefType() throws(WasmError) -> ValType {
        let at = position
        let byte = try readByte()
        guard byte == ValType.funcRef.rawValue || byte == ValType.externRef.rawValue else {
            throw .malformed("malformed reference type", at: at)
        }
        return ValType(rawValue: byte)!
    }


    mutating func readBlockType() throws(WasmError) -> BlockType {
        let byte = try peekByte()
        if byte == 0x40 {
            position += 1
            return .empty
        }
        if let type = ValType(rawValue: byte) {
            position += 1
            return .value(type)
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
        // WebAssembly 2.0 has only the maximum flag (a one-bit LEB128).
        let flags = try readUnsignedLEB(bits: features.contains(.memory64) ? 32 : 1)
        guard flags < 8 else { throw .malformed("malformed limits flags", at: at) }
        let is64 = flags & 4 != 0
        let bits = is64 ? 64 : 32
        let min = try readUnsignedLEB(bits: bits)
        let max = flags & 1 != 0 ? try readUnsignedLEB(bits: bits) : nil
        return (Limits(min: min, max: max), is64, flags & 2 != 0)
    }

    mutating func readTableType(_ features: WasmFeatures) throws(WasmError) -> TableType {
        let elementType = try readRefType()
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

    mutating func readGlobalType() throws(WasmError) -> GlobalType {
        let valueType = try readValType()
        let at = position
        guard let mutability = Mutability(rawValue: try readByte()) else {
            throw .malformed("malformed mutability", at: at)
        }
        return GlobalType(valueType: valueType, mutability: mutability)
    }
}
