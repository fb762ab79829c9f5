import Synchronization

/// The process-wide context that compiles modules. Shareable across threads.
public final class Engine: Sendable {
    public let config: Config
    private let epoch = Atomic<UInt64>(0)
    /// Canonical ids of function signatures, shared by all modules of this engine.
    let types = TypeRegistry()
    /// Wasm-convention entries for host and interpreted functions, per signature.
    let adapters = AdapterCache()

    /// The machine-code entry a function without machine code gets under the JIT.
    func adapter(for typeId: UInt32) -> UnsafeMutableRawPointer? {
        guard config.strategy == .jit else { return nil }
        return adapters.adapter(for: typeId, type: types.type(for: typeId))
    }

    public init(_ config: Config = Config()) throws {
        guard config.maxWasmStack >= 16 * 1024 else {
            throw KilnError("Config.maxWasmStack must be at least 16 KiB (got \(config.maxWasmStack))")
        }
        self.config = config
    }

    /// Advances the epoch counter that `Store.setEpochDeadline` measures against.
    public func incrementEpoch() {
        epoch.add(1, ordering: .relaxed)
    }

    /// What actually executes wasm code for this engine's configuration.
    public var executionEngineName: String {
        config.strategy == .jit ? "x86-64 JIT (SIMD modules run on the interpreter)" : "interpreter"
    }

    /// The current epoch.
    public var currentEpoch: UInt64 { epoch.load(ordering: .relaxed) }
}

/// A failure of the embedding API itself: a misuse, a link error, a bad argument.
public struct KilnError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
