/// The WebAssembly proposals a `Config` accepts beyond WebAssembly 2.0 (as wasmtime's
/// `Config::wasm_*` switches). A module using a disabled one is rejected as the 2.0
/// specification rejects it: with `.webAssembly2`, Kiln validates exactly as a 2.0 engine.
public struct WasmFeatures: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Several memories, and memory indices in memory instructions.
    public static let multiMemory = WasmFeatures(rawValue: 1 << 0)
    /// 64-bit memories and tables (memory64, table64).
    public static let memory64 = WasmFeatures(rawValue: 1 << 1)
    /// `i32/i64.add/sub/mul` in constant expressions, and initializers reading any earlier global.
    public static let extendedConst = WasmFeatures(rawValue: 1 << 2)
    /// `return_call`, `return_call_indirect`, `return_call_ref`.
    public static let tailCall = WasmFeatures(rawValue: 1 << 3)
    /// The relaxed SIMD instructions.
    public static let relaxedSIMD = WasmFeatures(rawValue: 1 << 4)
    /// Typed function references: `(ref $t)`, `call_ref`, `br_on_null`, non-nullable locals.
    public static let functionReferences = WasmFeatures(rawValue: 1 << 5)
    /// Exception handling: tags, `throw`, `throw_ref`, `try_table`, `exnref`, and the
    /// legacy `try`/`catch`/`delegate`/`rethrow`.
    public static let exceptions = WasmFeatures(rawValue: 1 << 6)

    /// WebAssembly 2.0: none of the above.
    public static let webAssembly2: WasmFeatures = []
    /// Everything of WebAssembly 3.0 that Kiln implements (the default).
    public static let webAssembly3: WasmFeatures = [
        .multiMemory, .memory64, .extendedConst, .tailCall, .relaxedSIMD, .functionReferences, .exceptions,
    ]
}
