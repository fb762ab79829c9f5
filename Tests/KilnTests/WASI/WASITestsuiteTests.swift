import Foundation
import Testing
import Kiln
@testable import KilnWASI

/// The official WASI preview 1 test suite (`../shared/wasi-testsuite`: 72 prebuilt programs
/// in C, Rust and AssemblyScript with JSON specifications), every program under both
/// engines: arguments and environment from the specification, a fresh copy of its root
/// directory preopened as `/`, and the exit code, stdout and stderr it expects.
@Suite struct WASITestsuiteTests {
    static let suite: URL? = {
        let environment = ProcessInfo.processInfo.environment
        let shared = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/wasi-testsuite")
        let candidates = [environment["KILN_WASI_TESTSUITE"].map { URL(fileURLWithPath: $0) }, shared].compactMap { $0 }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("tests").path) }
    }()

    /// Every test program, as "language/name".
    static let programs: [String] = {
        guard let suite else { return [] }
        var names: [String] = []
        for language in ["assemblyscript", "c", "rust"] {
            let folder = suite.appendingPathComponent("tests/\(language)/testsuite/wasm32-wasip1")
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            names += files.filter { $0.hasSuffix(".wasm") }.map { "\(language)/\(String($0.dropLast(5)))" }
        }
        return names.sorted()
    }()

    @Test func theSuiteIsThere() throws {
        if Self.suite == nil && ProcessInfo.processInfo.environment["CI"] != "true" { return }
        #expect(Self.programs.count == 72, "found \(Self.programs.count) programs in \(Self.suite?.path ?? "no suite")")
    }

    struct Specification {
        var arguments: [String] = []
        var environment: [(String, String)] = []
        var root: String?
        var exitCode: Int32 = 0
        /// What the streams must start with, when the specification says (the suite's own
        /// runner reads that many bytes and compares; programs may print more).
        var stdout: String?
        var stderr: String?

        init(_ json: [String: Any]) {
            var fields = json
            // The operations form: a run, a wait and reads, flattened into the legacy form.
            if let operations = json["operations"] as? [[String: Any]] {
                fields = [:]
                for operation in operations {
                    switch operation["type"] as? String {
                    case "run": for key in ["args", "env", "root"] { fields[key] = operation[key] }
                    case "wait": fields["exit_code"] = operation["exit_code"]
                    case "read": fields[(operation["id"] as? String) ?? "stdout"] = operation["payload"]
                    default: break
                    }
                }
            }
            arguments = fields["args"] as? [String] ?? []
            environment = ((fields["env"] as? [String: String]) ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            root = fields["root"] as? String
            exitCode = Int32((fields["exit_code"] as? Int) ?? 0)
            stdout = fields["stdout"] as? String
            stderr = fields["stderr"] as? String
        }
    }

    /// Each engine, and each way of resolving paths: the interpreter with the portable walk,
    /// the JIT with the kernel's `openat2` (where it has it).
    static let runs: [(Config.Strategy, kernelPaths: Bool)] = [(.interpreter, false), (.jit, true)]

    @Test(arguments: programs, [0, 1])
    func program(_ program: String, _ run: Int) throws {
        let (strategy, kernelPaths) = Self.runs[run]
        let suite = try #require(Self.suite)
        let (language, name) = (String(program.split(separator: "/")[0]), String(program.split(separator: "/")[1]))
        let folder = suite.appendingPathComponent("tests/\(language)/testsuite/wasm32-wasip1")
        let json = (try? Data(contentsOf: folder.appendingPathComponent("\(name).json")))
            .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? [:]
        let specification = Specification(json)

        var configuration = WASIConfiguration()
        configuration.kernelPathResolution = kernelPaths
        configuration.arguments = [name + ".wasm"] + specification.arguments
        configuration.environment = specification.environment.map { (name: $0.0, value: $0.1) }
        let stdout = WASIPipe(), stderr = WASIPipe()
        configuration.stdout = .pipe(stdout)
        configuration.stderr = .pipe(stderr)
        var scratch: URL?
        if let root = specification.root {
            // A fresh copy: the tests write into their root.
            let copy = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-wasi-\(getpid())-\(UUID().uuidString)")
            try FileManager.default.copyItem(at: folder.appendingPathComponent(root), to: copy)
            scratch = copy
            configuration.preopen(host: copy.path, guest: "/")
        }
        defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }

        let engine = try Engine(Config(strategy: strategy))
        let module = try Module(engine, path: folder.appendingPathComponent("\(name).wasm").path)
        let store = Store(engine, data: try WASIContext(configuration))
        let linker = Linker<WASIContext>(engine)
        try WASIContext.define(in: linker)
        let instance = try linker.instantiate(store, module)
        var exitCode: Int32 = 0
        do {
            _ = try instance.getFunc(store, "_start")!.call(store, [])
        } catch let exit as WASIExit {
            exitCode = exit.code
        } catch let trap as Trap {
            Issue.record("\(program) trapped: \(trap.message)\nstdout: \(stdout.text)\nstderr: \(stderr.text)")
            return
        }
        #expect(exitCode == specification.exitCode, "\(program): exit code; stdout: \(stdout.text)\nstderr: \(stderr.text)")
        if let expected = specification.stdout {
            #expect(String(decoding: stdout.contents.prefix(expected.utf8.count), as: UTF8.self) == expected, "\(program): stdout")
        }
        if let expected = specification.stderr {
            #expect(String(decoding: stderr.contents.prefix(expected.utf8.count), as: UTF8.self) == expected, "\(program): stderr")
        }
    }
}
