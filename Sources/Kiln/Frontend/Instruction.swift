/// One decoded WebAssembly 2.0 instruction.
///
/// Instructions without immediates that only compute (arithmetic, comparisons,
/// conversions, most SIMD) are grouped under `.numeric` and `.simd`, whose operand
/// and result types come from a table (`NumericOp.signature`, `SIMDOp.signature`).
/// Every payload is trivial, so reading an instruction never allocates; `br_table`
/// keeps its targets as a byte range read through `BrTable.targets`.
public enum Instruction: Sendable, Equatable {
    // Control
    case unreachable
    case nop
    case block(BlockType)
    case loop(BlockType)
    case `if`(BlockType)
    case `else`
    case end
    case br(relativeDepth: UInt32)
    case brIf(relativeDepth: UInt32)
    case brTable(BrTable)
    case `return`
    case call(functionIndex: UInt32)
    case callIndirect(typeIndex: UInt32, tableIndex: UInt32)
    /// Tail calls: the callee replaces the caller's frame.
    case returnCall(functionIndex: UInt32)
    case returnCallIndirect(typeIndex: UInt32, tableIndex: UInt32)
    /// Calls through a typed function reference (trapping on null).
    case callRef(typeIndex: UInt32)
    case returnCallRef(typeIndex: UInt32)

    // Exceptions
    case `throw`(tagIndex: UInt32)
    case throwRef
    /// A block whose exceptions the catch clauses send to labels outside it.
    case tryTable(BlockType, TryTableCatches)
    /// The legacy instructions: `try` opens a block whose `catch`/`catch_all` arms handle
    /// its exceptions; `delegate` ends it, handing them to an enclosing label's handlers;
    /// `rethrow` throws again the exception a `catch` arm (at `relativeDepth`) caught.
    case `try`(BlockType)
    case `catch`(tagIndex: UInt32)
    case catchAll
    case delegate(relativeDepth: UInt32)
    case rethrow(relativeDepth: UInt32)

    // Parametric
    case drop
    /// `select` without a type annotation (numeric and vector operands only).
    case select
    /// `select (result t)`.
    case typedSelect(ValType)

    // Variables
    case localGet(UInt32)
    case localSet(UInt32)
    case localTee(UInt32)
    case globalGet(UInt32)
    case globalSet(UInt32)

    // Tables
    case tableGet(UInt32)
    case tableSet(UInt32)
    case tableInit(elementIndex: UInt32, tableIndex: UInt32)
    case elemDrop(UInt32)
    case tableCopy(destination: UInt32, source: UInt32)
    case tableGrow(UInt32)
    case tableSize(UInt32)
    case tableFill(UInt32)

    // Memory
    case load(LoadOp, MemArg)
    case store(StoreOp, MemArg)
    case memorySize(UInt32)
    case memoryGrow(UInt32)
    case memoryInit(dataIndex: UInt32, memory: UInt32)
    case dataDrop(UInt32)
    case memoryCopy(destination: UInt32, source: UInt32)
    case memoryFill(UInt32)

    // Constants and computation
    case i32Const(Int32)
    case i64Const(Int64)
    /// The bit pattern of an `f32.const`, so NaN payloads survive.
    case f32Const(UInt32)
    /// The bit pattern of an `f64.const`.
    case f64Const(UInt64)
    case numeric(NumericOp)

    // References
    case refNull(HeapType)
    case refIsNull
    case refFunc(UInt32)
    /// Traps on null; the type loses `null`.
    case refAsNonNull
    /// Branches when the reference is null (dropping it); otherwise leaves it, non-null.
    case brOnNull(relativeDepth: UInt32)
    /// Branches with the reference when it is not null; otherwise drops it.
    case brOnNonNull(relativeDepth: UInt32)

    // SIMD
    case v128Const(V128)
    case v128Load(SIMDLoadOp, MemArg)
    case v128Store(MemArg)
    case v128LoadLane(SIMDLaneMemoryOp, MemArg, lane: UInt8)
    case v128StoreLane(SIMDLaneMemoryOp, MemArg, lane: UInt8)
    case i8x16Shuffle(V128)
    case extractLane(SIMDLaneOp, lane: UInt8)
    case replaceLane(SIMDLaneOp, lane: UInt8)
    case simd(SIMDOp)
}

/// The immediate of a load or store: alignment exponent, constant offset (64 bits with
/// memory64) and memory index (multi-memory).
public struct MemArg: Sendable, Equatable {
    public var align: UInt32
    public var offset: UInt64
    public var memory: UInt32
    public init(align: UInt32, offset: UInt64, memory: UInt32 = 0) {
        self.align = align
        self.offset = offset
        self.memory = memory
    }
}

/// A `try_table`'s catch clauses, left encoded in the function body (read them with
/// `OperatorReader.forEachCatch`).
public struct TryTableCatches: Sendable, Equatable {
    public var count: Int
    /// Offset in the module of the first clause.
    public var offset: Int
}

/// One catch clause of a `try_table`.
public struct CatchClause: Sendable, Equatable {
    public enum Kind: UInt8, Sendable {
        /// `catch x l`: the tag's values go to label `l`.
        case `catch` = 0
        /// `catch_ref x l`: the values and the exception.
        case catchRef
        /// `catch_all l`: nothing.
        case catchAll
        /// `catch_all_ref l`: the exception.
        case catchAllRef
    }
    public var kind: Kind
    /// The tag, for `catch` and `catch_ref`.
    public var tag: UInt32
    public var label: UInt32
}

/// The targets of a `br_table`, left encoded in the function body.
public struct BrTable: Sendable, Equatable {
    /// Number of targets before the default.
    public var count: Int
    /// Offset in the module of the first target's LEB128.
    public var targetsOffset: Int
    public var defaultDepth: UInt32
}

public enum LoadOp: UInt8, Sendable, CaseIterable {
    case i32Load = 0x28, i64Load, f32Load, f64Load
    case i32Load8S, i32Load8U, i32Load16S, i32Load16U
    case i64Load8S, i64Load8U, i64Load16S, i64Load16U, i64Load32S, i64Load32U

    /// log2 of the access size in bytes: the largest alignment allowed.
    @inlinable public var naturalAlignment: UInt32 {
        switch self {
        case .i32Load8S, .i32Load8U, .i64Load8S, .i64Load8U: 0
        case .i32Load16S, .i32Load16U, .i64Load16S, .i64Load16U: 1
        case .i32Load, .f32Load, .i64Load32S, .i64Load32U: 2
        case .i64Load, .f64Load: 3
        }
    }

    @inlinable public var resultType: ValType {
        switch self {
        case .i32Load, .i32Load8S, .i32Load8U, .i32Load16S, .i32Load16U: .i32
        case .f32Load: .f32
        case .f64Load: .f64
        default: .i64
        }
    }
}

public enum StoreOp: UInt8, Sendable, CaseIterable {
    case i32Store = 0x36, i64Store, f32Store, f64Store
    case i32Store8, i32Store16, i64Store8, i64Store16, i64Store32

    @inlinable public var naturalAlignment: UInt32 {
        switch self {
        case .i32Store8, .i64Store8: 0
        case .i32Store16, .i64Store16: 1
        case .i32Store, .f32Store, .i64Store32: 2
        case .i64Store, .f64Store: 3
        }
    }

    @inlinable public var valueType: ValType {
        switch self {
        case .i32Store, .i32Store8, .i32Store16: .i32
        case .f32Store: .f32
        case .f64Store: .f64
        default: .i64
        }
    }
}

/// SIMD loads that produce a whole vector (raw value: the `0xFD` sub-opcode).
public enum SIMDLoadOp: UInt8, Sendable, CaseIterable {
    case v128Load = 0
    case load8x8S = 1, load8x8U, load16x4S, load16x4U, load32x2S, load32x2U
    case load8Splat = 7, load16Splat, load32Splat, load64Splat
    case load32Zero = 92, load64Zero = 93

    @inlinable public var naturalAlignment: UInt32 {
        switch self {
        case .v128Load: 4
        case .load8x8S, .load8x8U, .load16x4S, .load16x4U, .load32x2S, .load32x2U, .load64Splat, .load64Zero: 3
        case .load8Splat: 0
        case .load16Splat: 1
        case .load32Splat, .load32Zero: 2
        }
    }
}

/// Lane width of `v128.loadN_lane` / `v128.storeN_lane`.
public enum SIMDLaneMemoryOp: UInt8, Sendable, CaseIterable {
    case lane8 = 0, lane16, lane32, lane64

    @inlinable public var naturalAlignment: UInt32 { UInt32(rawValue) }
    @inlinable public var laneCount: UInt8 { 16 >> rawValue }
}

/// The shapes of `extract_lane` / `replace_lane`.
public enum SIMDLaneOp: UInt8, Sendable, CaseIterable {
    case i8x16S, i8x16U, i8x16, i16x8S, i16x8U, i16x8, i32x4, i64x2, f32x4, f64x2

    @inlinable public var laneCount: UInt8 {
        switch self {
        case .i8x16S, .i8x16U, .i8x16: 16
        case .i16x8S, .i16x8U, .i16x8: 8
        case .i32x4, .f32x4: 4
        case .i64x2, .f64x2: 2
        }
    }

    @inlinable public var scalarType: ValType {
        switch self {
        case .i8x16S, .i8x16U, .i8x16, .i16x8S, .i16x8U, .i16x8, .i32x4: .i32
        case .i64x2: .i64
        case .f32x4: .f32
        case .f64x2: .f64
        }
    }
}
