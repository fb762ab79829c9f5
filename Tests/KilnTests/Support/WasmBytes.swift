/// Helpers to write module binaries byte by byte in tests.
enum WasmBytes {
    static let header: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]

    static func uleb(_ value: UInt64) -> [UInt8] {
        var value = value
        var bytes: [UInt8] = []
        repeat {
            var byte = UInt8(value & 0x7F)
            value >>= 7
            if value != 0 { byte |= 0x80 }
            bytes.append(byte)
        } while value != 0
        return bytes
    }

    static func sleb(_ value: Int64) -> [UInt8] {
        var value = value
        var bytes: [UInt8] = []
        while true {
            let byte = UInt8(value & 0x7F)
            value >>= 7
            if (value == 0 && byte & 0x40 == 0) || (value == -1 && byte & 0x40 != 0) {
                bytes.append(byte)
                return bytes
            }
            bytes.append(byte | 0x80)
        }
    }

    static func name(_ text: String) -> [UInt8] {
        uleb(UInt64(text.utf8.count)) + Array(text.utf8)
    }

    static func vector(_ items: [[UInt8]]) -> [UInt8] {
        uleb(UInt64(items.count)) + items.flatMap { $0 }
    }

    static func section(_ id: UInt8, _ content: [UInt8]) -> [UInt8] {
        [id] + uleb(UInt64(content.count)) + content
    }

    static func module(_ sections: [UInt8]...) -> [UInt8] {
        header + sections.flatMap { $0 }
    }

    /// A type section with `() -> ()` and `(i32) -> i32`.
    static let basicTypes = section(1, vector([[0x60, 0x00, 0x00], [0x60, 0x01, 0x7F, 0x01, 0x7F]]))

    /// A code-section entry with no locals and the given instructions (an `end` is appended).
    static func body(_ code: [UInt8], locals: [[UInt8]] = []) -> [UInt8] {
        let content = vector(locals) + code + [0x0B]
        return uleb(UInt64(content.count)) + content
    }
}
