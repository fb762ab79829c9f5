// Times Kiln's decode + validate on one module and prints the median throughput.
//
// A plain executable rather than a Benchmark target so that scripts can call it
// and parse one line of output:
//     swift run -c release DecodeThroughput Kernels/build/large.wasm [--runs N]

import Foundation
import Kiln

@main
struct DecodeThroughput {
    static let usage = "usage: DecodeThroughput <module.wasm> [--runs N]   (default: 21 runs after 2 warm-up runs)"

    static func main() {
        var path: String?
        var runs = 21
        var arguments = CommandLine.arguments.dropFirst()
        while let argument = arguments.popFirst() {
            switch argument {
            case "--runs":
                guard let value = arguments.popFirst().flatMap(Int.init), value > 0 else {
                    fail("--runs needs a positive integer\n\(usage)")
                }
                runs = value
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

        let engine: Engine
        do {
            engine = try Engine(Config())
            // Warm-up: the first runs pay for page faults in the allocator and caches.
            for _ in 0..<2 {
                try Module.validate(engine, bytes: bytes)
            }
        } catch {
            fail("\(path): \(error)")
        }

        var seconds: [Double] = []
        seconds.reserveCapacity(runs)
        for _ in 0..<runs {
            let start = ContinuousClock.now
            do {
                try Module.validate(engine, bytes: bytes)
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
            "\(path): \(bytes.count) bytes, \(runs) runs, median \(String(format: "%.2f", median * 1000)) ms, "
                + "median \(rate(median)) MB/s (best \(rate(seconds[0])), worst \(rate(seconds[runs - 1])))")
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(1)
    }
}
