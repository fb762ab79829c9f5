import Kiln

extension ModuleGenerator {
    /// A tail call whose callee returns exactly this function's results: `return_call` (to
    /// a host import, this function or a later one), `return_call_indirect` (through table 0
    /// or an extra table) or `return_call_ref` (to a target type with these results). The
    /// code after it is unreachable. False when no callee fits.
    ///
    /// Calling only this function or later ones keeps chains of plain calls bounded as
    /// `call` does; a tail-call loop does not grow the stack, and fuel ends it. Inside a
    /// `try_table` or legacy `try`, a tail call leaves the handler behind: what the callee
    /// throws must not be caught there.
    @discardableResult
    mutating func tailCallInstruction(depth: Int) -> Bool {
        var kinds: [Int] = []
        let direct = functionTypes.indices.filter { function in
            (function < importCount || function >= currentFunction) && types[functionTypes[function]].results == results
        }
        if !direct.isEmpty { kinds += [0, 0, 1] }
        let tables = wasm3.tables.indices.filter { k in
            if case .concrete(let type)? = wasm3.tables[k].element.refType?.heapType { return types[Int(type)].results == results }
            return false
        }
        if !tables.isEmpty { kinds.append(2) }
        let references = wasm3.referenceTargets.filter { types[$0].results == results }
        if !references.isEmpty { kinds += [3, 3] }
        guard let kind = random.pickIfAny(kinds) else { return false }
        switch kind {
        case 0:
            let function = random.pick(direct)
            values(types[functionTypes[function]].params, depth: depth + 1)
            code.byte(0x12); code.u32(UInt32(function))
        case 1:
            // Through table 0, which holds every defined function in order (until written).
            let function = random.pick(direct)
            let type = functionTypes[function]
            values(types[type].params, depth: depth + 1)
            if function >= importCount && random.chance(85) {
                code.byte(0x41); code.s32(Int32(function - importCount))
            } else {
                value(.i32, depth: depth + 1)
            }
            code.byte(0x13); code.u32(UInt32(type)); code.u32(0)
        case 2:
            let table = 2 + random.pick(tables)
            let typeIndex = indirectType(table: table)
            guard types[typeIndex].results == results else {
                // Another type: its results would not be this function's.
                values(results, depth: depth + 1)
                code.byte(0x0F)
                return true
            }
            values(types[typeIndex].params, depth: depth + 1)
            tableIndexValue(table, depth: depth)
            code.byte(0x13); code.u32(UInt32(typeIndex)); code.u32(UInt32(table))
        default:
            let target = random.pick(references)
            values(types[target].params, depth: depth + 1)
            value(.ref(RefType(nullable: true, .concrete(UInt32(target)))), depth: depth + 1)
            code.byte(0x15); code.u32(UInt32(target))
        }
        return true
    }

    /// `if (cond) { tail call }`: a statement (the stack is as it was after the `if`).
    mutating func conditionalTailCall(depth: Int) {
        value(.i32, depth: depth + 1)
        code.byte(0x04); code.byte(0x40)
        labels.append([])
        if !tailCallInstruction(depth: depth + 1) { code.byte(0x01) }  // nop
        labels.removeLast()
        code.byte(0x0B)
    }

    /// The function's end as a tail call now and then (with tail calls): the results come
    /// from the callee. False to end with the results as 2.0 does.
    mutating func tailCallAtEnd() -> Bool {
        guard wasm3.on.contains(.tailCalls), random.chance(35) else { return false }
        return tailCallInstruction(depth: 0)
    }
}
