/// A module that could not be decoded (malformed) or that breaks a typing rule (invalid).
///
/// `message` starts with the wording of the WebAssembly spec's reference interpreter
/// ("unexpected end", "type mismatch", ...) so spec scripts can match it by prefix;
/// `offset` is the byte offset in the module binary where the problem was found.
public struct WasmError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The bytes do not follow the binary format.
        case malformed
        /// The module decodes but breaks a validation rule.
        case invalid
        /// The module uses a proposal Kiln does not implement (GC types, threads):
        /// well-formed, but not run. `message` names the feature and what used it.
        case unsupported
    }

    public var kind: Kind
    public var message: String
    public var offset: Int?

    public init(_ kind: Kind, _ message: String, offset: Int?) {
        self.kind = kind
        self.message = message
        self.offset = offset
    }


    static func malformed(_ message: String, at offset: Int) -> WasmError {
        WasmError(.malformed, message, offset: offset)
    }


    static func invalid(_ message: String, at offset: Int) -> WasmError {
        WasmError(.invalid, message, offset: offset)
    }

    /// `feature` is the proposal ("garbage collection"), `construct` what used it ("struct type").
    static func unsupported(_ feature: String, _ construct: String, at offset: Int) -> WasmError {
        WasmError(.unsupported, "\(feature) (\(construct) at offset 0x\(String(offset, radix: 16)))", offset: offset)
    }

    public var description: String {
        if kind == .unsupported { return "unsupported feature: \(message)" }
        let what = kind == .malformed ? "malformed module" : "invalid module"
        if let offset {
            return "\(what): \(message) (at offset 0x\(String(offset, radix: 16)))"
        }
        return "\(what): \(message)"
    }
}
