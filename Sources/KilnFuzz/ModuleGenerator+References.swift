import Kiln

extension ModuleGenerator {
    /// One to three function types for typed references to name (`(ref $t)`), declared
    /// before anything that uses them (a type names only earlier types). Their parameters
    /// and results are numbers and externrefs.
    mutating func declareReferenceTypes() {
        guard wasm3.on.contains(.typedReferences) else { return }
        for _ in 0..<random.int(1...3) {
            let params = (0..<random.int(0...2)).map { _ in random.pick(Self.signatureTypes) }
            let results = (0..<random.pick([0, 1, 1, 2])).map { _ in random.pick(Self.signatureTypes) }
            let target = typeIndex(FuncType(params: params, results: results))
            if !wasm3.referenceTargets.contains(target) { wasm3.referenceTargets.append(target) }
        }
    }

    /// Gives each target type a defined function of its own, at the end: references mostly
    /// name functions later than the code that calls them, so calls through references go
    /// forwards as direct calls do (a cycle of plain calls exhausts the stack, and a run is
    /// compared only up to there).
    mutating func addReferenceTargets() {
        for target in wasm3.referenceTargets { functionTypes.append(target) }
    }

    /// The defined functions of type `type`.
    func functions(ofType type: Int) -> [Int] {
        (importCount..<functionTypes.count).filter { functionTypes[$0] == type }
    }

    /// The functions of type `type` after the one being generated.
    func laterFunctions(ofType type: Int) -> [Int] {
        functions(ofType: type).filter { $0 > currentFunction }
    }

    /// Target types that a call from here may go through without calling back (a function
    /// of the type comes later).
    var callableTargets: [Int] {
        wasm3.referenceTargets.filter { !laterFunctions(ofType: $0).isEmpty }
    }

    /// A function of `type` for a constant initializer: mostly the last one (the target's own).
    mutating func initializerFunction(ofType type: Int) -> Int {
        let all = functions(ofType: type)
        return random.chance(75) ? all.last! : random.pick(all)
    }

    /// Whether a value of `a` may go where `b` is expected (the subtyping the generator uses:
    /// equal types, non-null into nullable, any function reference into funcref).
    func isSubtype(_ a: ValType, of b: ValType) -> Bool {
        if a == b { return true }
        guard let a = a.refType, let b = b.refType else { return false }
        if a.nullable && !b.nullable { return false }
        if b.heapType == .func { return a.heapType == .func || a.heapType.isConcrete }
        return a.heapType == b.heapType
    }

    /// A reference of a type 2.0 has not: `(ref null? $t)`, funcref or exnref.
    mutating func referenceValue(_ reference: RefType, depth: Int) {
        let type = ValType.ref(reference)
        if reference.heapType == .exn {
            exceptionReferenceValue(depth: depth)
            return
        }
        if depth >= limits.depth {
            referenceLeaf(reference)
            return
        }
        let target: UInt32? = if case .concrete(let index) = reference.heapType { index } else { nil }
        switch random.int(0...13) {
        case 0...2: referenceLeaf(reference)
        case 3 where !reference.nullable && target != nil:
            // ref.as_non_null of a nullable one (traps on null).
            value(.ref(RefType(nullable: true, reference.heapType)), depth: depth + 1)
            code.byte(0xD4)
        case 4:
            value(type, depth: depth + 1)
            value(type, depth: depth + 1)
            value(.i32, depth: depth + 1)
            code.byte(0x1C); code.u32(1); code.valType(type)  // select (result t)
        case 5:
            valueInBlock(type, depth: depth)
        case 6:
            valueInIf(type, depth: depth)
        case 7 where !writableLocals(type).isEmpty:
            value(type, depth: depth + 1)
            code.byte(0x22); code.u32(UInt32(random.pick(writableLocals(type))))  // local.tee
        case 8:
            if !call(depth: depth, returning: type) { referenceLeaf(reference) }
        case 9:
            // table.get of a table whose elements fit.
            let tables = wasm3.tables.indices.filter { isSubtype(wasm3.tables[$0].element, of: type) }
            if let k = random.pickIfAny(tables) {
                tableIndexValue(k + 2, depth: depth)
                code.byte(0x25); code.u32(UInt32(k + 2))
            } else if type == .funcRef {
                value(.i32, depth: depth + 1)
                code.byte(0x25); code.u32(0)
            } else {
                referenceLeaf(reference)
            }
        case 10 where target != nil:
            // br_on_non_null: the non-null reference leaves the block, null falls through to
            // another value.
            let nonNull = ValType.ref(RefType(nullable: false, reference.heapType))
            code.byte(0x02); code.valType(nonNull)
            labels.append([nonNull])
            value(.ref(RefType(nullable: true, reference.heapType)), depth: depth + 1)
            code.byte(0xD6); code.u32(0)
            value(nonNull, depth: depth + 1)
            labels.removeLast()
            code.byte(0x0B)
        case 11 where target != nil:
            // br_on_null: null branches out of the inner block to another value; non-null
            // stays on the stack and leaves the outer block.
            let nonNull = ValType.ref(RefType(nullable: false, reference.heapType))
            code.byte(0x02); code.valType(nonNull)
            labels.append([nonNull])
            code.byte(0x02); code.byte(0x40)
            labels.append([])
            value(.ref(RefType(nullable: true, reference.heapType)), depth: depth + 1)
            code.byte(0xD5); code.u32(0)
            code.byte(0x0C); code.u32(1)
            labels.removeLast()
            code.byte(0x0B)
            value(nonNull, depth: depth + 1)
            labels.removeLast()
            code.byte(0x0B)
        case 12:
            if !callReference(returning: type, depth: depth) { referenceLeaf(reference) }
        default:
            referenceLeaf(reference)
        }
    }

    /// A reference without nested code: a local or global that holds one (of the type or a
    /// subtype), `ref.func` of a function of the type, or null.
    mutating func referenceLeaf(_ reference: RefType) {
        let type = ValType.ref(reference)
        let locals = self.locals.indices.filter { isSubtype(self.locals[$0], of: type) && !wasm3.uninitialized.contains($0) }
        let globals = self.globals.indices.filter { isSubtype(self.globals[$0].type, of: type) }
        let functions: [Int] = switch reference.heapType {
        case .concrete(let index):
            laterFunctions(ofType: Int(index)).isEmpty || random.chance(10)
                ? self.functions(ofType: Int(index)) : laterFunctions(ofType: Int(index))
        case .func: Array(importCount..<functionTypes.count)
        default: []
        }
        switch random.int(0...7) {
        case 0...1 where !locals.isEmpty:
            code.byte(0x20); code.u32(UInt32(random.pick(locals)))
        case 2 where !globals.isEmpty:
            code.byte(0x23); code.u32(UInt32(random.pick(globals)))
        case 3 where reference.nullable:
            code.byte(0xD0); code.heapType(reference.heapType)
        default:
            if let function = random.pickIfAny(functions) {
                code.byte(0xD2); code.u32(UInt32(function))
            } else if reference.nullable {
                code.byte(0xD0); code.heapType(reference.heapType)
            } else {
                // Every target type has a function: nothing else is asked for non-null.
                preconditionFailure("no function for \(reference)")
            }
        }
    }

    /// `call_ref` through a nullable reference to a target type whose results are
    /// `[type]`; false when there is none.
    @discardableResult
    mutating func callReference(returning type: ValType, depth: Int) -> Bool {
        let targets = callableTargets.filter { types[$0].results == [type] }
        guard let target = random.pickIfAny(targets) else { return false }
        values(types[target].params, depth: depth + 1)
        value(.ref(RefType(nullable: true, .concrete(UInt32(target)))), depth: depth + 1)
        code.byte(0x14); code.u32(UInt32(target))
        return true
    }

    /// A call through a typed reference, results dropped: plain `call_ref` (traps on null),
    /// or guarded by `br_on_null` (the arguments go to the label when null) or
    /// `br_on_non_null` (null is replaced by another function).
    mutating func referenceStatement(depth: Int) {
        guard let target = random.pickIfAny(callableTargets) else {
            code.byte(0x01)  // nop: the last functions call no reference of their own type
            return
        }
        let type = types[target]
        let nullable = ValType.ref(RefType(nullable: true, .concrete(UInt32(target))))
        let nonNull = ValType.ref(RefType(nullable: false, .concrete(UInt32(target))))
        switch random.int(0...3) {
        case 0, 1:
            values(type.params, depth: depth + 1)
            value(nullable, depth: depth + 1)
            code.byte(0x14); code.u32(UInt32(target))
            dropAll(type.results)
        case 2:
            // block (result params) params ref br_on_null 0 call_ref drop(results) params end
            code.byte(0x02); blockTypeImmediate(FuncType(params: [], results: type.params))
            labels.append(type.params)
            values(type.params, depth: depth + 1)
            value(nullable, depth: depth + 1)
            code.byte(0xD5); code.u32(0)
            code.byte(0x14); code.u32(UInt32(target))
            dropAll(type.results)
            values(type.params, depth: depth + 1)
            labels.removeLast()
            code.byte(0x0B)
            if random.chance(50) { dropAll(type.params) } else { consume(type.params) }
        default:
            // params (block (result (ref $t)) ref br_on_non_null 0 fallback) call_ref
            values(type.params, depth: depth + 1)
            code.byte(0x02); code.valType(nonNull)
            labels.append([nonNull])
            value(nullable, depth: depth + 1)
            code.byte(0xD6); code.u32(0)
            value(nonNull, depth: depth + 1)
            labels.removeLast()
            code.byte(0x0B)
            code.byte(0x14); code.u32(UInt32(target))
            dropAll(type.results)
        }
    }
}

extension HeapType {
    var isConcrete: Bool { if case .concrete = self { true } else { false } }
}
