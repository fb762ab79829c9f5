/// The decoded contents of a module binary: everything except function bodies,
/// which stay byte ranges (`FunctionBody`) read later by an `OperatorReader`.
///
/// Index spaces follow the spec: imported entities come first, then defined ones,
/// so `functionTypes[i]` is the type index of function `i` whether imported or not.
struct ModuleInfo: Sendable {
    /// The proposals the module was decoded under; validation and function bodies follow them.
    var features: WasmFeatures = .webAssembly3
    var types: [FuncType] = []
    var imports: [Import] = []
    var exports: [Export] = []

    /// Type index of every function, imports first.
    var functionTypes: [UInt32] = []
    var importedFunctionCount = 0
    var tables: [TableType] = []
    var importedTableCount = 0
    /// Initial element values of the defined tables (index `i` is table `importedTableCount + i`);
    /// nil: null.
    var tableInitializers: [ConstExpr?] = []
    var memories: [MemoryType] = []
    var importedMemoryCount = 0
    var globals: [GlobalType] = []
    var importedGlobalCount = 0
    /// The function type index of every tag (exception handling), imports first.
    var tags: [UInt32] = []
    var importedTagCount = 0
    /// Initializers of the defined globals (index `i` is global `importedGlobalCount + i`).
    var globalInitializers: [ConstExpr] = []

    var start: UInt32?
    var elements: [ElementSegment] = []
    var dataCount: UInt32?
    var data: [DataSegment] = []
    /// Bodies of the defined functions (index `i` is function `importedFunctionCount + i`).
    var functionBodies: [FunctionBody] = []

    var names = NameSection()
    var customSections: [CustomSection] = []

    /// Functions that may be named by `ref.func` in function bodies: those referenced
    /// outside function bodies (exports, element segments, global initializers).
    var declaredFunctionReferences: Set<UInt32> = []

    /// Subtyping between engine-level types (whose type indices are engine-wide ids, equal
    /// exactly when the types are equivalent): an empty module's rules.
    static let engineLevel = ModuleInfo()

    /// Per type index, the first index of a type equivalent to it: types are equivalent when
    /// their structure is equal, references compared by equivalence (each type its own
    /// recursion group, as without GC).
    var canonicalTypes: [UInt32] = []

    @inline(__always)
    func functionType(of functionIndex: Int) -> FuncType {
        types[Int(functionTypes[functionIndex])]
    }

    /// The subtyping of WebAssembly 3.0 without GC: a non-null reference stands where a
    /// nullable one of a supertype is expected; a concrete function type is a `func`; the
    /// bottom types are below everything in their hierarchy.
    @inline(__always)
    func isSubtype(_ a: ValType, of b: ValType) -> Bool {
        if a == b { return true }
        return isReferenceSubtype(a, of: b)
    }

    /// The rest of `isSubtype(_:of:)`, out of line: the validator calls it for every operand,
    /// and a call that is not inlined copies the whole module description first.
    func isReferenceSubtype(_ a: ValType, of b: ValType) -> Bool {
        guard case .ref(let x) = a, case .ref(let y) = b else { return false }
        if x.nullable && !y.nullable { return false }
        return isSubtype(x.heapType, of: y.heapType)
    }

    func isSubtype(_ a: HeapType, of b: HeapType) -> Bool {
        switch (a, b) {
        case (.concrete(let i), .concrete(let j)): return canonical(i) == canonical(j)
        case (.concrete, .func): return true
        case (.noFunc, _): return b.top == .func
        case (.noExtern, _): return b.top == .extern
        case (.noExn, _): return b.top == .exn
        default: return a == b
        }
    }

    func canonical(_ index: UInt32) -> UInt32 {
        Int(index) < canonicalTypes.count ? canonicalTypes[Int(index)] : index
    }

    /// Whether a local of `type` starts with a value (zero or null): all but non-nullable references.
    static func isDefaultable(_ type: ValType) -> Bool {
        if case .ref(let reference) = type { return reference.nullable }
        return true
    }

    /// Computes `canonicalTypes`. A type may name itself or earlier types only.
    mutating func canonicalizeTypes() {
        canonicalTypes.removeAll()
        var first: [FuncType: UInt32] = [:]
        for (i, type) in types.enumerated() {
            let key = FuncType(params: type.params.map { canonicalKey($0, at: i) },
                               results: type.results.map { canonicalKey($0, at: i) })
            if let j = first[key] {
                canonicalTypes.append(j)
            } else {
                first[key] = UInt32(i)
                canonicalTypes.append(UInt32(i))
            }
        }
    }

    /// A reference to an earlier type as its canonical index, to itself as a marker.
    private func canonicalKey(_ type: ValType, at index: Int) -> ValType {
        guard case .ref(var reference) = type, case .concrete(let j) = reference.heapType else { return type }
        if Int(j) < index { reference.heapType = .concrete(canonicalTypes[Int(j)]) }
        else if Int(j) == index { reference.heapType = .concrete(.max) }
        return .ref(reference)
    }
}

struct Import: Sendable {
    var module: String
    var name: String
    var descriptor: ImportDescriptor
}

enum ImportDescriptor: Sendable {
    case function(typeIndex: UInt32)
    case table(TableType)
    case memory(MemoryType)
    case global(GlobalType)
    case tag(typeIndex: UInt32)
}

enum ExternalKind: UInt8, Sendable {
    case function = 0, table, memory, global, tag
}

struct Export: Sendable {
    var name: String
    var kind: ExternalKind
    var index: UInt32
}

/// A constant expression: a constant instruction, or (extended constant expressions, 3.0)
/// a tree of `i32/i64.add/sub/mul` over them.
indirect enum ConstExpr: Sendable, Equatable {
    case i32(Int32)
    case i64(Int64)
    case f32(UInt32)
    case f64(UInt64)
    case v128(V128)
    case refNull(ValType)
    case refFunc(UInt32)
    case globalGet(UInt32)
    /// `lhs op rhs` for the integer `add`, `sub` and `mul` of either width.
    case binary(NumericOp, ConstExpr, ConstExpr)
    /// An expression that decodes but is not a valid constant expression; the
    /// validator reports `message` at `offset`.
    case invalid(message: String, offset: Int)
}

extension ConstExpr {
    /// The arithmetic extended constant expressions allow.
    static func isExtendedConstant(_ op: NumericOp) -> Bool {
        switch op {
        case .i32Add, .i32Sub, .i32Mul, .i64Add, .i64Sub, .i64Mul: true
        default: false
        }
    }
}

struct ElementSegment: Sendable {
    enum Mode: Sendable {
        case passive
        case active(table: UInt32, offset: ConstExpr)
        case declarative
    }

    var mode: Mode
    var type: ValType
    var initializers: [ConstExpr]
    /// Byte offset of the segment in the module, for error messages.
    var offset: Int
}

struct DataSegment: Sendable {
    enum Mode: Sendable {
        case passive
        case active(memory: UInt32, offset: ConstExpr)
    }

    var mode: Mode
    /// Where the initialization bytes lie in the module binary.
    var bytes: Range<Int>
    var offset: Int
}

/// A function body inside the module binary.
struct FunctionBody: Sendable {
    /// Offset of the local declarations (just after the body size).
    var start: Int
    /// Offset one past the body's last byte.
    var end: Int
}

struct CustomSection: Sendable {
    var name: String
    /// The section's payload after its name.
    var payload: Range<Int>
}
