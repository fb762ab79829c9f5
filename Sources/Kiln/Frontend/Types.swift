/// The value types of WebAssembly 2.0.
public enum ValType: UInt8, Sendable, Hashable, BitwiseCopyable, CustomStringConvertible {
    case i32 = 0x7F
    case i64 = 0x7E
    case f32 = 0x7D
    case f64 = 0x7C
    case v128 = 0x7B
    case funcRef = 0x70
    case externRef = 0x6F

    @inlinable public var isReference: Bool { self == .funcRef || self == .externRef }
    @inlinable public var isNumeric: Bool { !isReference && self != .v128 }

    public var description: String {
        switch self {
        case .i32: "i32"
        case .i64: "i64"
        case .f32: "f32"
        case .f64: "f64"
        case .v128: "v128"
        case .funcRef: "funcref"
        case .externRef: "externref"
        }
    }
}

/// The signature of a function: parameter and result types.
public struct FuncType: Sendable, Hashable, CustomStringConvertible {
    public var params: [ValType]
    public var results: [ValType]

    public init(params: [ValType] = [], results: [ValType] = []) {
        self.params = params
        self.results = results
    }

    public var description: String {
        "(\(params.map(\.description).joined(separator: " "))) -> (\(results.map(\.description).joined(separator: " ")))"
    }
}

/// Size limits of a memory (in 64 KiB pages) or a table (in elements).
public struct Limits: Sendable, Hashable {
    public var min: UInt64
    public var max: UInt64?

    public init(min: UInt64, max: UInt64? = nil) {
        self.min = min
        self.max = max
    }

    /// Whether `self` can stand where `required` is expected (import subtyping).
    public func isSubtype(of required: Limits) -> Bool {
        guard min >= required.min else { return false }
        guard let requiredMax = required.max else { return true }
        guard let max else { return false }
        return max <= requiredMax
    }
}

public struct MemoryType: Sendable, Hashable {
    public var limits: Limits
    /// A 64-bit memory (memory64): addresses, sizes and `memory.grow` deltas are `i64`.
    public var is64: Bool
    public init(limits: Limits, is64: Bool = false) {
        self.limits = limits
        self.is64 = is64
    }
    public init(min: UInt64, max: UInt64? = nil, is64: Bool = false) {
        self.limits = Limits(min: min, max: max)
        self.is64 = is64
    }

    /// The type of addresses into this memory.
    public var addressType: ValType { is64 ? .i64 : .i32 }
    /// The largest size the type allows, in pages (2^16 for 32-bit memories, 2^48 for 64-bit).
    public var pageLimit: UInt64 { is64 ? 1 << 48 : 1 << 16 }
}

public struct TableType: Sendable, Hashable {
    public var elementType: ValType
    public var limits: Limits
    /// A 64-bit table (table64): indices and sizes are `i64`.
    public var is64: Bool
    public init(elementType: ValType, limits: Limits, is64: Bool = false) {
        self.elementType = elementType
        self.limits = limits
        self.is64 = is64
    }

    /// The type of indices into this table.
    public var indexType: ValType { is64 ? .i64 : .i32 }
}

public enum Mutability: UInt8, Sendable, Hashable {
    case constant = 0
    case variable = 1
}

public struct GlobalType: Sendable, Hashable {
    public var valueType: ValType
    public var mutability: Mutability
    public init(valueType: ValType, mutability: Mutability) {
        self.valueType = valueType
        self.mutability = mutability
    }
}

/// The type of an importable or exportable entity.
public enum ExternType: Sendable, Hashable {
    case `func`(FuncType)
    case memory(MemoryType)
    case table(TableType)
    case global(GlobalType)
}

public struct ImportType: Sendable, Hashable {
    public var module: String
    public var name: String
    public var type: ExternType
}

public struct ExportType: Sendable, Hashable {
    public var name: String
    public var type: ExternType
}

/// The type annotation of `block`, `loop` and `if`.
public enum BlockType: Sendable, Hashable, BitwiseCopyable {
    case empty
    case value(ValType)
    case typeIndex(UInt32)
}
