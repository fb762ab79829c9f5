/// Decodes a module binary into a `ModuleInfo` in one forward pass.
///
/// Sections are checked for order and exact size; vector counts are checked against the
/// bytes that remain before anything is reserved for them, so a hostile count cannot make
/// the decoder allocate. Function bodies are only delimited here; their instructions are
/// read by `OperatorReader` during validation.
struct ModuleDecoder {
    private static let sectionEndMessage = "unexpected end of section or function"

    /// Section ids in the order the binary format requires (custom sections excepted).
    private static func orderRank(_ id: UInt8) -> Int {
        switch id {
        case 1...5: return Int(id) * 2
        case 13: return 11  // tags (exception handling) come between memories and globals
        case 6...9: return Int(id) * 2
        case 12: return 19  // data count comes before code
        case 10: return 20
        case 11: return 21
        default: return 0
        }
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, features: WasmFeatures = .webAssembly3) throws(WasmError) -> ModuleInfo {
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw .malformed("unexpected end", at: 0)
        }
        var decoder = ModuleDecoder(base: base, length: bytes.count)
        decoder.module.features = features
        do {
            try decoder.decodeModule()
        } catch {
            // The spec decodes function bodies as it meets them, so a malformed body hides any
            // error after it; Kiln reads bodies later, and checks them now to report the same.
            try decoder.scanFunctionBodies()
            throw error
        }
        return decoder.module
    }

    private let base: UnsafeRawPointer
    private let length: Int
    private var module = ModuleInfo()
    private var functionCount: Int?

    private init(base: UnsafeRawPointer, length: Int) {
        self.base = base
        self.length = length
    }

    private mutating func decodeModule() throws(WasmError) {
        var reader = ByteReader(base: base, position: 0, end: length)
        let magic = try readPreamble(&reader, magic: true)
        guard magic == 0x6D73_6100 else { throw .malformed("magic header not detected", at: 0) }
        let version = try readPreamble(&reader, magic: false)
        guard version == 1 else { throw .malformed("unknown binary version", at: 4) }

        var lastRank = 0
        while !reader.isAtEnd {
            let sectionStart = reader.position
            let id = try reader.readByte()
            let size = Int(try reader.readU32())
            guard size <= reader.remaining else {
                throw .malformed("length out of bounds", at: sectionStart)
            }
            let contentStart = reader.position
            let contentEnd = contentStart + size
            guard id <= 12 || (id == 13 && module.features.contains(.exceptions)) else {
                throw .malformed("malformed section id", at: sectionStart)
            }
            if id != 0 {
                let rank = ModuleDecoder.orderRank(id)
                guard rank > lastRank else {
                    throw .malformed("unexpected content after last section", at: sectionStart)
                }
                lastRank = rank
            }
            // Like the spec's reference interpreter, a section's contents are read up to the end
            // of the module, not of the section: a wrong size is found after the contents, so
            // errors inside them (an overlong LEB128, say) are reported first.
            var section = ByteReader(base: base, position: contentStart, end: id == 0 ? contentEnd : length,
                                     endMessage: ModuleDecoder.sectionEndMessage)
            try decodeSection(id: id, &section)
            guard section.position == contentEnd else {
                throw .malformed("section size mismatch", at: section.position)
            }
            reader.position = contentEnd
        }

        if module.functionBodies.count != (functionCount ?? 0) {
            throw .malformed("function and code section have inconsistent lengths", at: length)
        }
        if let dataCount = module.dataCount, Int(dataCount) != module.data.count {
            throw .malformed("data count and data section have inconsistent lengths", at: length)
        }
    }

    /// Reads every function body known so far, instruction by instruction, and throws the first
    /// malformed encoding. Bodies are read on past their declared size like the spec does.
    private func scanFunctionBodies() throws(WasmError) {
        for body in module.functionBodies {
            var reader = ByteReader(base: base, position: body.start, end: length,
                                    endMessage: ModuleDecoder.sectionEndMessage)
            let groups = try reader.readCount()
            for _ in 0..<groups {
                _ = try reader.readU32()
                _ = try reader.readValType(module.features)
            }
            var operators = OperatorReader(reader, features: module.features)
            var depth = 0
            while depth >= 0 {
                switch try operators.read() {
                case .block, .loop, .if, .try, .tryTable: depth += 1
                case .end, .delegate: depth -= 1
                default: break
                }
            }
        }
    }

    /// Reads the 4-byte magic number or version, with the spec's messages for short files.
    private func readPreamble(_ reader: inout ByteReader, magic: Bool) throws(WasmError) -> UInt32 {
        if reader.remaining < 4 {
            throw .malformed("unexpected end", at: reader.position)
        }
        return try reader.readFixedUInt32()
    }

    private mutating func decodeSection(id: UInt8, _ reader: inout ByteReader) throws(WasmError) {
        switch id {
        case 0: try decodeCustomSection(&reader)
        case 1: try decodeTypeSection(&reader)
        case 2: try decodeImportSection(&reader)
        case 3: try decodeFunctionSection(&reader)
        case 4: try decodeTableSection(&reader)
        case 5: try decodeMemorySection(&reader)
        case 6: try decodeGlobalSection(&reader)
        case 7: try decodeExportSection(&reader)
        case 8: module.start = try reader.readU32()
        case 9: try decodeElementSection(&reader)
        case 10: try decodeCodeSection(&reader)
        case 11: try decodeDataSection(&reader)
        case 12: module.dataCount = try reader.readU32()
        case 13: try decodeTagSection(&reader)
        default: preconditionFailure("section id checked by the caller")
        }
    }

    private mutating func decodeCustomSection(_ reader: inout ByteReader) throws(WasmError) {
        reader.endMessage = "unexpected end"
        let name = try reader.readName()
        let payload = reader.position..<reader.end
        reader.position = reader.end
        module.customSections.append(CustomSection(name: name, payload: payload))
        if name == "name" {
            // A malformed name section is ignored, as the spec asks of custom sections.
            var names = ByteReader(base: base, position: payload.lowerBound, end: payload.upperBound)
            if let decoded = try? NameSection.decode(&names) { module.names = decoded }
        }
    }

    private mutating func decodeTypeSection(_ reader: inout ByteReader) throws(WasmError) {
        let count = try reader.readCount()
        for _ in 0..<count {
            let at = reader.position
            let form = try reader.readByte()
            guard form == 0x60 else {
                switch form {
                case 0x5F: throw .unsupported("garbage collection", "struct type", at: at)
                case 0x5E: throw .unsupported("garbage collection", "array type", at: at)
                case 0x4E: throw .unsupported("garbage collection", "recursive type group", at: at)
                case 0x50, 0x4F: throw .unsupported("garbage collection", "subtype declaration", at: at)
                default: throw .malformed(form >= 0x80 ? "integer representation too long" : "malformed function type", at: at)
                }
            }
            let paramCount = try reader.readCount()
            var params: [ValType] = []
            for _ in 0..<paramCount { params.append(try reader.readValType(module.features)) }
            let resultCount = try reader.readCount()
            var results: [ValType] = []
            for _ in 0..<resultCount { results.append(try reader.readValType(module.features)) }
            module.types.append(FuncType(params: params, results: results))
        }
        module.canonicalizeTypes()
    }

    private mutating func decodeImportSection(_ reader: inout ByteReader) throws(WasmError) {
        let count = try reader.readCount()
        for _ in 0..<count {
            let moduleName = try reader.readName()
            let name = try reader.readName()
            let at = reader.position
            let kind = try reader.readByte()
            let descriptor: ImportDescriptor
            switch kind {
            case 0:
                let typeIndex = try reader.readU32()
                descriptor = .function(typeIndex: typeIndex)
                module.functionTypes.append(typeIndex)
                module.importedFunctionCount += 1
            case 1:
                let type = try reader.readTableType(module.features)
                descriptor = .table(type)
                module.tables.append(type)
                module.importedTableCount += 1
            case 2:
                let type = try reader.readMemoryType(module.features)
                descriptor = .memory(type)
                module.memories.append(type)
                module.importedMemoryCount += 1
            case 3:
                let type = try reader.readGlobalType(module.features)
                descriptor = .global(type)
                module.globals.append(type)
                module.importedGlobalCount += 1
            case 4 where module.features.contains(.exceptions):
                let typeIndex = try readTagType(&reader)
                descriptor = .tag(typeIndex: typeIndex)
                module.tags.append(typeIndex)
                module.importedTagCount += 1
            default:
                throw .malformed("malformed import kind", at: at)
            }
            module.imports.append(Import(module: moduleName, name: name, descriptor: descriptor))
        }
    }

    /// A tag's type: an attribute byte (0: exception) and a function type index.
    private func readTagType(_ reader: inout ByteReader) throws(WasmError) -> UInt32 {
        let at = reader.position
        guard try reader.readByte() == 0 else { throw .malformed("malformed tag attribute", at: at) }
        return try reader.readU32()
    }

    private mutating func decodeTagSection(_ reader: inout ByteReader) throws(WasmError) {
        let count = try reader.readCount()
        for _ in 0..<count { module.tags.append(try readTagType(&reader)) }
    }

    private mutating func decodeFunctionSection(_ reader: inout ByteReader) throws(WasmError) {
        let count = try reader.readCount()
        functionCount = count
        module.functionTypes.reserveCapacity(module.functionTypes.count + count)
        for _ in 0..<count { module.functionTypes.append(try reader.readU32()) }
    }

    private mutating func decodeTableSection(_ reader: inout ByteReader) throws(WasmError) {
        let count = try reader.readCount()
        for _ in 0..<count {
            // Typed references: `0x40 0x00 tabletype expr` gives the elements' initial value.
            if module.features.contains(.functionReferences), try reader.peekByte() == 0x40 {
                reader.position += 1
                let at = reader.position
                guard try reader.readByte() == 0 else { throw .malformed("malformed table", at: at) }
                module.tables.append(try reader.readTableType(module.features))
                module.tableInitializers.append(try decodeConstExpr(&reader))
            } else {
                module.tables.append(try reader.readTableType(module.features))
                module.tableInitializers.append(nil)
            }
        }
    }

    private mutating func decodeMemorySection(_ reader: inout ByteReader) throws(WasmError) {
        let count = try reader.readCount()
        for _ in 0..<count { module.memories.append(try reader.readMemoryType(module.features)) }
    }

    private mutating func decodeGlobalSection(_ reader: inout ByteReader) throws(WasmError) {
        let count = try reader.readCount()
        for _ in 0..<count {
            module.globals.append(try reader.readGlobalType(module.features))
            module.globalInitializers.append(try decodeConstExpr(&reader))
        }
    }

    private mutating func decodeExportSection(_ reader: inout ByteReader) throws(WasmError) {
        let count = try reader.readCount()
        for _ in 0..<count {
            let name = try reader.readName()
            let at = reader.position
            guard let kind = ExternalKind(rawValue: try reader.readByte()), kind != .tag || module.features.contains(.exceptions) else {
                throw .malformed("malformed export kind", at: at)
            }
            let index = try reader.readU32()
            if kind == .function { module.declaredFunctionReferences.insert(index) }
            module.exports.append(Export(name: name, kind: kind, index: index))
        }
    }

    private mutating func decodeElementSection(_ reader: inout ByteReader) throws(WasmError) {
        let count = try reader.readCount()
        for _ in 0..<count {
            let at = reader.position
            let flags = try reader.readU32()
            guard flags <= 7 else { throw .malformed("malformed elements segment kind", at: at) }
            let mode: ElementSegment.Mode
            if flags & 1 == 0 {
                let table = flags & 2 != 0 ? try reader.readU32() : 0
                mode = .active(table: table, offset: try decodeConstExpr(&reader))
            } else {
                mode = flags & 2 != 0 ? .declarative : .passive
            }
            let usesExpressions = flags & 4 != 0
            // Function indices are never null: (ref func) with typed references, funcref in 2.0.
            var type = usesExpressions || !module.features.contains(.functionReferences)
                ? ValType.funcRef : .ref(RefType(nullable: false, .func))
            if flags & 3 != 0 {
                // An explicit element kind (function indices) or reference type (expressions).
                if usesExpressions {
                    type = try reader.readRefType(module.features)
                } else {
                    let kindAt = reader.position
                    guard try reader.readByte() == 0x00 else { throw .malformed("malformed element kind", at: kindAt) }
                }
            }
            let elementCount = try reader.readCount()
            var initializers: [ConstExpr] = []
            for _ in 0..<elementCount {
                if usesExpressions {
                    initializers.append(try decodeConstExpr(&reader))
                } else {
                    let index = try reader.readU32()
                    module.declaredFunctionReferences.insert(index)
                    initializers.append(.refFunc(index))
                }
            }
            module.elements.append(ElementSegment(mode: mode, type: type, initializers: initializers, offset: at))
        }
    }

    private mutating func decodeCodeSection(_ reader: inout ByteReader) throws(WasmError) {
        let count = try reader.readCount()
        for _ in 0..<count {
            let at = reader.position
            let size = Int(try reader.readU32())
            guard size <= reader.remaining else { throw .malformed("length out of bounds", at: at) }
            let start = try reader.skip(size)
            module.functionBodies.append(FunctionBody(start: start, end: start + size))
        }
    }

    private mutating func decodeDataSection(_ reader: inout ByteReader) throws(WasmError) {
        let count = try reader.readCount()
        for _ in 0..<count {
            let at = reader.position
            let flags = try reader.readU32()
            let mode: DataSegment.Mode
            switch flags {
            case 0: mode = .active(memory: 0, offset: try decodeConstExpr(&reader))
            case 1: mode = .passive
            case 2:
                let memory = try reader.readU32()
                mode = .active(memory: memory, offset: try decodeConstExpr(&reader))
            default: throw .malformed("malformed data segment kind", at: at)
            }
            let lengthAt = reader.position
            let length = Int(try reader.readU32())
            guard length <= reader.remaining else { throw .malformed(reader.endMessage, at: lengthAt) }
            let start = try reader.skip(length)
            module.data.append(DataSegment(mode: mode, bytes: start..<(start + length), offset: at))
        }
    }

    /// Reads a constant expression up to its `end`. Anything but constant instructions and
    /// the extended-constant arithmetic decodes into `.invalid`, which the validator reports.
    private mutating func decodeConstExpr(_ reader: inout ByteReader) throws(WasmError) -> ConstExpr {
        var operators = OperatorReader(reader, features: module.features)
        var stack: [ConstExpr] = []
        var nonConstant: ConstExpr?
        var depth = 0
        while true {
            let at = operators.offset
            let instruction = try operators.read()
            switch instruction {
            case .end:
                if depth == 0 {
                    reader.position = operators.offset
                    if let nonConstant { return nonConstant }
                    guard stack.count == 1 else { return .invalid(message: "type mismatch", offset: at) }
                    return stack[0]
                }
                depth -= 1
                continue
            case .block, .loop, .if, .try, .tryTable:
                depth += 1
                if nonConstant == nil { nonConstant = .invalid(message: "constant expression required", offset: at) }
            case .i32Const(let v): stack.append(.i32(v))
            case .i64Const(let v): stack.append(.i64(v))
            case .f32Const(let v): stack.append(.f32(v))
            case .f64Const(let v): stack.append(.f64(v))
            case .v128Const(let v): stack.append(.v128(v))
            case .refNull(let t): stack.append(.refNull(.ref(RefType(nullable: true, t))))
            case .refFunc(let index):
                module.declaredFunctionReferences.insert(index)
                stack.append(.refFunc(index))
            case .globalGet(let index): stack.append(.globalGet(index))
            case .numeric(let op) where ConstExpr.isExtendedConstant(op) && module.features.contains(.extendedConst):
                guard stack.count >= 2 else {
                    if nonConstant == nil { nonConstant = .invalid(message: "type mismatch", offset: at) }
                    continue
                }
                let rhs = stack.removeLast(), lhs = stack.removeLast()
                stack.append(.binary(op, lhs, rhs))
            default:
                if nonConstant == nil { nonConstant = .invalid(message: "constant expression required", offset: at) }
            }
        }
    }
}
