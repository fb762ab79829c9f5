import Testing
@testable import Kiln

/// CPU feature detection and `Config.cpuFeatures`: the engine checks a forced set against
/// the host and the x86-64 JIT's baseline.
@Suite struct CPUFeaturesTests {
    static var isX64: Bool { TestHost.isX64 }

    @Test func detectionIsConsistent() throws {
        let host = CPUFeatures.host
        print("host CPU features: \(host)")
        if Self.isX64 {
            // The OS-saved YMM state is a condition of all three.
            if host.contains(.avx2) || host.contains(.fma) { #expect(host.contains(.avx)) }
        } else {
            #expect(host.isEmpty)
        }
        let engine = try Engine()
        #expect(engine.cpuFeatures == (Self.isX64 ? host : []))
    }

    @Test(.enabled(if: isX64, "x86-64 only"))
    func forcedBaselineIsUsed() throws {
        var config = Config()
        config.cpuFeatures = .x86Baseline
        let engine = try Engine(config)
        #expect(engine.cpuFeatures == .x86Baseline)
        #expect(engine.cpuFeatures.description == "SSSE3 SSE4.1 POPCNT LZCNT BMI1")
    }

    /// Without SSE4.1 the JIT refuses to start and says why and what works instead; the
    /// interpreter does not care.
    @Test(.enabled(if: isX64, "x86-64 only"))
    func jitWithoutSSE41IsAClearError() throws {
        var config = Config(strategy: .jit)
        config.cpuFeatures = CPUFeatures.x86Baseline.subtracting(.sse41)
        do {
            _ = try Engine(config)
            Issue.record("Engine accepted a JIT configuration without SSE4.1")
        } catch let error as KilnError {
            #expect(error.message.contains("needs SSE4.1"), "\(error.message)")
            #expect(error.message.contains("leaves out SSE4.1"), "\(error.message)")
            #expect(error.message.contains("interpreter"), "\(error.message)")
        }
        config.strategy = .interpreter
        _ = try Engine(config)
        // Detected, not forced: the message says the processor lacks it.
        let message = Self.message(Config(strategy: .jit), host: [.ssse3, .popcnt, .lzcnt, .bmi1])
        #expect(message.contains("this processor lacks SSE4.1"), "\(message)")
    }

    static func message(_ config: Config, host: CPUFeatures) -> String {
        do {
            _ = try Engine.chooseCPUFeatures(config, host: host)
            return ""
        } catch {
            return "\(error)"
        }
    }

    /// A feature the host lacks cannot be forced on; the error names it.
    @Test(.enabled(if: isX64, "x86-64 only"))
    func askingForAMissingFeatureIsAnError() throws {
        // Against a pretend host without AVX2.
        var config = Config()
        config.cpuFeatures = CPUFeatures.x86Baseline.union([.avx, .avx2])
        let message = Self.message(config, host: CPUFeatures.x86Baseline.union(.avx))
        #expect(message.contains("asks for AVX2"), "\(message)")
        // And against the real host, with whatever it lacks.
        let host = CPUFeatures.host
        if let (missing, name) = CPUFeatures.named.first(where: { !host.contains($0.0) }) {
            config.cpuFeatures = host.union(missing)
            do {
                _ = try Engine(config)
                Issue.record("Engine accepted \(name), which the host lacks")
            } catch let error as KilnError {
                #expect(error.message.contains(name), "\(error.message)")
            }
        } else {
            print("the host has every feature Kiln knows: only the pretend host was tested")
        }
    }
}
