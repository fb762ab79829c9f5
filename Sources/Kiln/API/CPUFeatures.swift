import CKilnShims

/// Instruction-set extensions of an x86-64 processor that Kiln's JIT can use.
///
/// An `Engine` detects them once (CPUID, and XGETBV for the AVX family: AVX counts only
/// when the OS saves the YMM registers) unless `Config.cpuFeatures` names a set, which tests
/// use to force a baseline (`Config.cpuFeatures = .x86Baseline` compiles with SSE4.1 even on
/// an AVX2 machine). On other processors the set is empty and unused.
///
/// The x86-64 JIT needs `x86Baseline` (SSE4.1 for its SIMD and rounding, SSSE3 for byte
/// shuffles, POPCNT, LZCNT and BMI1 for `popcnt`, `clz` and `ctz`); with AVX it emits VEX
/// three-operand forms and with AVX2 broadcasts for splats.
public struct CPUFeatures: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let ssse3 = CPUFeatures(rawValue: UInt64(KILN_CPU_SSSE3))
    public static let sse41 = CPUFeatures(rawValue: UInt64(KILN_CPU_SSE41))
    public static let sse42 = CPUFeatures(rawValue: UInt64(KILN_CPU_SSE42))
    public static let popcnt = CPUFeatures(rawValue: UInt64(KILN_CPU_POPCNT))
    public static let lzcnt = CPUFeatures(rawValue: UInt64(KILN_CPU_LZCNT))
    public static let bmi1 = CPUFeatures(rawValue: UInt64(KILN_CPU_BMI1))
    public static let bmi2 = CPUFeatures(rawValue: UInt64(KILN_CPU_BMI2))
    public static let avx = CPUFeatures(rawValue: UInt64(KILN_CPU_AVX))
    public static let avx2 = CPUFeatures(rawValue: UInt64(KILN_CPU_AVX2))
    public static let fma = CPUFeatures(rawValue: UInt64(KILN_CPU_FMA))

    /// What the x86-64 JIT cannot do without.
    public static let x86Baseline: CPUFeatures = [.ssse3, .sse41, .popcnt, .lzcnt, .bmi1]

    /// Every feature with its name, in the order `description` lists them.
    public static let named: [(CPUFeatures, String)] = [
        (.ssse3, "SSSE3"), (.sse41, "SSE4.1"), (.sse42, "SSE4.2"), (.popcnt, "POPCNT"), (.lzcnt, "LZCNT"),
        (.bmi1, "BMI1"), (.bmi2, "BMI2"), (.avx, "AVX"), (.avx2, "AVX2"), (.fma, "FMA"),
    ]

    /// The features of the processor this runs on (empty on anything but x86-64).
    public static var host: CPUFeatures { detected }

    private static let detected = CPUFeatures(rawValue: kiln_x86_cpu_features())

    /// The names of the features, separated by spaces ("none" for the empty set).
    public var description: String {
        let names = CPUFeatures.named.filter { contains($0.0) }.map { $0.1 }
        return names.isEmpty ? "none" : names.joined(separator: " ")
    }
}
