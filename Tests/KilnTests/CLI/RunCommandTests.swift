import Foundation
import Testing

/// `kiln run` as `wasmtime run`: everything after FILE reaches the program untouched, the
/// program's proc_exit code is kiln's exit status, `--env` and `--dir` give it variables
/// and directories, and `--invoke` on a reactor runs `_initialize` first.
@Suite struct RunCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    /// The `kiln` built beside this test bundle (`.build/<triple>/<configuration>/`, whatever
    /// the platform and configuration), else the host's debug build.
    static let kiln: URL = {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kiln")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return root.appendingPathComponent(".build/debug/kiln")
    }()

    /// Prints each argument on its own line, then the environment, and exits with argc.
    static let echo = """
        (module
          (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "args_get" (func $args (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env_sizes (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "environ_get" (func $env (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
          (memory (export "memory") 1)
          (data (i32.const 8) "\\n")
          ;; 0: count, 4: size, 16: iovecs, 1024: pointers, 4096: strings
          (func $line (param $s i32)
            (local $n i32)
            (loop $len (if (i32.load8_u (i32.add (local.get $s) (local.get $n)))
              (then (local.set $n (i32.add (local.get $n) (i32.const 1))) (br $len))))
            (i32.store (i32.const 16) (local.get $s)) (i32.store (i32.const 20) (local.get $n))
            (i32.store (i32.const 24) (i32.const 8)) (i32.store (i32.const 28) (i32.const 1))
            (drop (call $write (i32.const 1) (i32.const 16) (i32.const 2) (i32.const 32))))
          (func $all (param $count i32)
            (local $i i32)
            (loop $each (if (i32.lt_u (local.get $i) (local.get $count))
              (then (call $line (i32.load (i32.add (i32.const 1024) (i32.mul (local.get $i) (i32.const 4)))))
                    (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $each)))))
          (func (export "_start")
            (local $argc i32)
            (drop (call $sizes (i32.const 0) (i32.const 4)))
            (local.set $argc (i32.load (i32.const 0)))
            (drop (call $args (i32.const 1024) (i32.const 4096)))
            (call $all (local.get $argc))
            (drop (call $env_sizes (i32.const 0) (i32.const 4)))
            (drop (call $env (i32.const 1024) (i32.const 4096)))
            (call $all (i32.load (i32.const 0)))
            (call $exit (local.get $argc))))
        """

    static let reactor = """
        (module
          (global $ready (mut i32) (i32.const 0))
          (func (export "_initialize") (global.set $ready (i32.const 42)))
          (func (export "get") (param i32) (result i32) (i32.add (global.get $ready) (local.get 0))))
        """

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = kiln
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    static func withModule<R>(_ text: String, _ body: (String) throws -> R) throws -> R {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-cli-\(getpid())-\(UUID().uuidString).wat").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    @Test func argumentsAfterTheFileGoToTheProgram() throws {
        try #require(FileManager.default.fileExists(atPath: Self.kiln.path), "build the kiln executable first (swift build)")
        try Self.withModule(Self.echo) { module in
            let run = try Self.run(["run", "--env", "GREETING=hi there", "--env", "KILN_TEST_INHERITED", module,
                                    "-v", "--engine", "x", "--", "y", "--help"],
                                   environment: ["KILN_TEST_INHERITED": "from the host"])
            #expect(run.stdout == "\(module)\n-v\n--engine\nx\n--\ny\n--help\nGREETING=hi there\nKILN_TEST_INHERITED=from the host\n",
                    "stderr: \(run.stderr)")
            #expect(run.status == 7, "proc_exit(argc) is the exit status")
            for engine in ["interp", "jit"] {
                let quiet = try Self.run(["run", "--engine", engine, module])
                #expect(quiet.status == 1 && quiet.stdout == "\(module)\n" && quiet.stderr.isEmpty, "\(engine): \(quiet)")
            }
        }
    }

    @Test func invokeRunsInitializeFirst() throws {
        try #require(FileManager.default.fileExists(atPath: Self.kiln.path), "build the kiln executable first (swift build)")
        try Self.withModule(Self.reactor) { module in
            let run = try Self.run(["run", "--invoke", "get", module, "-2"])
            #expect(run.status == 0 && run.stdout == "40\n", "\(run)")
        }
    }

    @Test func optionsAfterTheFileAreNotKilns() throws {
        try #require(FileManager.default.fileExists(atPath: Self.kiln.path), "build the kiln executable first (swift build)")
        let unknown = try Self.run(["run", "--no-such-option", "x.wasm"])
        #expect(unknown.status != 0 && unknown.stderr.contains("--no-such-option"))
        let help = try Self.run(["run", "--help"])
        #expect(help.status == 0 && help.stdout.contains("--dir") && help.stdout.contains("--env") && help.stdout.contains("--tcplisten"))
    }
}
