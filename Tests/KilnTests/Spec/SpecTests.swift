import Testing
@_spi(Testing) @testable import Kiln
import KilnWAST

/// Every top-level spec script, run in full under each engine configuration: modules load
/// and link, every assertion holds, nothing is skipped.
@Suite struct SpecTests {
    @Test func suiteIsPresent() throws {
        if SpecSuite.directory == nil {
            #expect(!SpecSuite.isRequired, "the spec suite is missing: set KILN_TESTSUITE or check out ../shared/wasm-testsuite")
            return
        }
        #expect(SpecSuite.topLevelFiles.count >= 147)
    }

    @Test(arguments: SpecSuite.topLevelFiles)
    func interpreter(_ name: String) throws {
        try run(name, Config(strategy: .interpreter))
    }

    @Test(arguments: SpecSuite.topLevelFiles)
    func jit(_ name: String) throws {
        let result = try run(name, Config(strategy: .jit))
        // Machine code for every module, SIMD included, on both ISAs.
        #expect(result.interpretedModules == [])
    }

    /// The scripts compiled a function per run, on all cores, each module checked against a
    /// sequential compile (code, ranges, safepoints, handlers the same byte for byte) and
    /// then run: every script on x86-64; under emulation the ones with calls, tables,
    /// constants and traps, which the linking touches.
    static let batchedScripts = SpecSuite.topLevelFiles.filter {
        #if arch(arm64)
            $0.contains("call") || $0.hasPrefix("func") || $0.hasPrefix("simd_const") || $0.hasPrefix("unreachable")
                || $0.hasPrefix("table") || $0.hasPrefix("fac") || $0.hasPrefix("names")
        #else
            true
        #endif
    }

    @Test(arguments: batchedScripts)
    func jitCompiledInBatches(_ name: String) throws {
        var config = Config(strategy: .jit)
        config.compilationBatchBytes = 1
        config.verifyCompilationSchedule = true
        try run(name, config)
    }

    static let memoryScripts = SpecSuite.topLevelFiles.filter {
        $0.contains("memory") || $0.contains("address") || $0.hasPrefix("load") || $0.hasPrefix("store")
            || $0.hasPrefix("float_memory") || $0.hasPrefix("bulk") || $0.hasPrefix("endianness")
            || $0.hasPrefix("simd_load") || $0.hasPrefix("simd_store") || $0.hasPrefix("simd_address")
    }

    /// Memory-heavy scripts with memories reserved to size and checked on every access.
    @Test(arguments: memoryScripts, [Config.Strategy.interpreter, .jit])
    func explicitBoundsChecks(_ name: String, _ strategy: Config.Strategy) throws {
        var config = Config(strategy: strategy)
        config.boundsChecks = .explicit
        try run(name, config)
    }

    @discardableResult
    func run(_ name: String, _ config: Config) throws -> WASTRunner.FileResult {
        // The 2.0 suite rejects what 3.0 allows (several memories, memory indices, wider flags).
        var config = config
        config.features = .webAssembly2
        let runner = WASTRunner(engine: try Engine(config))
        let result = runner.run(path: SpecSuite.path(name))
        #expect(result.tally.failed == 0, "\(result.failures.prefix(20).joined(separator: "\n"))")
        #expect(result.tally.skipped == 0)
        #expect(result.tally.passed > 0)
        return result
    }
}
