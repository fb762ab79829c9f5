import Testing
import Kiln
import KilnWAST

/// The SIMD scripts of both spec suites (2.0's `simd_*`, 3.0's `simd_*` and relaxed SIMD)
/// under the x86-64 JIT at each instruction-set level it has code for, forced through
/// `Config.cpuFeatures`: the SSE4.1 baseline everywhere, AVX (VEX three-operand forms) and
/// AVX2 (broadcasts) where the host has them. A level the host lacks shows up as a skipped
/// test naming what is missing.
@Suite struct SIMDFeatureLevelTests {
    static var isX64: Bool { TestHost.isX64 }

    static let baseline = CPUFeatures.x86Baseline
    static let avx = CPUFeatures.x86Baseline.union(.avx)
    static let avx2 = CPUFeatures.x86Baseline.union([.avx, .avx2])
    static let hostHasAVX = isX64 && CPUFeatures.host.isSuperset(of: avx)
    static let hostHasAVX2 = isX64 && CPUFeatures.host.isSuperset(of: avx2)

    static let scripts2 = SpecSuite.topLevelFiles.filter { $0.hasPrefix("simd_") }
    static let scripts3 = SpecSuite.files3.filter { $0.hasPrefix("simd_") || $0.contains("relaxed") }

    @Test(.enabled(if: isX64, "x86-64 only"), arguments: scripts2)
    func sse41Baseline2(_ name: String) throws { try run(name, v3: false, Self.baseline) }

    @Test(.enabled(if: isX64, "x86-64 only"), arguments: scripts3)
    func sse41Baseline3(_ name: String) throws { try run(name, v3: true, Self.baseline) }

    /// AVX without AVX2 differs from the AVX2 level only in splats and load-splats (no
    /// broadcasts): those scripts at this level, the VEX forms at the AVX2 level (CI time).
    static let splatScripts2 = scripts2.filter { $0.contains("splat") || $0.contains("load") }
    static let splatScripts3 = scripts3.filter { $0.contains("splat") || $0.contains("load") }

    @Test(.enabled(if: hostHasAVX, "this host has no AVX: the VEX code path is not tested here"), arguments: splatScripts2)
    func avx2_0(_ name: String) throws { try run(name, v3: false, Self.avx) }

    @Test(.enabled(if: hostHasAVX, "this host has no AVX: the VEX code path is not tested here"), arguments: splatScripts3)
    func avx3_0(_ name: String) throws { try run(name, v3: true, Self.avx) }

    @Test(.enabled(if: hostHasAVX2, "this host has no AVX2: the broadcast code path is not tested here"), arguments: scripts2)
    func avx2Broadcasts2(_ name: String) throws { try run(name, v3: false, Self.avx2) }

    @Test(.enabled(if: hostHasAVX2, "this host has no AVX2: the broadcast code path is not tested here"), arguments: scripts3)
    func avx2Broadcasts3(_ name: String) throws { try run(name, v3: true, Self.avx2) }

    @Test func scriptsArePresent() {
        if !Self.isX64 { return }
        if !Self.hostHasAVX2 {
            print("SIMDFeatureLevelTests: the host (\(CPUFeatures.host)) lacks AVX or AVX2; only the levels it has are tested")
        }
        if SpecSuite.directory != nil { #expect(Self.scripts2.count >= 50) }
        if SpecSuite.directory3 != nil { #expect(Self.scripts3.count >= 60) }
    }

    func run(_ name: String, v3: Bool, _ features: CPUFeatures) throws {
        var config = Config(strategy: .jit)
        config.features = v3 ? .webAssembly3 : .webAssembly2
        config.cpuFeatures = features
        let engine = try Engine(config)
        #expect(engine.cpuFeatures == features)
        guard let directory = v3 ? SpecSuite.directory3 : SpecSuite.directory else { return }
        let result = WASTRunner(engine: engine).run(path: directory + "/" + name)
        #expect(result.tally.failed == 0, "\(features): \(result.failures.prefix(20).joined(separator: "\n"))")
        #expect(result.tally.skipped == 0)
        #expect(result.tally.passed > 0)
        #expect(result.interpretedModules == [])
    }
}
