/// Why execution stopped.
public enum TrapCode: String, Sendable, Equatable {
    case unreachable = "unreachable"
    case memoryOutOfBounds = "out of bounds memory access"
    case tableOutOfBounds = "out of bounds table access"
    case indirectCallToNull = "uninitialized element"
    case badSignature = "indirect call type mismatch"
    case integerOverflow = "integer overflow"
    case integerDivisionByZero = "integer divide by zero"
    case badConversionToInteger = "invalid conversion to integer"
    case stackOverflow = "call stack exhausted"
    case outOfFuel = "all fuel consumed"
    case interrupt = "interrupt"
    case nullReference = "null reference"
    /// `call_ref` or `return_call_ref` of null.
    case nullFunctionReference = "null function reference"
    /// `throw_ref` of null.
    case nullExceptionReference = "null exception reference"
}

/// A frame of a wasm backtrace.
public struct FrameInfo: Sendable, CustomStringConvertible {
    /// Index of the function in its module's function index space.
    public var functionIndex: Int
    /// The function's name from the name section, if any.
    public var functionName: String?
    /// Byte offset in the module binary of the instruction being executed, if known.
    public var moduleOffset: Int?
    /// The module's name from the name section, if any.
    public var moduleName: String?

    public var description: String {
        var text = moduleName.map { "\($0)!" } ?? ""
        text += functionName ?? "<wasm function \(functionIndex)>"
        if let moduleOffset { text += " @ 0x\(String(moduleOffset, radix: 16))" }
        return text
    }
}

/// A trap: wasm execution stopped, or host code asked it to stop.
public struct Trap: Error, CustomStringConvertible, @unchecked Sendable {
    public var code: TrapCode?
    public var message: String
    /// The wasm frames active when the trap happened, innermost first.
    public var backtrace: [FrameInfo] = []
    /// The error a host function threw, when that is what stopped execution.
    public var hostError: (any Error)?

    public init(_ message: String) {
        self.code = nil
        self.message = message
    }

    public init(_ code: TrapCode) {
        self.code = code
        self.message = code.rawValue
    }

    /// A trap of kind `code` with a more specific message.
    init(_ code: TrapCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String {
        if backtrace.isEmpty { return message }
        return message + "\nwasm backtrace:\n" + backtrace.enumerated().map { "  \($0.offset): \($0.element)" }.joined(separator: "\n")
    }
}

/// An error a host function throws to end the wasm program on purpose, as WASI's
/// `proc_exit` does: the call into wasm (`Func.call`, `TypedFunc.call`, ...) rethrows it as
/// itself, not wrapped in a `Trap`, so the embedder sees it for what it is.
public protocol ProgramExit: Error {}
