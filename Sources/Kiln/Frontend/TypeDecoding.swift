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

    mutating func readLimits(maxBits: Int) throws(WasmError) -> Limits {
        let at = position
        // The flags are a one-bit LEB128: 0 (no maximum) or 1 (maximum).
        let flags = try readUnsignedLEB(bits: 1)
        switch flags {
        case 0x00:
            return Limits(min: try readUnsignedLEB(bits: maxBits))
        case 0x01:
            let min = try readUnsignedLEB(bits: maxBits)
            return Limits(min: min, max: try readUnsignedLEB(bits: maxBits))
        default:
            throw .malformed("malformed limits flags", at: at)
        }
    }

    mutating func readTableType() throws(WasmError) -> TableType {
        let elementType = try readRefType()
        return TableType(elementType: elementType, limits: try readLimits(maxBits: 32))
    }

    mutating func readMemoryType() throws(WasmError) -> MemoryType {
        MemoryType(limits: try readLimits(maxBits: 32))
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
