/// How an engine gets the linear memories of the instances it makes (wasmtime's
/// `InstanceAllocationStrategy`).
public enum InstanceAllocationStrategy: Sendable, Hashable {
    /// Each memory reserves its address space when created and releases it when dropped.
    case onDemand
    /// Memories come from slots reserved once per engine and reused: dropping a store
    /// resets its memories' slots (their pages dropped, so the next instance reads zeros)
    /// instead of unmapping them. Instantiating then costs no mapping of address space.
    case pooling(PoolingAllocationConfig)
}

/// The limits of the pooling allocator (wasmtime's `PoolingAllocationConfig`).
///
/// A slot holds a 32-bit memory up to `maxMemorySize` bytes. 64-bit memories and memories the
/// embedder creates with `Memory(store, type:)` are allocated on demand. Tables of instances
/// come from slots of `maxTableElements` elements, and at most `totalCoreInstances`
/// instances are alive at once.
public struct PoolingAllocationConfig: Sendable, Hashable {
    /// How many pooled memories may be alive at once, over all stores of the engine.
    /// Instantiating a module that needs one more fails with an error naming this limit.
    public var totalMemories = 1000
    /// The largest size, in bytes, of a pooled memory: a module whose memory's minimum is
    /// larger fails to instantiate, and `memory.grow` fails beyond it. At most 4 GiB.
    public var maxMemorySize: UInt64 = 1 << 32
    /// Bytes at the start of a memory's slot that are zeroed with a plain memory fill and
    /// kept mapped when the memory is dropped, instead of being handed back to the system
    /// (as wasmtime's `linear_memory_keep_resident`). Filling a small memory costs less than
    /// the system call and the page faults of the next instance; for large ones it costs
    /// more. 0, the default, hands every page back.
    public var linearMemoryKeepResident = 0
    /// How many tables of instances may be alive at once, over all stores of the engine
    /// (wasmtime's `total_tables`). Tables the embedder creates with `Table(store, ...)`
    /// are allocated on demand and do not count.
    public var totalTables = 1000
    /// The largest number of elements of a pooled table (wasmtime's `table_elements`): a
    /// module whose table's minimum is larger fails to instantiate, and `table.grow` fails
    /// beyond it. Each table slot reserves room for this many references (8 bytes each),
    /// of which only the elements used become resident.
    public var maxTableElements = 20_000
    /// How many instances may be alive at once, over all stores of the engine (wasmtime's
    /// `total_core_instances`). Instantiating one more fails with an error naming this limit.
    public var totalCoreInstances = 1000

    public init(totalMemories: Int = 1000, maxMemorySize: UInt64 = 1 << 32, linearMemoryKeepResident: Int = 0,
                totalTables: Int = 1000, maxTableElements: Int = 20_000, totalCoreInstances: Int = 1000) {
        self.totalMemories = totalMemories
        self.maxMemorySize = maxMemorySize
        self.linearMemoryKeepResident = linearMemoryKeepResident
        self.totalTables = totalTables
        self.maxTableElements = maxTableElements
        self.totalCoreInstances = totalCoreInstances
    }
}
