import Testing
@_spi(Testing) @testable import Kiln
import KilnWAST

/// The WebAssembly 3.0 spec suite (`../shared/wasm-testsuite-3.0`), every script under each
/// engine: nothing fails, and only the modules that use garbage-collection types (which
/// Kiln rejects as an unsupported feature) are skipped.
@Suite struct Spec3Tests {
    @Test func suiteIsPresent() {
        if SpecSuite.directory3 == nil {
            #expect(!SpecSuite.isRequired, "the 3.0 spec suite is missing: set KILN_TESTSUITE_3 or check out ../shared/wasm-testsuite-3.0")
            return
        }
        #expect(SpecSuite.files3.count >= 250)
    }

    @Test(arguments: SpecSuite.files3)
    func interpreter(_ name: String) throws {
        try run(name, Config(strategy: .interpreter))
    }

    @Test(arguments: SpecSuite.files3)
    func jit(_ name: String) throws {
        let result = try run(name, Config(strategy: .jit))
        // Machine code for every module, SIMD included, on both ISAs.
        #expect(result?.interpretedModules == [])
    }

    /// Scripts with tail calls, exceptions, typed calls and SIMD constants, compiled a
    /// function per run on all cores and checked against a sequential compile (see
    /// `SpecTests.jitCompiledInBatches`).
    static let batchedScripts = SpecSuite.files3.filter {
        ($0.contains("call") || $0.contains("throw") || $0.contains("try") || $0.hasPrefix("legacy/")
            || $0.hasPrefix("simd_const") || $0.hasPrefix("tag") || $0.hasPrefix("ref_func"))
            && !SpecSuite.garbageCollectionScripts.contains($0)
    }

    @Test(arguments: batchedScripts)
    func jitCompiledInBatches(_ name: String) throws {
        var config = Config(strategy: .jit)
        config.compilationBatchBytes = 1
        config.verifyCompilationSchedule = true
        try run(name, config)
    }

    static let memoryScripts = SpecSuite.files3.filter {
        $0.contains("memory") || $0.contains("address") || $0.hasPrefix("load") || $0.hasPrefix("store")
            || $0.hasPrefix("float_memory") || $0.hasPrefix("bulk") || $0.hasPrefix("endianness") || $0.hasPrefix("simd_load")
    }

    /// Memory-heavy scripts (multi-memory and memory64 among them) with explicit bounds checks.
    @Test(arguments: memoryScripts, [Config.Strategy.interpreter, .jit])
    func explicitBoundsChecks(_ name: String, _ strategy: Config.Strategy) throws {
        var config = Config(strategy: strategy)
        config.boundsChecks = .explicit
        try run(name, config)
    }

    @discardableResult
    func run(_ name: String, _ config: Config) throws -> WASTRunner.FileResult? {
        guard let directory = SpecSuite.directory3 else { return nil }
        let runner = WASTRunner(engine: try Engine(config))
        let result = runner.run(path: directory + "/" + name)
        #expect(result.tally.failed == 0, "\(result.failures.prefix(20).joined(separator: "\n"))")
        if !SpecSuite.garbageCollectionScripts.contains(name) {
            #expect(result.tally.skipped == 0)
        }
        #expect(result.tally.passed + result.tally.skipped > 0)
        return result
    }
}
