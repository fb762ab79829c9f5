/// The heap type of a reference: what it points to.
///
/// `concrete` is a type index: into the module's type section inside a module (`ModuleInfo`),
/// an engine-wide signature id (`TypeRegistry`) in the types the API hands out.
public enum HeapType: Sendable, Hashable, BitwiseCopyable, CustomStringConvertible {
    /// Any function.
    case `func`
    /// Any host (extern) reference.
    case extern
    /// Any exception (exception handling's `exnref`).
    case exn
    /// The bottom types: no value but null has them (`nofunc`, `noextern`, `noexn`).
    case noFunc, noExtern, noExn
    /// A function of one signature.
    case concrete(UInt32)

    /// The abstract type at the top of this type's hierarchy.
    public var top: HeapType {
        switch self {
        case .func, .noFunc, .concrete: .func
        case .extern, .noExtern: .extern
        case .exn, .noExn: .exn
        }
    }

    public var description: String {
        switch self {
        case .func: "func"
        case .extern: "extern"
        case .exn: "exn"
        case .noFunc: "nofunc"
        case .noExtern: "noextern"
        case .noExn: "noexn"
        case .concrete(let index): "\(index)"
        }
    }
}

/// A reference type: a heap type, and whether null is a value of it.
public struct RefType: Sendable, Hashable, BitwiseCopyable, CustomStringConvertible {
    public var nullable: Bool
    public var heapType: HeapType
    public init(nullable: Bool, _ heapType: HeapType) {
        self.nullable = nullable
        self.heapType = heapType
    }

    public var description: String {
        switch (nullable, heapType) {
        case (true, .func): "funcref"
        case (true, .extern): "externref"
        case (true, .exn): "exnref"
        default: "(ref \(nullable ? "null " : "")\(heapType))"
        }
    }
}

/// The value types: numbers, vectors and (typed) references.
public enum ValType: Sendable, Hashable, BitwiseCopyable, CustomStringConvertible {
    case i32
    case i64
    case f32
    case f64
    case v128
    case ref(RefType)

    /// `funcref`: `(ref null func)`.
    /// Equality written out so it inlines: the validator compares an operand with its
    /// expected type for nearly every instruction, and the derived one is an outlined call.
    @inlinable public static func == (lhs: ValType, rhs: ValType) -> Bool {
        switch (lhs, rhs) {
        case (.i32, .i32), (.i64, .i64), (.f32, .f32), (.f64, .f64), (.v128, .v128): true
        case (.ref(let a), .ref(let b)): a == b
        default: false
        }
    }

    public static let funcRef = ValType.ref(RefType(nullable: true, .func))
    /// `externref`: `(ref null extern)`.
    public static let externRef = ValType.ref(RefType(nullable: true, .extern))
    /// `exnref`: `(ref null exn)`.
    public static let exnRef = ValType.ref(RefType(nullable: true, .exn))

    @inlinable public var isReference: Bool { if case .ref = self { true } else { false } }
    @inlinable public var isNumeric: Bool {
        switch self {
        case .i32, .i64, .f32, .f64: true
        default: false
        }
    }

    /// The reference type, for a reference.
    public var refType: RefType? { if case .ref(let type) = self { type } else { nil } }

    /// Whether values of this type are extern or exception references, which the runtime
    /// counts outside wasm frames and finds in frames through stack maps (function
    /// references belong to their instances and are not counted).
    @inlinable public var isCountedReference: Bool {
        guard case .ref(let type) = self else { return false }
        switch type.heapType {
        case .extern, .noExtern, .exn, .noExn: return true
        default: return false
        }
    }

    /// Whether this is a function reference type (of any signature, nullable or not).
    @inlinable public var isFunctionReference: Bool {
        guard case .ref(let type) = self else { return false }
        return type.heapType.top == .func
    }

    public var description: String {
        switch self {
        case .i32: "i32"
        case .i64: "i64"
        case .f32: "f32"
        case .f64: "f64"
        case .v128: "v128"
        case .ref(let type): type.description
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
    /// An exception tag: the parameters are the values exceptions carry.
    case tag(FuncType)
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
