// Times Kiln's decode + validate on one module and prints the median throughput; with
// --compile, the JIT's compile on one thread and on all cores too (one line each).
//
// A plain executable rather than a Benchmark target so that scripts can call it
// and parse its lines of output:
//     swift run -c release DecodeThroughput Kernels/build/large.wasm [--runs N] [--compile]

import Foundation
import Kiln

@main
struct DecodeThroughput {
    static let usage = "usage: DecodeThroughput <module.wasm> [--runs N] [--compile]   (default: 21 runs after 2 warm-up runs)"

    static func main() {
        var path: String?
        var runs = 21
        var compile = false
        var arguments = CommandLine.arguments.dropFirst()
        while let argument = arguments.popFirst() {
            switch argument {
            case "--runs":
                guard let value = arguments.popFirst().flatMap(Int.init), value > 0 else {
                    fail("--runs needs a positive integer\n\(usage)")
                }
                runs = value
            case "--compile":
                compile = true
            case "-h", "--help":
                print(usage)
                return
            default:
                guard path == nil else { fail(usage) }
                path = argument
            }
        }
        guard let path else { fail(usage) }
        guard let data = FileManager.default.contents(atPath: path) else {
            fail("cannot read \(path)" + (path.hasSuffix("large.wasm") ? " (build it with Kernels/build.sh)" : ""))
        }
        let bytes = [UInt8](data)

        let validating: Engine
        do { validating = try Engine(Config()) } catch { fail("\(error)") }
        measure("validate", path: path, bytes: bytes, runs: runs) { try Module.validate(validating, bytes: bytes) }
        guard compile else { return }
        let threads: [Bool] = ProcessInfo.processInfo.environment["KILN_COMPILE_ONE_THREAD_ONLY"] == "1" ? [false] : [false, true]
        for parallel in threads {
            var config = Config(strategy: .jit)
            config.parallelCompilation = parallel
            let engine: Engine
            do { engine = try Engine(config) } catch { fail("\(error)") }
            measure(parallel ? "compile, all cores" : "compile, one thread", path: path, bytes: bytes, runs: runs) {
                _ = try Module(engine, bytes: bytes)
            }
        }
    }

    /// Runs `body` twice to warm up, then `runs` times, and prints the median throughput.
    static func measure(_ what: String, path: String, bytes: [UInt8], runs: Int, _ body: () throws -> Void) {
        do {
            // Warm-up: the first runs pay for page faults in the allocator and caches.
            for _ in 0..<2 { try body() }
        } catch {
            fail("\(path): \(error)")
        }
        var seconds: [Double] = []
        seconds.reserveCapacity(runs)
        for _ in 0..<runs {
            let start = ContinuousClock.now
            do {
                try body()
            } catch {
                fail("\(path): \(error)")
            }
            let elapsed = start.duration(to: .now)
            seconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        seconds.sort()

        // The median resists the odd descheduled run better than the mean; for an
        // even count it is the mean of the middle two.
        let middle = runs / 2
        let median = runs % 2 == 1 ? seconds[middle] : (seconds[middle - 1] + seconds[middle]) / 2
        let megabytes = Double(bytes.count) / 1_000_000
        func rate(_ time: Double) -> String { String(format: "%.1f", megabytes / time) }
        print(
            "\(path): \(what): \(bytes.count) bytes, \(runs) runs, median \(String(format: "%.2f", median * 1000)) ms, "
                + "median \(rate(median)) MB/s (best \(rate(seconds[0])), worst \(rate(seconds[runs - 1])))")
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(1)
    }
}
