/// The contents of the `name` custom section: debugging names for the module,
/// its functions and their locals.
struct NameSection: Sendable {
    var moduleName: String?
    var functionNames: [UInt32: String] = [:]
    var localNames: [UInt32: [UInt32: String]] = [:]

    /// Decodes the section's payload. Unknown subsections are skipped; a malformed one
    /// throws, and the caller then ignores the whole section.
    static func decode(_ reader: inout ByteReader) throws(WasmError) -> NameSection {
        var names = NameSection()
        while !reader.isAtEnd {
            let id = try reader.readByte()
            let size = Int(try reader.readU32())
            guard size <= reader.remaining else { throw reader.unexpectedEnd() }
            var sub = ByteReader(base: reader.base, position: reader.position, end: reader.position + size)
            reader.position += size
            switch id {
            case 0:
                names.moduleName = try sub.readName()
            case 1:
                names.functionNames = try readNameMap(&sub)
            case 2:
                let count = try sub.readCount(minElementSize: 2)
                for _ in 0..<count {
                    let function = try sub.readU32()
                    names.localNames[function] = try readNameMap(&sub)
                }
            default:
                continue
            }
        }
        return names
    }

    private static func readNameMap(_ reader: inout ByteReader) throws(WasmError) -> [UInt32: String] {
        let count = try reader.readCount(minElementSize: 2)
        var map: [UInt32: String] = [:]
        map.reserveCapacity(count)
        for _ in 0..<count {
            let index = try reader.readU32()
            map[index] = try reader.readName()
        }
        return map
    }
}
