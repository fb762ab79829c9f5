import CKilnShims
import Synchronization

/// The process-wide context that compiles modules. Shareable across threads.
public final class Engine: Sendable {
    public let config: Config
    /// The epoch counter: machine code and the interpreter read it through every
    /// instance's VMContext; `incrementEpoch` advances it atomically from any thread.
    nonisolated(unsafe) let epochCounter: UnsafeMutablePointer<UInt64> = {
        let counter = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        counter.initialize(to: 0)
        return counter
    }()
    /// Canonical ids of function signatures, shared by all modules of this engine.
    let types = TypeRegistry()
    /// Wasm-convention entries for host and interpreted functions, per signature.
    let adapters = AdapterCache()
    /// The pooling allocator's memory slots, with `InstanceAllocationStrategy.pooling`.
    let memoryPool: MemoryPool?
    /// The pooling allocator's table slots and its limit on live instances.
    let tablePool: TablePool?
    let coreInstances: CoreInstanceLimit?

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
        self.cpuFeatures = try Engine.chooseCPUFeatures(config)
        switch config.allocationStrategy {
        case .onDemand:
            memoryPool = nil
            tablePool = nil
            coreInstances = nil
        case .pooling(let limits):
            memoryPool = try MemoryPool(limits: limits, boundsChecks: config.boundsChecks)
            tablePool = try TablePool(limits: limits)
            coreInstances = try CoreInstanceLimit(limit: limits.totalCoreInstances)
        }
    }

    /// The x86-64 extensions this engine's machine code uses (`Config.cpuFeatures`, or the
    /// host's); empty on other processors.
    public let cpuFeatures: CPUFeatures

    /// Checks a forced feature set against the host, and that the x86-64 JIT has what it
    /// needs.
    static func chooseCPUFeatures(_ config: Config, host: CPUFeatures = .host) throws -> CPUFeatures {
        #if arch(x86_64)
            let chosen = config.cpuFeatures ?? host
            let missing = chosen.subtracting(host)
            if !missing.isEmpty {
                throw KilnError("Config.cpuFeatures asks for \(missing), which this processor does not have (it has \(host))")
            }
            if config.strategy == .jit {
                let lacking = CPUFeatures.x86Baseline.subtracting(chosen)
                if !lacking.isEmpty {
                    let forced = config.cpuFeatures == nil ? "this processor lacks" : "Config.cpuFeatures leaves out"
                    throw KilnError("the x86-64 JIT needs SSE4.1 and the rest of \(CPUFeatures.x86Baseline); \(forced) "
                                    + "\(lacking): the interpreter strategy runs without them (`kiln run --engine interp`)")
                }
            }
            return chosen
        #else
            return []
        #endif
    }

    deinit { epochCounter.deallocate() }

    /// Advances the epoch counter that `Store.setEpochDeadline` measures against.
    public func incrementEpoch() {
        kiln_atomic_increment(epochCounter)
    }

    /// The JIT for this processor ("x86-64 JIT", "AArch64 JIT"), or nil where there is none.
    public static var jitName: String? { JITCompiler.name }

    /// What actually executes wasm code for this engine's configuration.
    public var executionEngineName: String {
        guard config.strategy == .jit, let jit = JITCompiler.name else { return "interpreter" }
        return jit
    }

    /// The current epoch.
    public var currentEpoch: UInt64 { kiln_atomic_load(epochCounter) }
}

/// A failure of the embedding API itself: a misuse, a link error, a bad argument.
public struct KilnError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
