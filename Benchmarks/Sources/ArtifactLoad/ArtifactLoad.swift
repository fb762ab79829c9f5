// Compile time against load time of a compiled artifact (Module.serialize /
// Module(engine, deserialize:) / Module(engine, deserializeFile:)), medians of N runs:
//     swift run -c release ArtifactLoad Kernels/build/large.wasm [--runs N]

import Foundation
import Kiln

@main
struct ArtifactLoad {
    static let usage = "usage: ArtifactLoad <module.wasm> [--runs N]   (default: 5 runs after 1 warm-up run)"

    static func main() {
        var path: String?
        var runs = 5
        var arguments = CommandLine.arguments.dropFirst()
        while let argument = arguments.popFirst() {
            switch argument {
            case "--runs":
                guard let value = arguments.popFirst().flatMap(Int.init), value > 0 else { fail("--runs needs a positive integer\n\(usage)") }
                runs = value
            case "-h", "--help":
                print(usage)
                return
            default:
                guard path == nil else { fail(usage) }
                path = argument
            }
        }
        guard let path, let data = FileManager.default.contents(atPath: path) else { fail(usage) }
        let bytes = [UInt8](data)
        do {
            let engine = try Engine(Config(strategy: .jit))
            let artifactPath = FileManager.default.temporaryDirectory.appendingPathComponent("artifact-load-\(getpid()).cwasm").path
            defer { try? FileManager.default.removeItem(atPath: artifactPath) }

            var module: Module? = nil
            let compile = try measure(runs) { module = try Module(engine, bytes: bytes) }
            var artifact: [UInt8] = []
            let serialize = try measure(runs) { artifact = try module!.serialize() }
            guard FileManager.default.createFile(atPath: artifactPath, contents: Data(artifact)) else { fail("cannot write \(artifactPath)") }
            let deserialize = try measure(runs) { _ = try Module(engine, deserialize: artifact) }
            let deserializeFile = try measure(runs) { _ = try Module(engine, deserializeFile: artifactPath) }
            let ready = try measure(runs) {
                let loaded = try Module(engine, deserializeFile: artifactPath)
                let store = Store(engine, data: ())
                _ = try Linker<Void>(engine).instantiate(store, loaded)
            }
            let code = module!.machineCode!.reduce(0) { $0 + $1.bytes.count }
            func ms(_ t: Double) -> String { String(format: "%.2f ms", t * 1000) }
            print("\(path): \(bytes.count) bytes of wasm, \(code) bytes of machine code, artifact \(artifact.count) bytes; medians of \(runs)")
            print("compile (decode + validate + JIT):        \(ms(compile))")
            print("serialize:                                \(ms(serialize))")
            print("deserialize (in memory):                  \(ms(deserialize))  (\(String(format: "%.1f", compile / deserialize))x faster than compiling)")
            print("deserializeFile (mmap):                   \(ms(deserializeFile))  (\(String(format: "%.1f", compile / deserializeFile))x)")
            print("deserializeFile + Store + instantiate:    \(ms(ready))")
        } catch {
            fail("\(path): \(error)")
        }
    }

    /// The median time of `runs` runs of `body`, after one warm-up run.
    static func measure(_ runs: Int, _ body: () throws -> Void) throws -> Double {
        try body()
        var seconds: [Double] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            try body()
            let elapsed = start.duration(to: .now)
            seconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        seconds.sort()
        return runs % 2 == 1 ? seconds[runs / 2] : (seconds[runs / 2 - 1] + seconds[runs / 2]) / 2
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(1)
    }
}
