import Foundation
import Kiln
import WAT

/// Runs WebAssembly spec scripts (`.wast`) against Kiln.
///
/// Every directive counts once: a module that must load, an `assert_*`, an `invoke`.
/// Assertions about malformed or invalid modules check that Kiln rejects the module with
/// a message that starts with the script's (as the spec's reference interpreter matches
/// them); for modules in the text format, the text parser may reject them first, and then
/// only the rejection is checked.
public struct WASTRunner {
    /// Totals for one script or for several.
    public struct Tally: Sendable, Equatable {
        public var passed = 0
        public var failed = 0
        public var skipped = 0
        public init() {}

        public static func += (lhs: inout Tally, rhs: Tally) {
            lhs.passed += rhs.passed
            lhs.failed += rhs.failed
            lhs.skipped += rhs.skipped
        }

        public var summary: String { "\(passed) passed, \(failed) failed, \(skipped) skipped" }
    }

    /// The outcome of one script.
    public struct FileResult: Sendable {
        public var path: String
        public var tally = Tally()
        /// One line per failed directive: `file:line: what went wrong`.
        public var failures: [String] = []
    }

    public let engine: Engine

    public init(engine: Engine) {
        self.engine = engine
    }

    public func run(path: String) -> FileResult {
        var result = FileResult(path: path)
        guard let data = FileManager.default.contents(atPath: path) else {
            result.tally.failed += 1
            result.failures.append("\(path): cannot read the file")
            return result
        }
        run(source: String(decoding: data, as: UTF8.self), name: path, into: &result)
        return result
    }

    public func run(source: String, name: String) -> FileResult {
        var result = FileResult(path: name)
        run(source: source, name: name, into: &result)
        return result
    }

    private func run(source: String, name: String, into result: inout FileResult) {
        var script: WAST
        do {
            script = try parseWAST(source, features: TextFormat.features)
        } catch {
            result.tally.failed += 1
            result.failures.append("\(name): \(error)")
            return
        }
        var session = ScriptSession(engine: engine, source: source)
        while let (parsed, location) = script.nextDirectiveResult() {
            let outcome: Outcome
            switch parsed {
            case .success(let directive):
                outcome = session.run(directive)
            case .failure(let error):
                outcome = .failed("cannot parse directive: \(error.error)")
            }
            switch outcome {
            case .passed: result.tally.passed += 1
            case .skipped: result.tally.skipped += 1
            case .failed(let why):
                result.tally.failed += 1
                // Finding the line costs a pass over the text: only failures pay it.
                let line = location.computeLineAndColumn().line
                result.failures.append("\(name):\(line): \(why)")
            }
        }
    }
}

enum Outcome {
    case passed
    case failed(String)
    case skipped
}

/// The state a script builds up as it runs: its modules, by name and the latest.
struct ScriptSession {
    let engine: Engine
    /// The script's text, to recheck text modules (see `TextFormat.precheck`).
    let source: String
    var modules: [String: Module] = [:]
    var current: Module?

    init(engine: Engine, source: String) {
        self.engine = engine
        self.source = source
    }

    mutating func run(_ directive: WASTDirective) -> Outcome {
        switch directive {
        case .module(let directive):
            let module: Module
            switch load(directive.source) {
            case .failure(let error): return .failed("module was rejected: \(error)")
            case .success(let loaded): module = loaded
            }
            if let id = directive.id { modules[id] = module }
            current = module
            return .passed

        case .assertMalformed(let directive, let message):
            return expectRejection(directive.source, at: directive.location, message: message, checkTextMessages: false)

        case .assertInvalid(let directive, let message):
            return expectRejection(directive.source, at: directive.location, message: message, checkTextMessages: true)

        case .assertUnlinkable(let wat, _):
            // Linking needs the runtime; the module must still be valid.
            if case .failure(let error) = load(.text(wat)) { return .failed("module was rejected: \(error)") }
            return .skipped

        case .assertTrap(.wat(let wat), _):
            if case .failure(let error) = load(.text(wat)) { return .failed("module was rejected: \(error)") }
            return .skipped

        case .moduleInstance, .assertReturn, .assertTrap, .assertExhaustion, .assertException,
            .assertFuel, .assertOutOfFuel, .register, .invoke:
            return .skipped
        }
    }

    enum LoadError: Error, CustomStringConvertible {
        /// The text parser rejected the module.
        case text(String)
        /// Kiln's decoder or validator rejected it.
        case binary(WasmError)
        case other(String)

        var description: String {
            switch self {
            case .text(let message): "text format: \(message)"
            case .binary(let error): error.description
            case .other(let message): message
            }
        }
    }

    func binary(of source: ModuleSource) -> Result<[UInt8], LoadError> {
        switch source {
        case .binary(let bytes):
            return .success(bytes)
        case .text(let wat):
            do {
                return .success(try wat.encode(options: EncodeOptions(nameSection: true)))
            } catch {
                return .failure(.text("\(error)"))
            }
        case .quote(let bytes):
            do {
                return .success(try TextFormat.encode(String(decoding: bytes, as: UTF8.self)))
            } catch {
                return .failure(.text("\(error)"))
            }
        }
    }

    func load(_ source: ModuleSource) -> Result<Module, LoadError> {
        switch binary(of: source) {
        case .failure(let error):
            return .failure(error)
        case .success(let bytes):
            do {
                return .success(try Module(engine, bytes: bytes))
            } catch let error as WasmError {
                return .failure(.binary(error))
            } catch {
                return .failure(.other("\(error)"))
            }
        }
    }

    /// The text of the parenthesized module that starts at `location`.
    func moduleText(at location: Location) -> Substring? {
        let (line, column) = location.computeLineAndColumn()
        var lineStart = source.startIndex
        for _ in 1..<line {
            guard let newline = source[lineStart...].firstIndex(of: "\n") else { return nil }
            lineStart = source.index(after: newline)
        }
        guard let start = source.unicodeScalars.index(lineStart, offsetBy: column, limitedBy: source.endIndex) else { return nil }
        // `start` is at or just after the opening parenthesis; find the matching close.
        var depth = 1
        var index = start
        var inString = false
        while index < source.endIndex {
            let c = source.unicodeScalars[index]
            if inString {
                if c == "\\" { index = source.unicodeScalars.index(after: index) } else if c == "\"" { inString = false }
            } else if c == "\"" {
                inString = true
            } else if c == "(" {
                depth += 1
            } else if c == ")" {
                depth -= 1
                if depth == 0 { return source[start..<index] }
            }
            if index < source.endIndex { index = source.unicodeScalars.index(after: index) }
        }
        return nil
    }

    /// A module that must be rejected with `message`. A text module that the text parser
    /// already rejects counts as rejected; its message is the parser's, not the spec's.
    func expectRejection(_ source: ModuleSource, at location: Location, message: String, checkTextMessages: Bool) -> Outcome {
        let outcome = expectRejection(source, message: message, checkTextMessages: checkTextMessages)
        if case .failed = outcome, case .text = source, let text = moduleText(at: location) {
            // What the text encoder drops, the text precheck (which `Module(wat:)` runs) sees.
            do {
                try TextFormat.precheck(text)
            } catch {
                if error.message.hasPrefix(message) { return .passed }
            }
        }
        return outcome
    }

    func expectRejection(_ source: ModuleSource, message: String, checkTextMessages: Bool) -> Outcome {
        switch load(source) {
        case .success:
            return .failed("module was accepted, expected \"\(message)\"")
        case .failure(.text):
            return .passed
        case .failure(.binary(let error)):
            if error.message.hasPrefix(message) { return .passed }
            if !checkTextMessages, !source.isBinary { return .passed }
            return .failed("expected \"\(message)\", got \"\(error.message)\"")
        case .failure(.other(let error)):
            return .failed("expected \"\(message)\", got \"\(error)\"")
        }
    }
}

extension ModuleSource {
    var isBinary: Bool {
        if case .binary = self { return true }
        return false
    }
}
