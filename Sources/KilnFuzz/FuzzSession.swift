import Foundation
import Kiln

/// Where test modules come from.
public enum FuzzGenerator: String, Sendable, CaseIterable {
    /// `ModuleGenerator`: Kiln's own, knows every instruction it should cover.
    case kiln
    /// binaryen's `wasm-opt -ttf`, an independent generator (when installed).
    case binaryen

    /// Why this generator cannot run on this machine (what is missing and how to install
    /// it), or nil when it can. `searchPath` is where executables are looked for.
    public func unavailableReason(searchPath: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        switch self {
        case .kiln:
            return nil
        case .binaryen:
            if Binaryen.locate(searchPath: searchPath) != nil { return nil }
            return "the binaryen generator needs binaryen's wasm-opt, which is not on PATH "
                + "(install binaryen: apt-get install binaryen on Debian and Ubuntu, brew install binaryen on macOS)"
        }
    }
}

/// A differential fuzzing loop: generates modules from consecutive seeds, runs each under
/// both engines, and writes every divergence, shrunk, to `outputDirectory`.
public struct FuzzSession {
    public var generator: FuzzGenerator
    public var outputDirectory: URL?
    /// The 3.0 features Kiln's generator may use (`.webAssembly2`: the 2.0 generator).
    public var features: ModuleGenerator.Features
    public private(set) var passed = 0
    public private(set) var failed = 0
    public private(set) var calls = 0
    /// Seeds the generator made no module from (binaryen's wasm-opt failed on the input):
    /// nothing was compared, so neither passed nor failed.
    public private(set) var skipped = 0
    /// Why the generator made no module, the last time it did not.
    public private(set) var lastGeneratorError: String?
    /// wasm-opt, for the binaryen generator (nil: not installed, every seed is skipped).
    let wasmOpt: String?
    /// Seeds of the failures, with what differed.
    public private(set) var failures: [(seed: UInt64, detail: String)] = []

    public init(generator: FuzzGenerator, outputDirectory: URL?,
                searchPath: String? = ProcessInfo.processInfo.environment["PATH"],
                features: ModuleGenerator.Features = .webAssembly3) {
        self.generator = generator
        self.outputDirectory = outputDirectory
        self.features = features
        self.wasmOpt = generator == .binaryen ? Binaryen.locate(searchPath: searchPath) : nil
    }

    /// The module for `seed`, or nil when the generator cannot make one.
    public static func module(_ generator: FuzzGenerator, seed: UInt64, limits: ModuleGenerator.Limits = .init()) -> [UInt8]? {
        try? module(generator, seed: seed, limits: limits, wasmOpt: Binaryen.locate()).get()
    }

    static func module(_ generator: FuzzGenerator, seed: UInt64, limits: ModuleGenerator.Limits = .init(),
                       wasmOpt: String?) -> Result<[UInt8], Binaryen.Failure> {
        switch generator {
        case .kiln:
            var generator = ModuleGenerator(seed: seed, limits: limits)
            return .success(generator.generate())
        case .binaryen:
            guard let wasmOpt else {
                return .failure(Binaryen.Failure(message: FuzzGenerator.binaryen.unavailableReason(searchPath: nil) ?? ""))
            }
            return Binaryen.module(seed: seed, size: limits.statements * 512, executable: wasmOpt)
        }
    }

    /// Runs one seed. A seed the generator makes no module from is skipped, never counted
    /// as a divergence.
    public mutating func run(seed: UInt64) {
        let bytes: [UInt8]
        switch Self.module(generator, seed: seed, limits: ModuleGenerator.Limits(features: features), wasmOpt: wasmOpt) {
        case .success(let module): bytes = module
        case .failure(let failure):
            skipped += 1
            lastGeneratorError = failure.message
            return
        }
        if generator == .kiln {
            // Kiln's generator only makes valid modules: anything else is its bug.
            do {
                try Module.validate(try Engine(), bytes: bytes)
            } catch {
                failed += 1
                failures.append((seed, "the generator made an invalid module: \(error)"))
                return
            }
        }
        let report = DifferentialRunner.run(bytes, argumentSeed: seed)
        calls += report.calls
        if report.agreed {
            passed += 1
            return
        }
        failed += 1
        let (smallest, detail) = shrink(seed: seed, bytes: bytes, detail: report.detail)
        failures.append((seed, detail))
        if let outputDirectory {
            try? FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
            let file = outputDirectory.appendingPathComponent("\(generator.rawValue)-seed-\(seed).wasm")
            try? Data(smallest).write(to: file)
        }
    }

    /// The smallest module the generator makes from `seed` that still diverges: first lower
    /// the size knobs one at a time while the divergence stays, then cut statements and
    /// replace values by zeros, in halving chunks (delta debugging), keeping every cut after
    /// which the engines still disagree. (binaryen's modules are kept as they are.)
    func shrink(seed: UInt64, bytes: [UInt8], detail: String) -> ([UInt8], String) {
        guard generator == .kiln else { return (bytes, detail) }
        return Self.shrink(seed: seed, bytes: bytes, detail: detail, features: features) { DifferentialRunner.run($0, argumentSeed: seed) }
    }

    /// Shrinks against `judge`, which says whether a module still shows the failure.
    public static func shrink(seed: UInt64, bytes: [UInt8], detail: String, features: ModuleGenerator.Features = .webAssembly3,
                              judge: ([UInt8]) -> DifferentialRunner.Report) -> ([UInt8], String) {
        shrink(bytes: bytes, detail: detail, limits: ModuleGenerator.Limits(features: features),
               generator: { ModuleGenerator(seed: seed, limits: $0) }, judge: judge)
    }

    /// Shrinks a module that `generator` made with `limits` (from a seed, or from a
    /// libFuzzer input): the same choices under smaller knobs and with cuts.
    public static func shrink(bytes: [UInt8], detail: String, limits: ModuleGenerator.Limits,
                              generator makeGenerator: (ModuleGenerator.Limits) -> ModuleGenerator,
                              judge: ([UInt8]) -> DifferentialRunner.Report) -> ([UInt8], String) {
        var limits = limits
        var best = (bytes, detail)
        var attempts = 0
        func diverges(_ candidate: ModuleGenerator.Limits) -> Bool {
            attempts += 1
            var generator = makeGenerator(candidate)
            let module = generator.generate()
            let report = judge(module)
            guard !report.agreed, module.count <= best.0.count else { return false }
            best = (module, report.detail)
            return true
        }
        var progress = true
        while progress {
            progress = false
            for knob in 0..<3 {
                var candidate = limits
                switch knob {
                case 0: candidate.functions = max(1, candidate.functions - 1)
                case 1: candidate.statements = max(0, candidate.statements - 1)
                default: candidate.depth = max(1, candidate.depth - 1)
                }
                if candidate != limits && diverges(candidate) {
                    limits = candidate
                    progress = true
                }
            }
        }
        var generator = makeGenerator(limits)
        _ = generator.generate()
        for pass in 0..<2 {
            let total = pass == 0 ? generator.statementCount : generator.valueCount
            var chunk = max(1, total / 2)
            while attempts < 2000 {
                for start in stride(from: 0, to: total, by: chunk) {
                    let serials = Set(start..<min(total, start + chunk))
                    var candidate = limits
                    if pass == 0 {
                        guard !serials.isSubset(of: limits.droppedStatements) else { continue }
                        candidate.droppedStatements.formUnion(serials)
                    } else {
                        guard !serials.isSubset(of: limits.zeroedValues) else { continue }
                        candidate.zeroedValues.formUnion(serials)
                    }
                    if diverges(candidate) { limits = candidate }
                }
                if chunk == 1 { break }
                chunk /= 2
            }
        }
        return best
    }
}

/// binaryen's `wasm-opt -ttf`: turns random bytes into a valid module.
enum Binaryen {
    /// WebAssembly 2.0 without SIMD: binaryen's modules let the open bits of SIMD NaNs reach
    /// memory and results, where the engines may differ (Kiln's own generator makes them
    /// canonical and covers SIMD). Flags binaryen 108 (Debian's) understands.
    static let features = ["--disable-simd", "--disable-threads", "--disable-exception-handling", "--disable-gc",
                           "--disable-tail-call", "--disable-memory64", "--disable-relaxed-simd",
                           "--disable-extended-const", "--disable-typed-function-references",
                           "--enable-bulk-memory", "--enable-reference-types", "--enable-multivalue",
                           "--enable-sign-ext", "--enable-nontrapping-float-to-int", "--enable-mutable-globals"]

    /// Why wasm-opt made no module.
    struct Failure: Error {
        var message: String
    }

    /// wasm-opt's path, if it is on `searchPath` (a PATH-style list).
    static func locate(searchPath: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        for directory in (searchPath ?? "").split(separator: ":") {
            let path = "\(directory)/wasm-opt"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func module(seed: UInt64, size: Int, executable: String) -> Result<[UInt8], Failure> {
        var random = FuzzRandom(seed: seed)
        let input = (0..<max(size, 64)).map { _ in UInt8.random(in: 0...255, using: &random) }
        let directory = FileManager.default.temporaryDirectory
        let inputURL = directory.appendingPathComponent("kiln-ttf-\(seed)-\(getpid()).bin")
        let outputURL = directory.appendingPathComponent("kiln-ttf-\(seed)-\(getpid()).wasm")
        defer {
            try? FileManager.default.removeItem(at: inputURL)
            try? FileManager.default.removeItem(at: outputURL)
        }
        do {
            try Data(input).write(to: inputURL)
        } catch {
            return .failure(Failure(message: "cannot write wasm-opt's input: \(error)"))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-ttf", inputURL.path, "-o", outputURL.path] + features
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        do {
            try process.run()
        } catch {
            return .failure(Failure(message: "cannot run \(executable): \(error)"))
        }
        let diagnostics = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let data = try? Data(contentsOf: outputURL) else {
            let text = String(decoding: diagnostics.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return .failure(Failure(message: "\(executable) exited with status \(process.terminationStatus)\(text.isEmpty ? "" : ": \(text)")"))
        }
        return .success([UInt8](data))
    }
}
