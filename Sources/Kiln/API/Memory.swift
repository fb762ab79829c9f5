/// A linear memory.
public final class Memory: StoreOwned {
    let store: StoreContext
    let instance: MemoryInstance

    init(store: StoreContext, instance: MemoryInstance) {
        self.store = store
        self.instance = instance
    }

    /// Creates a memory owned by the store.
    public convenience init(_ store: some AsContext, type: MemoryType) throws {
        let context = store.storeContext
        let instance = try MemoryInstance(type: type, boundsChecks: context.engine.config.boundsChecks,
                                          byteLimit: context.limits.maxMemoryBytes)
        context.hostObjects.append(instance)
        self.init(store: context, instance: instance)
    }

    public func type(_ store: some AsContext) -> MemoryType { instance.type }

    /// Size in 64 KiB pages.
    public func size(_ store: some AsContext) -> UInt64 { instance.pages }

    /// Size in bytes.
    public func dataSize(_ store: some AsContext) -> Int { Int(instance.definition.pointee.length) }

    /// Grows by `delta` pages and returns the previous size.
    @discardableResult
    public func grow(_ store: some AsContext, by delta: UInt64) throws -> UInt64 {
        try checkStore(store.storeContext)
        guard let old = instance.grow(by: delta) else {
            throw KilnError("cannot grow memory of \(instance.pages) pages by \(delta) pages")
        }
        return old
    }

    public func read(_ store: some AsContext, offset: Int, count: Int) throws -> [UInt8] {
        try checkStore(store.storeContext)
        let bytes = instance.bytes
        guard offset >= 0, count >= 0, offset <= bytes.count - count else {
            throw Trap(.memoryOutOfBounds)
        }
        return Array(bytes[offset..<offset + count])
    }

    public func write(_ store: some AsContext, offset: Int, _ data: [UInt8]) throws {
        try checkStore(store.storeContext)
        let bytes = instance.bytes
        guard offset >= 0, offset <= bytes.count - data.count else { throw Trap(.memoryOutOfBounds) }
        for (i, byte) in data.enumerated() { bytes[offset + i] = byte }
    }

    /// Direct access to the bytes. The buffer is valid only inside `body`: growing the
    /// memory may move it.
    public func withUnsafeMutableBytes<R>(_ store: some AsContext, _ body: (UnsafeMutableRawBufferPointer) throws -> R) throws -> R {
        try checkStore(store.storeContext)
        return try body(instance.bytes)
    }
}
