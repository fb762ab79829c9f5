/// Loads, stores and bounds arithmetic of the interpreter's general memory path (any
/// memory index, 32- or 64-bit), kept out of the dispatch loop.
enum MemoryAccess {
    /// Whether `count` bytes at `start` lie within `length`, without overflowing.
    @inline(__always)
    static func fits(_ start: UInt64, _ count: UInt64, in length: UInt64) -> Bool {
        count <= length && start <= length - count
    }

    /// The value of load `op` at `at`, extended to a slot as the fast path stores it.
    static func load(_ op: LoadOp, _ at: UnsafeMutableRawPointer) -> UInt64 {
        switch op {
        case .i32Load, .f32Load, .i64Load32U: UInt64(at.loadUnaligned(as: UInt32.self))
        case .i64Load, .f64Load: at.loadUnaligned(as: UInt64.self)
        case .i32Load8S: UInt64(UInt32(bitPattern: Int32(at.load(as: Int8.self))))
        case .i32Load8U, .i64Load8U: UInt64(at.load(as: UInt8.self))
        case .i32Load16S: UInt64(UInt32(bitPattern: Int32(at.loadUnaligned(as: Int16.self))))
        case .i32Load16U, .i64Load16U: UInt64(at.loadUnaligned(as: UInt16.self))
        case .i64Load8S: UInt64(bitPattern: Int64(at.load(as: Int8.self)))
        case .i64Load16S: UInt64(bitPattern: Int64(at.loadUnaligned(as: Int16.self)))
        case .i64Load32S: UInt64(bitPattern: Int64(at.loadUnaligned(as: Int32.self)))
        }
    }

    static func store(_ op: StoreOp, _ at: UnsafeMutableRawPointer, _ value: UInt64) {
        switch op {
        case .i32Store, .f32Store, .i64Store32: at.storeBytes(of: UInt32(truncatingIfNeeded: value), as: UInt32.self)
        case .i64Store, .f64Store: at.storeBytes(of: value, as: UInt64.self)
        case .i32Store8, .i64Store8: at.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
        case .i32Store16, .i64Store16: at.storeBytes(of: UInt16(truncatingIfNeeded: value), as: UInt16.self)
        }
    }
}

extension WidthTaggedIndex {
    /// An address operand of the memory `word` names: all 64 bits for a 64-bit memory,
    /// the low 32 otherwise.
    @inline(__always) static func address(_ slot: UInt64, _ word: UInt32) -> UInt64 {
        is64(word) ? slot : UInt64(UInt32(truncatingIfNeeded: slot))
    }
}

/// A memory or table index and its address width packed in one instruction word: bit 31
/// is set for a 64-bit memory (memory64) or table (table64), the low bits are the index.
enum WidthTaggedIndex {
    static func encode(_ memory: UInt32, is64: Bool) -> UInt32 { memory | (is64 ? 1 << 31 : 0) }
    @inline(__always) static func index(_ word: UInt32) -> Int { Int(word & 0x7FFF_FFFF) }
    @inline(__always) static func is64(_ word: UInt32) -> Bool { word & (1 << 31) != 0 }
}
