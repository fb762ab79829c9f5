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

    public var description: String {
        let what = kind == .malformed ? "malformed module" : "invalid module"
        if let offset {
            return "\(what): \(message) (at offset 0x\(String(offset, radix: 16)))"
        }
        return "\(what): \(message)"
    }
}
