import Foundation
import Testing
import Kiln
import KilnWASI

/// C programs against wasi-libc (Tests/WASIPrograms: files, directories, stdin,
/// environment, clocks, exit codes) run under Kiln's interpreter and JIT must do what
/// they did under wasmtime: Tests/WASIPrograms/expected/CASE.json holds each case's
/// arguments, environment, stdin and fixture folder, and what wasmtime made of them
/// (exit code, stdout, stderr, the preopened directory afterwards). expected.py
/// records those files; the programs are built here by build.sh.
@Suite struct WASIProgramTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("WASIPrograms")

    static var caseNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("expected").path)) ?? [])
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    static func load(_ name: String) throws -> ExpectedRun {
        let data = try Data(contentsOf: folder.appendingPathComponent("expected/\(name).json"))
        return try JSONDecoder().decode(ExpectedRun.self, from: data)
    }

    @Test func thereAreCasesForEveryProgram() throws {
        #expect(Self.caseNames.count >= 10)
        let programs = Set(try Self.caseNames.map { try Self.load($0).program })
        let sources = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { $0.hasSuffix(".c") && !$0.hasPrefix("escape") }.map { String($0.dropLast(2)) }
        for source in sources {
            #expect(programs.contains(source), "no case in expected/ runs \(source).c")
        }
    }

    @Test(arguments: caseNames, [Config.Strategy.interpreter, .jit])
    func sameAsWasmtime(_ name: String, _ strategy: Config.Strategy) throws {
        let expected = try Self.load(name)
        try WASIScratch.with { scratch in
            let root = try expected.fixture.map { try WASIScratch.copyFixture($0, into: scratch) }
            let run = try WASIRunner.run(expected.program, strategy, makeConfiguration(expected, root: root))
            Self.compare(run, expected, root: root, "\(name) under \(strategy)")
        }
    }

    /// The stdin cases again with stdin from a file and, when empty, `.empty`; the exit
    /// cases with stdout and stderr to files, and with stdout discarded.
    @Test(arguments: [Config.Strategy.interpreter, .jit])
    func otherInputsAndOutputs(_ strategy: Config.Strategy) throws {
        for name in Self.caseNames {
            let expected = try Self.load(name)
            guard expected.program == "stdin" || expected.program == "exit" else { continue }
            try WASIScratch.with { scratch in
                var configuration = makeConfiguration(expected, root: nil)
                if expected.program == "stdin" {
                    let input = scratch.appendingPathComponent("stdin.txt")
                    try Data(expected.stdin.utf8).write(to: input)
                    configuration.stdin = .file(path: input.path)
                    Self.compare(try WASIRunner.run(expected.program, strategy, configuration), expected, root: nil,
                                 "\(name) with stdin from a file under \(strategy)")
                    if expected.stdin.isEmpty {
                        configuration.stdin = .empty
                        Self.compare(try WASIRunner.run(expected.program, strategy, configuration), expected, root: nil,
                                     "\(name) with stdin .empty under \(strategy)")
                    }
                } else {
                    let (out, err) = (scratch.appendingPathComponent("stdout.txt"), scratch.appendingPathComponent("stderr.txt"))
                    configuration.stdout = .file(path: out.path)
                    configuration.stderr = .file(path: err.path)
                    let run = try WASIRunner.run(expected.program, strategy, configuration, catchOutput: false)
                    #expect(run.exitCode == expected.exitCode && run.trapped == expected.trapped, "\(name) to files under \(strategy)")
                    #expect((try? String(contentsOf: out, encoding: .utf8)) == expected.stdout, "\(name): stdout file under \(strategy)")
                    #expect((try? String(contentsOf: err, encoding: .utf8)) == expected.stderr, "\(name): stderr file under \(strategy)")
                    configuration.stdout = .discard
                    let discarded = try WASIRunner.run(expected.program, strategy, configuration, catchOutput: false)
                    #expect(discarded.exitCode == expected.exitCode && discarded.trapped == expected.trapped,
                            "\(name) with stdout discarded under \(strategy)")
                }
            }
        }
    }

    func makeConfiguration(_ expected: ExpectedRun, root: URL?) -> WASIConfiguration {
        var configuration = WASIConfiguration()
        configuration.arguments = expected.args
        configuration.environment = expected.env.map { (name: $0[0], value: $0[1]) }
        configuration.stdin = .pipe(WASIPipe(Array(expected.stdin.utf8)))
        if let root { configuration.preopen(host: root.path, guest: "/") }
        return configuration
    }

    static func compare(_ run: WASIRun, _ expected: ExpectedRun, root: URL?, _ what: String) {
        let ending = run.trap.map { "trap: \($0)" } ?? "exit code \(run.exitCode.map { String($0) } ?? "-")"
        #expect(run.exitCode == expected.exitCode, "\(what): \(ending)")
        #expect(run.trapped == expected.trapped, "\(what): trapped")
        #expect(run.procExit == expected.procExit, "\(what): proc_exit called (WASIExit thrown)")
        #expect(run.stdout == expected.stdout, "\(what): stdout \(firstDifference(run.stdout, expected.stdout))")
        #expect(run.stderr == expected.stderr, "\(what): stderr \(firstDifference(run.stderr, expected.stderr))")
        if let root {
            let listing = (try? WASIScratch.listing(root)) ?? []
            #expect(listing == expected.listing, "\(what): directory afterwards")
        }
    }

    static func firstDifference(_ a: String, _ b: String) -> String {
        let (linesA, linesB) = (a.split(separator: "\n", omittingEmptySubsequences: false), b.split(separator: "\n", omittingEmptySubsequences: false))
        for (i, (x, y)) in zip(linesA, linesB).enumerated() where x != y {
            return "line \(i + 1): \"\(x)\" instead of \"\(y)\""
        }
        return "\(linesA.count) lines instead of \(linesB.count)"
    }
}

/// One expected/CASE.json.
struct ExpectedRun: Decodable, Sendable {
    var program: String
    var args: [String]
    /// [name, value] pairs, in order.
    var env: [[String]]
    var stdin: String
    /// Tests/WASIPrograms/fixtures/NAME, copied fresh and preopened as "/"; nil: no preopen.
    var fixture: String?
    /// nil when the program trapped.
    var exitCode: Int32?
    var trapped: Bool
    /// The program called proc_exit (exit(0) does; returning 0 from main does not).
    var procExit: Bool
    var stdout: String
    var stderr: String
    var listing: [WASIScratch.Entry]?

    enum CodingKeys: String, CodingKey {
        case program, args, env, stdin, fixture, trapped, stdout, stderr, listing
        case exitCode = "exit_code", procExit = "proc_exit"
    }
}

/// What a run under Kiln did.
struct WASIRun {
    var exitCode: Int32?
    var procExit = false
    var trap: Trap?
    var stdout = ""
    var stderr = ""
    var trapped: Bool { trap != nil }
}

/// Builds Tests/WASIPrograms once per test process and runs its modules under Kiln.
enum WASIRunner {
    /// Built by Tests/WASIPrograms/build.sh (needs clang's wasm32 target, wasi-libc and
    /// libclang-rt-dev-wasm32, which .ci/run installs).
    static let build: Result<URL, BuildError> = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-wasiprograms-\(getpid())")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [WASIProgramTests.folder.appendingPathComponent("build.sh").path, directory.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return .failure(BuildError(message: "\(error)")) }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 ? .success(directory) : .failure(BuildError(message: output))
    }()

    struct BuildError: Error, CustomStringConvertible {
        var message: String
        var description: String { "Tests/WASIPrograms/build.sh failed:\n\(message)" }
    }

    static func modulePath(_ program: String) throws -> String {
        try build.get().appendingPathComponent("\(program).wasm").path
    }

    /// Runs `program` with a context made from `configuration`, its stdout and stderr
    /// caught in pipes unless `catchOutput` is false (then they go where the
    /// configuration says).
    static func run(_ program: String, _ strategy: Config.Strategy, _ configuration: WASIConfiguration,
                    catchOutput: Bool = true, imports: (Linker<WASIContext>) throws -> Void = { _ in }) throws -> WASIRun {
        var configuration = configuration
        let (out, err) = (WASIPipe(), WASIPipe())
        if catchOutput {
            configuration.stdout = .pipe(out)
            configuration.stderr = .pipe(err)
        }
        var run = try start(program, strategy, context: WASIContext(configuration), imports: imports)
        run.stdout = out.text
        run.stderr = err.text
        return run
    }

    /// Instantiates `program` in a new store holding `context` and calls `_start`. The
    /// exit code is 0 when `_start` returns, proc_exit's code when the program calls it
    /// (thrown as WASIExit, directly or as a trap's host error), nil when it traps.
    static func start(_ program: String, _ strategy: Config.Strategy, context: WASIContext,
                      imports: (Linker<WASIContext>) throws -> Void = { _ in }) throws -> WASIRun {
        let engine = try Engine(Config(strategy: strategy))
        let module = try Module(engine, path: try modulePath(program))
        let store = Store(engine, data: context)
        let linker = Linker<WASIContext>(engine)
        try WASIContext.define(in: linker)
        try imports(linker)
        let instance = try linker.instantiate(store, module)
        var run = WASIRun()
        do {
            _ = try instance.getFunc(store, "_start")!.call(store, [])
            run.exitCode = 0
        } catch let exit as WASIExit {
            run.exitCode = exit.code
            run.procExit = true
        } catch let trap as Trap {
            if let exit = trap.hostError as? WASIExit {
                run.exitCode = exit.code
                run.procExit = true
            } else {
                run.trap = trap
            }
        }
        return run
    }
}

/// Temporary directories and what is in them.
enum WASIScratch {
    /// A fresh temporary directory for `body`, removed afterwards.
    static func with<R>(_ body: (URL) throws -> R) throws -> R {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-wasi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }

    /// Copies Tests/WASIPrograms/fixtures/NAME to scratch/root.
    static func copyFixture(_ name: String, into scratch: URL) throws -> URL {
        let root = scratch.appendingPathComponent("root")
        try FileManager.default.copyItem(at: WASIProgramTests.folder.appendingPathComponent("fixtures/\(name)"), to: root)
        return root
    }

    /// A directory entry as expected.py lists it.
    struct Entry: Codable, Equatable, Sendable, CustomStringConvertible {
        var path: String
        var type: String
        var size: Int?
        var target: String?
        var description: String {
            "\(path) (\(type)\(size.map { ", \($0) bytes" } ?? "")\(target.map { " -> \($0)" } ?? ""))"
        }
    }

    /// Everything under root (not root itself), symlinks not followed, sorted by path.
    static func listing(_ root: URL) throws -> [Entry] {
        var entries: [Entry] = []
        func walk(_ relative: String) throws {
            let fileManager = FileManager.default
            let directory = relative.isEmpty ? root.path : root.path + "/" + relative
            for name in try fileManager.contentsOfDirectory(atPath: directory) {
                let path = relative.isEmpty ? name : relative + "/" + name
                let full = root.path + "/" + path
                let attributes = try fileManager.attributesOfItem(atPath: full)  // lstat: links not followed
                let type = attributes[.type] as? FileAttributeType
                if type == FileAttributeType.typeSymbolicLink {
                    entries.append(Entry(path: path, type: "symlink", target: try fileManager.destinationOfSymbolicLink(atPath: full)))
                } else if type == FileAttributeType.typeDirectory {
                    entries.append(Entry(path: path, type: "dir"))
                    try walk(path)
                } else {
                    entries.append(Entry(path: path, type: "file", size: (attributes[.size] as? NSNumber)?.intValue))
                }
            }
        }
        try walk("")
        return entries.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }
}
