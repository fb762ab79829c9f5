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
        /// Why each valid module the engine left to the interpreter was (under the JIT
        /// strategy, `Module.interpreterReason`), one entry per module.
        public var interpretedModules: [String] = []
    }

    public let engine: Engine
    /// Applied to every module the script loads (tests: e.g. serialize and deserialize it,
    /// so the script's assertions run on the result).
    public var moduleTransform: ((Module) throws -> Module)?

    public init(engine: Engine, moduleTransform: ((Module) throws -> Module)? = nil) {
        self.engine = engine
        self.moduleTransform = moduleTransform
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
        // WasmKit's parser does not know the legacy exception instructions: the script's text
        // modules get stand-ins, which `binary(of:)` turns back into the legacy opcodes.
        let legacy = LegacyExceptionText.rewriteScript(source)
        let source = legacy ?? source
        var script: WAST
        do {
            script = try parseWAST(source, features: TextFormat.features)
        } catch {
            result.tally.failed += 1
            result.failures.append("\(name): \(error)")
            return
        }
        var session = ScriptSession(engine: engine, source: source)
        session.moduleTransform = moduleTransform
        session.restoresLegacyExceptions = legacy != nil
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
        result.interpretedModules = session.interpretedModules.reasons
    }
}

/// The reasons of the modules a session's engine left to the interpreter (shared by the
/// session's copies).
final class InterpretedModules {
    var reasons: [String] = []
}

enum Outcome {
    case passed
    case failed(String)
    case skipped
}

/// The state a script builds up as it runs: its store, linker and named instances.
struct ScriptSession {
    let engine: Engine
    var moduleTransform: ((Module) throws -> Module)?
    /// The script's text, to recheck text modules (see `TextFormat.precheck`).
    let source: String
    let store: Store<Void>
    let linker: Linker<Void>
    var instances: [String: Instance] = [:]
    var current: Instance?
    /// `(module definition $M ...)` modules, instantiated by `(module instance ...)`.
    var definitions: [String: Module] = [:]
    var lastDefinition: Module?
    /// `ref.extern N` values: the same N is the same reference.
    var externs: [UInt32: ExternRef] = [:]
    /// Whether the script's text modules went through `LegacyExceptionText.rewriteScript`.
    var restoresLegacyExceptions = false
    /// Modules Kiln rejected as using an unsupported feature (GC types, threads), by
    /// script name and registered name, and whether the current module is one: directives
    /// that use them are skipped, not failed.
    var unsupportedNames: Set<String> = []
    var currentIsUnsupported = false
    let interpretedModules = InterpretedModules()

    init(engine: Engine, source: String) {
        self.engine = engine
        self.source = source
        self.store = Store(engine)
        self.linker = Linker<Void>(engine)
        linker.allowShadowing = true
        SpecTestModule.define(in: linker, store: store)
    }

    /// Whether an execution needs a module rejected as unsupported.
    func usesUnsupportedModule(_ execute: WASTExecute) -> Bool {
        switch execute {
        case .invoke(let invoke): invoke.module.map { unsupportedNames.contains($0) } ?? currentIsUnsupported
        case .get(let module, _): module.map { unsupportedNames.contains($0) } ?? currentIsUnsupported
        case .wat: false
        }
    }

    /// Whether an instantiation failed for lack of an export of an unsupported module.
    func importsFromUnsupportedModule(_ error: any Error) -> Bool {
        let text = "\(error)"
        return unsupportedNames.contains { text.contains("unknown import: \($0)::") }
    }

    mutating func run(_ directive: WASTDirective) -> Outcome {
        switch directive {
        case .invoke(let invoke) where usesUnsupportedModule(.invoke(invoke)):
            return .skipped
        case .assertReturn(let execute, _) where usesUnsupportedModule(execute),
             .assertTrap(let execute, _) where usesUnsupportedModule(execute),
             .assertException(let execute) where usesUnsupportedModule(execute):
            return .skipped
        case .assertExhaustion(let call, _) where usesUnsupportedModule(.invoke(call)):
            return .skipped
        default:
            break
        }
        switch directive {
        case .module(let directive):
            let module: Module
            switch load(directive.source) {
            case .failure(.binary(let error)) where error.kind == .unsupported:
                current = nil
                currentIsUnsupported = true
                if let id = directive.id { unsupportedNames.insert(id) }
                return .skipped
            case .failure(let error): return .failed("module was rejected: \(error)")
            case .success(let loaded): module = loaded
            }
            if directive.isDefinition {
                if let id = directive.id { definitions[id] = module }
                lastDefinition = module
                return .passed
            }
            do {
                let instance = try linker.instantiate(store, module)
                current = instance
                currentIsUnsupported = false
                if let id = directive.id { instances[id] = instance }
                return .passed
            } catch {
                if importsFromUnsupportedModule(error) {
                    currentIsUnsupported = true
                    if let id = directive.id { unsupportedNames.insert(id) }
                    return .skipped
                }
                return .failed("module failed to instantiate: \(error)")
            }

        case .moduleInstance(let instanceName, let moduleName):
            guard let module = moduleName.map({ definitions[$0] }) ?? lastDefinition else {
                return .failed("no module definition \(moduleName ?? "")")
            }
            do {
                let instance = try linker.instantiate(store, module)
                current = instance
                if let instanceName { instances[instanceName] = instance }
                return .passed
            } catch {
                return .failed("module failed to instantiate: \(error)")
            }

        case .register(let name, let moduleId):
            if moduleId.map({ unsupportedNames.contains($0) }) ?? currentIsUnsupported {
                unsupportedNames.insert(name)
                return .skipped
            }
            guard let instance = moduleId.map({ instances[$0] }) ?? current else {
                return .failed("no module to register as \"\(name)\"")
            }
            do {
                try linker.instance(store, name, instance)
                return .passed
            } catch {
                return .failed("cannot register: \(error)")
            }

        case .invoke(let invoke):
            if case .failure(let error) = execute(.invoke(invoke)) { return .failed("invoke failed: \(error)") }
            return .passed

        case .assertReturn(let execute, let expected):
            switch self.execute(execute) {
            case .failure(let error):
                return .failed("expected results, got \(error)")
            case .success(let values):
                guard values.count == expected.count else {
                    return .failed("expected \(expected.count) results, got \(values.count)")
                }
                for (value, expectation) in zip(values, expected) where !matches(value, expectation) {
                    return .failed("expected \(expectation), got \(describe(values))")
                }
                return .passed
            }

        case .assertTrap(let execute, let message):
            if case .wat(let wat) = execute, case .failure(let error) = load(.text(wat)) {
                return .failed("module was rejected: \(error)")
            }
            return expectTrap(self.execute(execute), message)

        case .assertExhaustion(let call, let message):
            return expectTrap(execute(.invoke(call)), message)

        case .assertUnlinkable(let wat, let message):
            let module: Module
            switch load(.text(wat)) {
            case .failure(.binary(let error)) where error.kind == .unsupported: return .skipped
            case .failure(let error): return .failed("module was rejected: \(error)")
            case .success(let loaded): module = loaded
            }
            do {
                _ = try linker.instantiate(store, module)
                return .failed("module linked, expected \"\(message)\"")
            } catch let error as LinkError {
                if importsFromUnsupportedModule(error) { return .skipped }
                return error.message.hasPrefix(message) ? .passed : .failed("expected \"\(message)\", got \"\(error.message)\"")
            } catch {
                return .failed("expected a link error \"\(message)\", got \(error)")
            }

        case .assertMalformed(let directive, let message):
            return expectRejection(directive.source, at: directive.location, message: message, checkTextMessages: false)

        case .assertInvalid(let directive, let message):
            return expectRejection(directive.source, at: directive.location, message: message, checkTextMessages: true)

        case .assertException(let execute):
            switch self.execute(execute) {
            case .failure(is WasmException): return .passed
            case .failure(let error): return .failed("expected an uncaught exception, got \(error)")
            case .success(let values): return .failed("expected an uncaught exception, got results \(values)")
            }

        case .assertFuel, .assertOutOfFuel:
            return .skipped
        }
    }

    // MARK: Execution

    mutating func execute(_ execute: WASTExecute) -> Result<[Val], any Error> {
        switch execute {
        case .invoke(let invoke):
            guard let instance = invoke.module.map({ instances[$0] }) ?? current else {
                return .failure(KilnError("no module for invoke \"\(invoke.name)\""))
            }
            guard let function = instance.getFunc(store, invoke.name) else {
                return .failure(KilnError("no exported function \"\(invoke.name)\""))
            }
            var arguments: [Val] = []
            for argument in invoke.args { arguments.append(value(argument)) }
            return Result { try function.call(store, arguments) }
        case .get(let moduleName, let name):
            guard let instance = moduleName.map({ instances[$0] }) ?? current,
                let global = instance.getGlobal(store, name)
            else {
                return .failure(KilnError("no exported global \"\(name)\""))
            }
            return .success([global.get(store)])
        case .wat(let wat):
            switch load(.text(wat)) {
            case .failure(let error): return .failure(error)
            case .success(let module):
                return Result {
                    let instance = try linker.instantiate(store, module)
                    current = instance
                    return []
                }
            }
        }
    }

    func expectTrap(_ result: Result<[Val], any Error>, _ message: String) -> Outcome {
        switch result {
        case .success(let values):
            return .failed("expected trap \"\(message)\", got \(describe(values))")
        case .failure(let error as Trap):
            return error.message.hasPrefix(message) ? .passed : .failed("expected trap \"\(message)\", got \"\(error.message)\"")
        case .failure(let error):
            return .failed("expected trap \"\(message)\", got \(error)")
        }
    }

    mutating func value(_ constant: WASTConstValue) -> Val {
        switch constant {
        case .i32(let v): return .i32(Int32(bitPattern: v))
        case .i64(let v): return .i64(Int64(bitPattern: v))
        case .f32(let bits): return .f32(Float(bitPattern: bits))
        case .f64(let bits): return .f64(Double(bitPattern: bits))
        case .v128(let v): return .v128(Kiln.V128(bytes: v.bytes))
        case .refNull(let heapType):
            if case .abstract(.externRef) = heapType { return .externRef(nil) }
            return .funcRef(nil)
        case .refExtern(let v): return .externRef(externRef(v))
        case .refFunc, .refHost: return .funcRef(nil)
        }
    }

    mutating func externRef(_ value: UInt32) -> ExternRef {
        if let existing = externs[value] { return existing }
        let reference = ExternRef(value)
        externs[value] = reference
        return reference
    }

    func matches(_ value: Val, _ expected: WASTExpectValue) -> Bool {
        switch (value, expected) {
        case (.i32(let v), .i32(let e)): return UInt32(bitPattern: v) == e
        case (.i64(let v), .i64(let e)): return UInt64(bitPattern: v) == e
        case (.f32(let v), .f32(let e)): return v.bitPattern == e
        case (.f64(let v), .f64(let e)): return v.bitPattern == e
        case (.f32(let v), .f32CanonicalNaN): return v.bitPattern & 0x7FFF_FFFF == 0x7FC0_0000
        case (.f32(let v), .f32ArithmeticNaN): return v.bitPattern & 0x7FC0_0000 == 0x7FC0_0000
        case (.f64(let v), .f64CanonicalNaN): return v.bitPattern & 0x7FFF_FFFF_FFFF_FFFF == 0x7FF8_0000_0000_0000
        case (.f64(let v), .f64ArithmeticNaN): return v.bitPattern & 0x7FF8_0000_0000_0000 == 0x7FF8_0000_0000_0000
        case (.v128(let v), .v128(let e)): return v.bytes == e.bytes
        case (.v128(let v), .v128Pattern(let pattern)):
            let actual = v.bytes
            let laneSize = pattern.shape == .f64x2 ? 8 : 4
            for lane in 0..<(16 / laneSize) {
                let range = lane * laneSize..<(lane + 1) * laneSize
                if pattern.nanLaneMask & (1 << UInt8(lane)) != 0 {
                    var bits: UInt64 = 0
                    for (i, byte) in actual[range].enumerated() { bits |= UInt64(byte) << UInt64(8 * i) }
                    let isNaN = laneSize == 4 ? Float(bitPattern: UInt32(bits)).isNaN : Double(bitPattern: bits).isNaN
                    if !isNaN { return false }
                } else if Array(actual[range]) != Array(pattern.bytes[range]) {
                    return false
                }
            }
            return true
        case (.funcRef(let f), .refNull): return f == nil
        case (.externRef(let r), .refNull): return r == nil
        case (.funcRef(let f), .refFunc): return f != nil
        case (.externRef(let r), .refExtern(let expected)):
            guard let r else { return false }
            guard let expected else { return true }
            return (r.data as? UInt32) == expected
        case (_, .either(let options)): return options.contains { matches(value, $0) }
        default: return false
        }
    }

    func describe(_ values: [Val]) -> String {
        "(" + values.map { value in
            switch value {
            case .f32(let v): "f32 \(v) (0x\(String(v.bitPattern, radix: 16)))"
            case .f64(let v): "f64 \(v) (0x\(String(v.bitPattern, radix: 16)))"
            default: "\(value.type) \(value)"
            }
        }.joined(separator: ", ") + ")"
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
                let binary = try wat.encode(options: EncodeOptions(nameSection: true))
                return .success(restoresLegacyExceptions ? try LegacyExceptionText.restore(binary) : binary)
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
                var module = try Module(engine, bytes: bytes)
                if let moduleTransform { module = try moduleTransform(module) }
                if engine.config.strategy == .jit, let reason = module.interpreterReason {
                    interpretedModules.reasons.append(reason)
                }
                return .success(module)
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
        case .failure(.binary(let error)) where error.kind == .unsupported:
            return .skipped
        case .failure(.binary(let error)):
            // The reference interpreter's messages may go on with details ("type mismatch:
            // instruction requires [i32] but stack has []"), which Kiln's leave out.
            if error.message.hasPrefix(message) || (message.hasPrefix(error.message) && message.dropFirst(error.message.count).hasPrefix(":")) {
                return .passed
            }
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
