import WAT
import WasmParser

/// The text format, parsed by WasmKit's `WAT` library and encoded to a binary that
/// Kiln's own decoder then reads.
public enum TextFormat {
    /// The proposals beyond the MVP that the text parser must accept: those of WebAssembly
    /// 2.0 and 3.0. GC types parse too, so that Kiln can reject them by name.
    public static let features: WasmFeatureSet = [
        .referenceTypes, .simd, .memory64, .multiMemory, .tailCall, .exceptionHandling, .functionReferences, .gc,
    ]

    /// Encodes a module in the text format to its binary form, keeping its names.
    public static func encode(_ text: String) throws -> [UInt8] {
        try precheck(text[...])
        // The parser does not know the legacy exception instructions: they go in as stand-ins.
        let legacy = try LegacyExceptionText.rewrite(text)
        let binary: [UInt8]
        do {
            binary = try wat2wasm(legacy?.text ?? text, features: features, options: EncodeOptions(nameSection: true))
        } catch {
            throw legacy?.locate(TextFormatError(error)) ?? TextFormatError(error)
        }
        guard let legacy else { return binary }
        return try LegacyExceptionText.restore(binary, expectedMarkers: legacy.markerCount)
    }
}

extension TextFormat {
    /// Rejects what the text parser would accept but encode wrongly (see `TextPrecheck`).
    public static func precheck(_ text: Substring) throws(WasmError) {
        try TextPrecheck.check(text)
    }
}

/// A text-format module that could not be parsed, with its line and column.
public struct TextFormatError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var line: Int?
    public var column: Int?

    init(_ error: WatParserError) {
        message = error.description
        if let location = error.location {
            let (line, column) = location.computeLineAndColumn()
            self.line = line
            self.column = column + 1
            // The parser's own description embeds a debug rendering of the location.
            if let range = message.range(of: " at Location(") {
                message = String(message[..<range.lowerBound])
            }
        }
    }

    public var description: String {
        if let line, let column { return "text format error at \(line):\(column): \(message)" }
        return "text format error: \(message)"
    }
}
