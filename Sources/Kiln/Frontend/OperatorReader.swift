/// Reads the instructions of a function body (or constant expression) one at a time.
///
/// The reader is a cursor over borrowed bytes (see `ByteReader`): reading allocates
/// nothing, and the compiler and the interpreter both drive it, usually in lock step
/// with a `FunctionValidator`.
struct OperatorReader {
    var bytes: ByteReader
    /// What the instruction set includes beyond WebAssembly 2.0.
    let features: WasmFeatures

    init(_ bytes: ByteReader, features: WasmFeatures) {
        self.bytes = bytes
        self.features = features
    }

    var offset: Int { bytes.position }
    var isAtEnd: Bool { bytes.isAtEnd }


    /// Reads a memarg: flags (alignment exponent below 64; bit 6 says a memory index
    /// follows), then the offset as a u64 (the validator limits it for 32-bit memories).
    mutating func readMemArg() throws(WasmError) -> MemArg {
        let at = bytes.position
        let flags = try bytes.readU32()
        // WebAssembly 2.0 has alignment exponents below 32 and no memory index.
        guard flags < (features.contains(.multiMemory) ? 128 : 32) else { throw .malformed("malformed memop flags", at: at) }
        let memory = flags & 0x40 != 0 ? try bytes.readU32() : 0
        let offset = try bytes.readUnsignedLEB(bits: features.contains(.memory64) ? 64 : 32)
        return MemArg(align: flags & 0x3F, offset: offset, memory: memory)
    }


    mutating func readZeroByte() throws(WasmError) {
        let at = bytes.position
        guard try bytes.readByte() == 0 else { throw .malformed("zero byte expected", at: at) }
    }

    /// A memory index (multi-memory), where WebAssembly 2.0 had a zero byte.
    mutating func readMemoryIndex() throws(WasmError) -> UInt32 {
        guard features.contains(.multiMemory) else {
            try readZeroByte()
            return 0
        }
        return try bytes.readU32()
    }


    mutating func readLane() throws(WasmError) -> UInt8 {
        try bytes.readByte()
    }

    /// Reads the targets of a `br_table` whose immediate is `table`. `body` is called with each
    /// target depth in order, then the default is not included.

    func forEachTarget(of table: BrTable, _ body: (UInt32) throws(WasmError) -> Void) throws(WasmError) {
        var reader = bytes
        reader.position = table.targetsOffset
        for _ in 0..<table.count {
            try body(try reader.readU32())
        }
    }


    private mutating func readCatchClause() throws(WasmError) -> CatchClause {
        let at = bytes.position
        guard let kind = CatchClause.Kind(rawValue: try bytes.readByte()) else {
            throw .malformed("malformed catch clause", at: at)
        }
        let tag = kind == .catch || kind == .catchRef ? try bytes.readU32() : 0
        return CatchClause(kind: kind, tag: tag, label: try bytes.readU32())
    }

    /// Calls `body` with each catch clause of a `try_table`, in order.
    func forEachCatch(of catches: TryTableCatches, _ body: (CatchClause) throws(WasmError) -> Void) throws(WasmError) {
        var reader = self
        reader.bytes.position = catches.offset
        for _ in 0..<catches.count { try body(try reader.readCatchClause()) }
    }

    /// The next instruction. The commonest ones (numeric operators, `local.get/set/tee` and
    /// `i32.const` with one-byte immediates) are decoded inline, without the full decoder's
    /// frame and its chain of opcode ranges; `readAny` decodes everything, these too.
    @inline(__always)
    mutating func read() throws(WasmError) -> Instruction {
        let position = bytes.position
        if position + 1 < bytes.end {
            let opcode = bytes.base.load(fromByteOffset: position, as: UInt8.self)
            if opcode >= 0x45 && opcode <= 0xC4 {
                bytes.position = position + 1
                return .numeric(NumericOp(singleByteOpcode: opcode))
            }
            let immediate = bytes.base.load(fromByteOffset: position + 1, as: UInt8.self)
            if immediate & 0x80 == 0 {
                switch opcode {
                case 0x20: bytes.position = position + 2; return .localGet(UInt32(immediate))
                case 0x21: bytes.position = position + 2; return .localSet(UInt32(immediate))
                case 0x22: bytes.position = position + 2; return .localTee(UInt32(immediate))
                case 0x41: bytes.position = position + 2; return .i32Const(Int32(Int8(bitPattern: immediate << 1) >> 1))
                default: break
                }
            }
        }
        return try readAny()
    }

    @inline(never)
    mutating func readAny() throws(WasmError) -> Instruction {
        let at = bytes.position
        let opcode = try bytes.readByte()
        switch opcode {
        case 0x00: return .unreachable
        case 0x01: return .nop
        case 0x02: return .block(try bytes.readBlockType(features))
        case 0x03: return .loop(try bytes.readBlockType(features))
        case 0x04: return .if(try bytes.readBlockType(features))
        case 0x05: return .else
        case 0x0B: return .end
        case 0x06 where features.contains(.exceptions): return .try(try bytes.readBlockType(features))
        case 0x07 where features.contains(.exceptions): return .catch(tagIndex: try bytes.readU32())
        case 0x08 where features.contains(.exceptions): return .throw(tagIndex: try bytes.readU32())
        case 0x09 where features.contains(.exceptions): return .rethrow(relativeDepth: try bytes.readU32())
        case 0x0A where features.contains(.exceptions): return .throwRef
        case 0x18 where features.contains(.exceptions): return .delegate(relativeDepth: try bytes.readU32())
        case 0x19 where features.contains(.exceptions): return .catchAll
        case 0x1F where features.contains(.exceptions):
            let type = try bytes.readBlockType(features)
            let count = try bytes.readCount()
            let offset = bytes.position
            for _ in 0..<count { _ = try readCatchClause() }
            return .tryTable(type, TryTableCatches(count: count, offset: offset))
        case 0x0C: return .br(relativeDepth: try bytes.readU32())
        case 0x0D: return .brIf(relativeDepth: try bytes.readU32())
        case 0x0E:
            let count = try bytes.readCount()
            let targetsOffset = bytes.position
            for _ in 0..<count { _ = try bytes.readU32() }
            let defaultDepth = try bytes.readU32()
            return .brTable(BrTable(count: count, targetsOffset: targetsOffset, defaultDepth: defaultDepth))
        case 0x0F: return .return
        case 0x10: return .call(functionIndex: try bytes.readU32())
        case 0x11:
            let typeIndex = try bytes.readU32()
            return .callIndirect(typeIndex: typeIndex, tableIndex: try bytes.readU32())
        case 0x12 where features.contains(.tailCall): return .returnCall(functionIndex: try bytes.readU32())
        case 0x13 where features.contains(.tailCall):
            let typeIndex = try bytes.readU32()
            return .returnCallIndirect(typeIndex: typeIndex, tableIndex: try bytes.readU32())
        case 0x14 where features.contains(.functionReferences): return .callRef(typeIndex: try bytes.readU32())
        case 0x15 where features.contains(.functionReferences) && features.contains(.tailCall):
            return .returnCallRef(typeIndex: try bytes.readU32())
        case 0x1A: return .drop
        case 0x1B: return .select
        case 0x1C:
            let countAt = bytes.position
            let count = try bytes.readCount()
            guard count == 1 else { throw .invalid("invalid result arity", at: countAt) }
            return .typedSelect(try bytes.readValType(features))
        case 0x20: return .localGet(try bytes.readU32())
        case 0x21: return .localSet(try bytes.readU32())
        case 0x22: return .localTee(try bytes.readU32())
        case 0x23: return .globalGet(try bytes.readU32())
        case 0x24: return .globalSet(try bytes.readU32())
        case 0x25: return .tableGet(try bytes.readU32())
        case 0x26: return .tableSet(try bytes.readU32())
        case 0x28...0x35: return .load(LoadOp(rawValue: opcode)!, try readMemArg())
        case 0x36...0x3E: return .store(StoreOp(rawValue: opcode)!, try readMemArg())
        case 0x3F: return .memorySize(try readMemoryIndex())
        case 0x40: return .memoryGrow(try readMemoryIndex())
        case 0x41: return .i32Const(try bytes.readS32())
        case 0x42: return .i64Const(try bytes.readS64())
        case 0x43: return .f32Const(try bytes.readFixedUInt32())
        case 0x44: return .f64Const(try bytes.readFixedUInt64())
        case 0x45...0xC4: return .numeric(NumericOp(rawValue: UInt16(opcode))!)
        case 0xD0: return .refNull(try bytes.readHeapType(features))
        case 0xD1: return .refIsNull
        case 0xD2: return .refFunc(try bytes.readU32())
        case 0xD4 where features.contains(.functionReferences): return .refAsNonNull
        case 0xD5 where features.contains(.functionReferences): return .brOnNull(relativeDepth: try bytes.readU32())
        case 0xD6 where features.contains(.functionReferences): return .brOnNonNull(relativeDepth: try bytes.readU32())
        case 0xD3 where features.contains(.functionReferences):
            throw .unsupported("garbage collection", "ref.eq", at: at)
        case 0xFB where features.contains(.functionReferences):
            throw .unsupported("garbage collection", "instruction fb \(hex(try bytes.readU32()))", at: at)
        case 0xFE:
            throw .unsupported("threads", "atomic instruction fe \(hex(try bytes.readU32()))", at: at)
        case 0xFC: return try readMiscellaneous(at: at)
        case 0xFD: return try readSIMD(at: at)
        default:
            throw .malformed("illegal opcode \(hex(opcode))", at: at)
        }
    }

    mutating func readMiscellaneous(at: Int) throws(WasmError) -> Instruction {
        let subopcode = try bytes.readU32()
        switch subopcode {
        case 0...7: return .numeric(NumericOp(rawValue: 0xFC00 | UInt16(subopcode))!)
        case 8:
            let dataIndex = try bytes.readU32()
            return .memoryInit(dataIndex: dataIndex, memory: try readMemoryIndex())
        case 9: return .dataDrop(try bytes.readU32())
        case 10:
            let destination = try readMemoryIndex()
            return .memoryCopy(destination: destination, source: try readMemoryIndex())
        case 11: return .memoryFill(try readMemoryIndex())
        case 12:
            let elementIndex = try bytes.readU32()
            return .tableInit(elementIndex: elementIndex, tableIndex: try bytes.readU32())
        case 13: return .elemDrop(try bytes.readU32())
        case 14:
            let destination = try bytes.readU32()
            return .tableCopy(destination: destination, source: try bytes.readU32())
        case 15: return .tableGrow(try bytes.readU32())
        case 16: return .tableSize(try bytes.readU32())
        case 17: return .tableFill(try bytes.readU32())
        default:
            throw .malformed("illegal opcode fc \(hex(subopcode))", at: at)
        }
    }

    mutating func readSIMD(at: Int) throws(WasmError) -> Instruction {
        let subopcode = try bytes.readU32()
        switch subopcode {
        case 0...10, 92, 93:
            return .v128Load(SIMDLoadOp(rawValue: UInt8(subopcode))!, try readMemArg())
        case 11: return .v128Store(try readMemArg())
        case 12: return .v128Const(try bytes.readBytes16())
        case 13: return .i8x16Shuffle(try bytes.readBytes16())
        case 21...34:
            let lane = try readLane()
            let shape: SIMDLaneOp
            let isReplace: Bool
            switch subopcode {
            case 21: (shape, isReplace) = (.i8x16S, false)
            case 22: (shape, isReplace) = (.i8x16U, false)
            case 23: (shape, isReplace) = (.i8x16, true)
            case 24: (shape, isReplace) = (.i16x8S, false)
            case 25: (shape, isReplace) = (.i16x8U, false)
            case 26: (shape, isReplace) = (.i16x8, true)
            case 27, 28: (shape, isReplace) = (.i32x4, subopcode == 28)
            case 29, 30: (shape, isReplace) = (.i64x2, subopcode == 30)
            case 31, 32: (shape, isReplace) = (.f32x4, subopcode == 32)
            default: (shape, isReplace) = (.f64x2, subopcode == 34)
            }
            return isReplace ? .replaceLane(shape, lane: lane) : .extractLane(shape, lane: lane)
        case 84...91:
            let op = SIMDLaneMemoryOp(rawValue: UInt8((subopcode - 84) & 3))!
            let memArg = try readMemArg()
            let lane = try readLane()
            return subopcode < 88 ? .v128LoadLane(op, memArg, lane: lane) : .v128StoreLane(op, memArg, lane: lane)
        default:
            // Relaxed SIMD (3.0) numbers its instructions from 0x100.
            if let raw = UInt16(exactly: subopcode), let op = SIMDOp(rawValue: raw),
               raw < 0x100 || features.contains(.relaxedSIMD) {
                return .simd(op)
            }
            throw .malformed("illegal opcode fd \(hex(subopcode))", at: at)
        }
    }
}

func hex<T: BinaryInteger>(_ value: T) -> String {
    let digits = String(value, radix: 16)
    return digits.count % 2 == 1 ? "0" + digits : digits
}
