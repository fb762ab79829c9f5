/// How an `Engine` compiles and runs WebAssembly. A value type: copy and adjust.
public struct Config: Sendable, Hashable {
    /// Which engine executes wasm code.
    public enum Strategy: Sendable, Hashable {
        /// Compile each function to machine code (the default).
        case jit
        /// Run the reference interpreter.
        case interpreter
    }

    /// How memory accesses are kept inside linear memory.
    public enum BoundsChecks: Sendable, Hashable {
        /// Reserve the whole 32-bit address space plus a guard region and let the
        /// hardware trap out-of-bounds accesses.
        case guardPages
        /// Reserve only what the memory needs and compare every address explicitly.
        case explicit
    }

    public var strategy: Strategy = .jit
    /// Meter execution with fuel (see `Store.addFuel`).
    public var consumeFuel = false
    /// Check the engine's epoch at function entries and loop headers.
    public var epochInterruption = false
    /// Bytes of native stack wasm may use before `call stack exhausted`.
    public var maxWasmStack = 512 * 1024
    public var boundsChecks: BoundsChecks = .guardPages
    /// Where instances' linear memories come from: reserved per memory (the default), or
    /// slots of a pool reused from one instance to the next (see `PoolingAllocationConfig`).
    public var allocationStrategy: InstanceAllocationStrategy = .onDemand
    /// Whether a module's data segments are laid out once, in an in-memory file, and mapped
    /// copy-on-write into each instance's memory instead of copied into it (as wasmtime's
    /// `memory_init_cow`): instantiating then copies nothing, whatever the size of the data,
    /// and pages are copied only when an instance writes to them. Applies on Linux to
    /// modules whose active segments all have constant offsets, fit in the initial size of
    /// a memory the module defines; other modules (and other hosts) copy as before.
    public var memoryInitCOW = true
    /// The proposals beyond WebAssembly 2.0 that modules may use.
    public var features: WasmFeatures = .webAssembly3
    /// Whether the relaxed SIMD operations (WebAssembly 3.0) give the specification's
    /// deterministic-profile results on every host, as wasmtime's `relaxed_simd_deterministic`
    /// (swizzle as `swizzle`, truncation saturating, multiply-add unfused, and so on). When
    /// false (the default), each gives the cheaper result of the host's ISA: single SSE
    /// instructions on x86-64 (`pshufb`, `minps`, `cvttps2dq`, `pmulhrsw`, `pmaddubsw`),
    /// fused multiply-adds on AArch64. Either way the results are deterministic on one host,
    /// and the interpreter gives the same as the JIT (see `SIMDSemantics` for the details).
    public var relaxedSIMDDeterministic = false
    /// For tests: the relaxed SIMD flavor to use instead of the one
    /// `relaxedSIMDDeterministic` picks. A flavor other than `.deterministic` and the host's
    /// is for the interpreter only (the JIT then keeps the deterministic sequences).
    var relaxedSIMDFlavorForTesting: RelaxedSIMDFlavor? = nil
    /// The x86-64 instruction-set extensions the JIT may use; nil detects the host's (see
    /// `CPUFeatures`). A set forces a code path, e.g. `.x86Baseline` for SSE4.1 code on an
    /// AVX2 machine; naming a feature the host lacks makes `Engine.init` throw. Ignored on
    /// other processors.
    public var cpuFeatures: CPUFeatures? = nil
    /// Compile function bodies on all cores (as wasmtime's `parallel_compilation`, default
    /// on). The machine code is the same, byte for byte, as with one thread; a module too
    /// small to be worth sharing out compiles on the calling thread either way.
    public var parallelCompilation = true
    /// For tests and the fuzzer: compile in runs of about this many bytes of function bodies
    /// even when the module is small (1: a run per function), on all cores.
    @_spi(Testing) public var compilationBatchBytes: Int? = nil
    /// For tests and the fuzzer: compile every module a second time in one run on the calling
    /// thread and fail (`CompileError`) unless the code and all it records are the same.
    @_spi(Testing) public var verifyCompilationSchedule = false
    /// Restricts the JIT's register allocator to this many registers of each class. For
    /// tests that force a compiler invariant failure (`CompileError`); nil uses them all.
    var jitRegisterLimit: Int? = nil

    public init() {}

    public init(strategy: Strategy) {
        self.strategy = strategy
    }
}
