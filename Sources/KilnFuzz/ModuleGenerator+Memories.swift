import Kiln

/// A memory after memory 0 (multi-memory), maybe 64-bit (memory64). Memory 0 stays the
/// 32-bit memory of 2.0, which the JIT addresses through its pinned base: the others take
/// the general path, and a 64-bit one is always bounds-checked explicitly.
struct ExtraMemory {
    var is64: Bool
    var minimum: UInt64
    var maximum: UInt64
}

extension ModuleGenerator {
    var memoryCount: Int { 1 + wasm3.memories.count }

    func addressType(_ memory: Int) -> ValType {
        memory > 0 && wasm3.memories[memory - 1].is64 ? .i64 : .i32
    }

    /// One or two more memories, one of them 64-bit with memory64, each with an active data
    /// segment (exported as `mem1`, `mem2`).
    mutating func declareMemories() {
        guard wasm3.on.contains(.multiMemory) else { return }
        let count = random.int(1...2)
        let wide = wasm3.on.contains(.memory64) ? random.int(0..<count) : -1
        for i in 0..<count {
            // Sometimes empty (every access traps until it grows).
            let minimum = UInt64(random.pick([0, 1, 1, 2]))
            let memory = ExtraMemory(is64: i == wide, minimum: minimum, maximum: minimum + UInt64(random.int(1...3)))
            wasm3.memories.append(memory)
            guard minimum > 0 else { continue }
            let bytes = (0..<random.int(1...16)).map { _ in random.byte() }
            let end = Int(minimum) * 65536 - bytes.count
            let offset = random.chance(80) ? random.int(0...300) : random.int(0...end)
            wasm3.dataSegments.append((i + 1, constantExpression(addressType(i + 1), Int64(offset), globalsBefore: globals.count), bytes))
        }
    }

    func encodeMemories(_ s: inout ByteWriter) {
        for memory in wasm3.memories {
            s.byte(memory.is64 ? 0x05 : 0x01); s.u64(memory.minimum); s.u64(memory.maximum)
        }
    }

    func encodeDataSegments(_ s: inout ByteWriter) {
        for segment in wasm3.dataSegments {
            s.u32(2); s.u32(UInt32(segment.memory))  // active, with a memory index
            s.bytes += segment.offset; s.byte(0x0B)
            s.u32(UInt32(segment.bytes.count)); s.bytes += segment.bytes
        }
    }

    /// A memory for an access: mostly one of the extra ones, sometimes memory 0 (named
    /// explicitly now and then, as a multi-memory encoder may).
    mutating func pickMemory() -> Int {
        random.chance(25) ? 0 : random.int(1..<memoryCount)
    }

    /// An address in `memory`: for a 64-bit memory mostly in the first page, sometimes just
    /// past 4 GiB or anywhere (an engine that drops the high half would not trap there).
    mutating func address3(_ memory: Int, depth: Int) {
        guard addressType(memory) == .i64 else {
            address(depth: depth)
            return
        }
        switch random.int(0...99) {
        case 0..<90:
            code.byte(0x42); code.s64(Int64(random.int(0...4096)))
            if random.chance(50) {
                value(.i32, depth: depth + 1)
                code.byte(0x41); code.s32(0xFF)
                code.byte(0x71)  // i32.and
                code.byte(0xAD)  // i64.extend_i32_u
                code.byte(0x7C)  // i64.add
            }
        case 90..<95:
            code.byte(0x42)
            code.s64(random.pick([1 << 32, (1 << 32) + 8, -8, Int64.max, 0xFFFF_FFF0, 65536 * 4 - 2, 1 << 48] as [Int64]))
        default:
            value(.i64, depth: depth + 1)
        }
    }

    /// A memarg naming `memory` (memory 0 in either encoding); u64 offsets for a 64-bit
    /// memory, some of them past 4 GiB or near the top (the sum must not wrap).
    mutating func memArg3(maxAlign: Int, memory: Int) {
        let align = UInt32(random.int(0...maxAlign))
        if memory == 0 && random.chance(50) {
            code.u32(align)
        } else {
            code.u32(align | 0x40); code.u32(UInt32(memory))
        }
        if random.chance(95) {
            code.u64(UInt64(random.int(0...16)))
        } else if addressType(memory) == .i64 {
            code.u64(random.pick([65536, 0xFFFF_FFFF, 1 << 32, UInt64.max - 7, UInt64(Int64.max)]))
        } else {
            code.u64(UInt64(random.int(0...70_000)))
        }
    }

    static let loadOps: [ValType: [(UInt8, Int)]] = [
        .i32: [(0x28, 2), (0x2C, 0), (0x2D, 0), (0x2E, 1), (0x2F, 1)],
        .i64: [(0x29, 3), (0x30, 0), (0x31, 0), (0x32, 1), (0x33, 1), (0x34, 2), (0x35, 2)],
        .f32: [(0x2A, 2)],
        .f64: [(0x2B, 3)],
    ]
    static let storeOps: [ValType: [(UInt8, Int)]] = [
        .i32: [(0x36, 2), (0x3A, 0), (0x3B, 1)],
        .i64: [(0x37, 3), (0x3C, 0), (0x3D, 1), (0x3E, 2)],
        .f32: [(0x38, 2)],
        .f64: [(0x39, 3)],
    ]

    mutating func load3(_ type: ValType, depth: Int) {
        let memory = pickMemory()
        address3(memory, depth: depth)
        let (op, align) = random.pick(Self.loadOps[type]!)
        code.byte(op); memArg3(maxAlign: align, memory: memory)
    }

    /// A count for a bulk operation whose operands are `type`: mostly small.
    mutating func count3(_ type: ValType) {
        if type == .i32 {
            smallCount()
        } else {
            code.byte(0x42); code.s64(random.chance(90) ? Int64(random.int(0...64)) : random.interesting64())
        }
    }

    /// Stores (most often), fill, copy (between any two memories), init and grow.
    mutating func memoryStatement(depth: Int) {
        let memory = pickMemory()
        switch random.int(0...7) {
        case 0...3:
            address3(memory, depth: depth)
            let type = random.pick(Self.numberTypes)
            value(type, depth: depth + 1)
            if type == .f32 || type == .f64 { canonicalizeNaN(type) }
            let (op, align) = random.pick(Self.storeOps[type]!)
            code.byte(op); memArg3(maxAlign: align, memory: memory)
        case 4:  // memory.fill d v n
            address3(memory, depth: depth); value(.i32, depth: depth + 1); count3(addressType(memory))
            code.byte(0xFC); code.u32(11); code.u32(UInt32(memory))
        case 5:  // memory.copy d s n: n is 64-bit only when both are
            let source = pickMemory()
            address3(memory, depth: depth); address3(source, depth: depth)
            count3(addressType(memory) == .i64 && addressType(source) == .i64 ? .i64 : .i32)
            code.byte(0xFC); code.u32(10); code.u32(UInt32(memory)); code.u32(UInt32(source))
        case 6:  // memory.init from the passive segment: d (address), s and n (i32)
            address3(memory, depth: depth); code.byte(0x41); code.s32(Int32(random.int(0...4))); smallCount()
            code.byte(0xFC); code.u32(8); code.u32(UInt32(dataSegments.count)); code.u32(UInt32(memory))
        default:
            memoryGrow(memory, depth: depth)
            code.byte(0x1A)
        }
    }

    mutating func memoryGrow(_ memory: Int, depth: Int) {
        let type = addressType(memory)
        if random.chance(80) {
            if type == .i32 { code.byte(0x41); code.s32(Int32(random.int(0...2))) } else { code.byte(0x42); code.s64(Int64(random.int(0...2))) }
        } else {
            value(type, depth: depth + 1)
        }
        code.byte(0x40); code.u32(UInt32(memory))
    }

    /// `memory.size` or `memory.grow` of a memory whose addresses are `type`.
    mutating func memorySizeOrGrow(_ type: ValType, depth: Int) {
        guard let memory = random.pickIfAny((0..<memoryCount).filter({ addressType($0) == type })) else {
            leaf(type)
            return
        }
        if random.chance(50) {
            code.byte(0x3F); code.u32(UInt32(memory))
        } else {
            memoryGrow(memory, depth: depth)
        }
    }
}
