import Kiln

/// A table after the funcref and externref tables of 2.0: typed (`(ref null? $t)`, with an
/// initializer expression) or a 64-bit funcref table (table64), exported as `table<index>`.
struct ExtraTable {
    var element: ValType
    var is64: Bool
    var minimum: UInt64
    var maximum: UInt64
    /// The table initializer (a constant expression without `end`), if any: required for a
    /// non-nullable element type.
    var initializer: [UInt8]?
    /// The passive element segment of its element type, for `table.init`.
    var passiveSegment: UInt32

    var indexType: ValType { is64 ? .i64 : .i32 }
}

extension ModuleGenerator {
    /// A typed table (with typed references; sometimes 64-bit with table64) and a 64-bit
    /// funcref table (with table64, unless the typed one is 64-bit).
    mutating func declareTables() {
        if !wasm3.referenceTargets.isEmpty && random.chance(80) {
            let target = UInt32(random.pick(wasm3.referenceTargets))
            let element = ValType.ref(RefType(nullable: random.chance(65), .concrete(target)))
            addTable(element, is64: wasm3.on.contains(.table64) && random.chance(50))
        }
        if wasm3.on.contains(.table64) && !wasm3.tables.contains(where: \.is64) {
            addTable(.funcRef, is64: true)
        }
    }

    private mutating func addTable(_ element: ValType, is64: Bool) {
        let index = UInt32(2 + wasm3.tables.count)
        let nullable = element.refType!.nullable
        let minimum = random.int(1...6)
        let initializer = !nullable || random.chance(60) ? elementExpression(element) : nil
        // An active segment that fits in the initial size, at an offset computed (with
        // extended constants) as an expression of the table's index type.
        let count = random.int(0...minimum)
        var active = ByteWriter()
        active.u32(6); active.u32(index)
        active.bytes += constantExpression(is64 ? .i64 : .i32, Int64(random.int(0...(minimum - count))), globalsBefore: globals.count)
        active.byte(0x0B)
        active.valType(element)
        active.u32(UInt32(count))
        for _ in 0..<count { active.bytes += elementExpression(element) + [0x0B] }
        var passive = ByteWriter()
        passive.u32(5); passive.valType(element)
        let passiveCount = random.int(1...4)
        passive.u32(UInt32(passiveCount))
        for _ in 0..<passiveCount { passive.bytes += elementExpression(element) + [0x0B] }
        wasm3.elementSegments += [active.bytes, passive.bytes]
        wasm3.tables.append(ExtraTable(element: element, is64: is64, minimum: UInt64(minimum),
                                       maximum: UInt64(minimum + random.int(0...8)), initializer: initializer,
                                       passiveSegment: UInt32(2 + wasm3.elementSegments.count - 1)))
    }

    /// `ref.func` of a function that fits `element`, or (nullable) sometimes null.
    mutating func elementExpression(_ element: ValType) -> [UInt8] {
        let reference = element.refType!
        if reference.nullable && random.chance(25) {
            var null = ByteWriter()
            null.byte(0xD0); null.heapType(reference.heapType)
            return null.bytes
        }
        if case .concrete(let type) = reference.heapType {
            return [0xD2] + uleb(UInt64(initializerFunction(ofType: Int(type))))
        }
        return [0xD2] + uleb(UInt64(random.int(importCount..<functionTypes.count)))
    }

    func encodeTables(_ s: inout ByteWriter) {
        for table in wasm3.tables {
            if table.initializer != nil { s.byte(0x40); s.byte(0x00) }
            s.valType(table.element)
            s.byte(table.is64 ? 0x05 : 0x01); s.u64(table.minimum); s.u64(table.maximum)
            if let initializer = table.initializer { s.bytes += initializer; s.byte(0x0B) }
        }
    }

    func encodeElementSegments(_ s: inout ByteWriter) {
        for segment in wasm3.elementSegments { s.bytes += segment }
    }

    func indexType(ofTable table: Int) -> ValType {
        table >= 2 ? wasm3.tables[table - 2].indexType : .i32
    }

    func elementType(ofTable table: Int) -> ValType {
        switch table {
        case 0: .funcRef
        case 1: .externRef
        default: wasm3.tables[table - 2].element
        }
    }

    /// An index into `table`, of its index type: mostly a small constant (in bounds or just
    /// past them), sometimes any value.
    mutating func tableIndexValue(_ table: Int, depth: Int) {
        let type = indexType(ofTable: table)
        if random.chance(85) {
            // Mostly in bounds of the initial size, sometimes just past it.
            let index = table >= 2 ? random.int(0...Int(wasm3.tables[table - 2].minimum)) : random.int(0...definedCount)
            if type == .i32 { code.byte(0x41); code.s32(Int32(index)) } else { code.byte(0x42); code.s64(Int64(index)) }
        } else {
            value(type, depth: depth + 1)
        }
    }

    /// Writes to an extra table (set, fill, grow, copy, init, elem.drop), or an indirect call
    /// through it.
    mutating func tableStatement(depth: Int) {
        let table = 2 + random.int(0..<wasm3.tables.count)
        let extra = wasm3.tables[table - 2]
        switch random.int(0...8) {
        case 0, 1:
            tableIndexValue(table, depth: depth); value(extra.element, depth: depth + 1)
            code.byte(0x26); code.u32(UInt32(table))  // table.set
        case 2:
            tableIndexValue(table, depth: depth); value(extra.element, depth: depth + 1); count3(extra.indexType)
            code.byte(0xFC); code.u32(17); code.u32(UInt32(table))  // table.fill
        case 3:
            value(extra.element, depth: depth + 1)
            if extra.is64 { code.byte(0x42); code.s64(Int64(random.int(0...3))) } else { code.byte(0x41); code.s32(Int32(random.int(0...3))) }
            code.byte(0xFC); code.u32(15); code.u32(UInt32(table))  // table.grow
            code.byte(0x1A)
        case 4:
            // table.copy from a table whose elements fit (itself, or into funcref any function table).
            let sources = ([0] + (2..<(2 + wasm3.tables.count))).filter { isSubtype(elementType(ofTable: $0), of: extra.element) }
            let source = random.pick(sources)
            tableIndexValue(table, depth: depth); tableIndexValue(source, depth: depth)
            count3(extra.is64 && indexType(ofTable: source) == .i64 ? .i64 : .i32)
            code.byte(0xFC); code.u32(14); code.u32(UInt32(table)); code.u32(UInt32(source))
        case 5:
            // table.init from its passive segment (or, for funcref, the 2.0 one): d of the
            // index type, s and n i32.
            let segment = extra.element == .funcRef && random.chance(50) ? 1 : extra.passiveSegment
            tableIndexValue(table, depth: depth)
            code.byte(0x41); code.s32(Int32(random.int(0...2))); smallCount()
            code.byte(0xFC); code.u32(12); code.u32(segment); code.u32(UInt32(table))
        case 6:
            code.byte(0xFC); code.u32(13); code.u32(extra.passiveSegment)  // elem.drop
        default:
            // Through a typed table only from before its type's last function (its elements
            // are mostly that one: a call from it would recurse).
            if case .concrete(let type)? = extra.element.refType?.heapType, laterFunctions(ofType: Int(type)).isEmpty {
                code.byte(0xFC); code.u32(13); code.u32(extra.passiveSegment)
            } else {
                callIndirect3(table: table, depth: depth)
            }
        }
    }

    /// `call_indirect` through an extra table, results dropped: with the table's own type
    /// for a typed table (another one now and then: a signature mismatch trap), else a type
    /// of a later function.
    mutating func callIndirect3(table: Int, depth: Int) {
        let typeIndex = indirectType(table: table)
        let type = types[typeIndex]
        values(type.params, depth: depth + 1)
        tableIndexValue(table, depth: depth)
        code.byte(0x11); code.u32(UInt32(typeIndex)); code.u32(UInt32(table))
        dropAll(type.results)
    }

    /// The type an indirect call through `table` names.
    mutating func indirectType(table: Int) -> Int {
        if case .concrete(let type)? = elementType(ofTable: table).refType?.heapType, random.chance(90) {
            return Int(type)
        }
        let later = (currentFunction + 1)..<functionTypes.count
        return functionTypes[random.pickIfAny(later) ?? random.int(importCount..<functionTypes.count)]
    }

    /// `table.size` or `table.grow` of an extra table whose index type is `type`.
    mutating func tableSizeOrGrow(_ type: ValType, depth: Int) {
        guard let table = random.pickIfAny((2..<(2 + wasm3.tables.count)).filter({ indexType(ofTable: $0) == type })) else {
            leaf(type)
            return
        }
        if random.chance(50) {
            code.byte(0xFC); code.u32(16); code.u32(UInt32(table))
        } else {
            value(elementType(ofTable: table), depth: depth + 1)
            count3(type)
            code.byte(0xFC); code.u32(15); code.u32(UInt32(table))
        }
    }
}
