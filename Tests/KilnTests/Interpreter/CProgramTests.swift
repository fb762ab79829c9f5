import Foundation
import Testing
import Kiln
import KilnWASI

/// A C program built twice by Examples/c/build.sh, to wasm32 and natively: both builds
/// must print the same text.
@Suite struct CProgramTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Examples/c")

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// One test for both engines: the build writes the files both runs read.
    @Test func sameOutputAsNative() throws {
        let build = try Self.run("/bin/bash", [Self.examples.appendingPathComponent("build.sh").path])
        try #require(build.status == 0, "Examples/c/build.sh failed (needs clang with the wasm32 target and cc)")
        let native = try Self.run(Self.examples.appendingPathComponent("build/program-native").path, [])
        #expect(native.status == 0)
        #expect(native.output.contains("primes below 100000: 9592"))
        for strategy in [Config.Strategy.interpreter, .jit] {
            #expect(try output(strategy) == native.output, "engine \(strategy)")
        }
    }

    func output(_ strategy: Config.Strategy) throws -> String {
        let engine = try Engine(Config(strategy: strategy))
        let module = try Module(engine, path: Self.examples.appendingPathComponent("build/program.wasm").path)
        final class Output: @unchecked Sendable { var bytes: [UInt8] = [] }
        let output = Output()
        let store = Store(engine, data: try WASIContext(arguments: ["program"]) { _, bytes in output.bytes += bytes })
        let linker = Linker<WASIContext>(engine)
        try WASIContext.define(in: linker)
        let instance = try linker.instantiate(store, module)
        _ = try instance.getFunc(store, "_start")!.call(store, [])
        return String(decoding: output.bytes, as: UTF8.self)
    }
}
