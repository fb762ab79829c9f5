import Kiln

/// Exception handling: tags, `throw`, `throw_ref`, `try_table` with every clause kind, the
/// legacy `try`/`catch`/`catch_all`/`delegate`/`rethrow`, and exceptions that cross calls
/// and host code (`host.throw` throws with the imported tag; `host.call` lets what the
/// export it calls throws pass through).
///
/// Tag 0 is `host.tag` (imported, `ModuleGenerator.hostTagType`); the defined tags (1–3,
/// parameters of the signature types) are exported as `tag1`, ... so an uncaught exception
/// names its tag. A `try_table`'s clauses branch to handler blocks of their own around it
/// (or, now and then, to an enclosing label whose types fit: a loop to retry, the function
/// to return); the handlers store or drop what they caught, rethrow exnrefs with
/// `throw_ref` (at once or on a condition), log a marker, and may throw again.
extension ModuleGenerator {
    mutating func declareTags() {
        guard wasm3.on.contains(.exceptions) else { return }
        wasm3.tags.append(typeIndex(Self.hostTagType))
        wasm3.importedTags = 1
        var choices = Self.signatureTypes
        if let target = wasm3.referenceTargets.first { choices.append(.ref(RefType(nullable: true, .concrete(UInt32(target))))) }
        for _ in 0..<random.int(1...3) {
            let params = (0..<random.int(0...3)).map { _ in random.pick(choices) }
            wasm3.tags.append(typeIndex(FuncType(params: params, results: [])))
        }
    }

    func encodeTagImports(_ s: inout ByteWriter) {
        for tag in 0..<wasm3.importedTags {
            s.name("host"); s.name("tag"); s.byte(0x04); s.byte(0x00); s.u32(UInt32(wasm3.tags[tag]))
        }
    }

    func encodeTags(_ s: inout ByteWriter) {
        s.u32(UInt32(wasm3.tags.count - wasm3.importedTags))
        for type in wasm3.tags[wasm3.importedTags...] {
            s.byte(0x00); s.u32(UInt32(type))
        }
    }

    func tagParams(_ tag: Int) -> [ValType] { types[wasm3.tags[tag]].params }

    /// `throw` of a random tag with values: the rest is unreachable.
    mutating func throwInstruction(depth: Int) {
        let tag = random.int(0..<wasm3.tags.count)
        values(tagParams(tag), depth: depth + 1)
        code.byte(0x08); code.u32(UInt32(tag))
    }

    /// A throw on a condition, or now and then unconditionally.
    mutating func throwStatement(depth: Int) {
        if random.chance(15) {
            throwInstruction(depth: depth)
            return
        }
        value(.i32, depth: depth + 1)
        code.byte(0x04); code.byte(0x40)
        labels.append([])
        throwInstruction(depth: depth + 1)
        labels.removeLast()
        code.byte(0x0B)
    }

    /// `throw_ref` on a condition, of an exnref caught right there, or one from a local or
    /// global (often null: a trap).
    mutating func throwReferenceStatement(depth: Int) {
        value(.i32, depth: depth + 1)
        code.byte(0x04); code.byte(0x40)
        labels.append([])
        if random.chance(70) { catchingValue(depth: depth + 1) } else { value(.exnRef, depth: depth + 1) }
        code.byte(0x0A)
        labels.removeLast()
        code.byte(0x0B)
    }

    /// Something that throws more often than not: `throw`, `host.throw`, a call (which may
    /// throw in the callee), `host.call` (which may throw in the export it calls).
    mutating func throwingStatement(depth: Int) {
        var kinds = [0, 0, 1]
        if wasm3.hostThrow != nil { kinds += [2, 2] }
        if wasm3.hostCall != nil { kinds.append(3) }
        switch random.pick(kinds) {
        case 1 where call(depth: depth, discard: true): break
        case 2:
            if random.chance(70) { code.byte(0x41); code.s32(Int32(random.int(0...15))) } else { value(.i32, depth: depth + 1) }
            code.byte(0x10); code.u32(wasm3.hostThrow!)
        case 3: hostCall(depth: depth, discard: true)
        default: throwStatement(depth: depth)
        }
    }

    /// A statement of the generator's numbering (the shrinker may cut it).
    mutating func countedStatement(_ body: (inout ModuleGenerator) -> Void) {
        let serial = statementCount
        statementCount += 1
        let start = code.bytes.count
        body(&self)
        if limits.droppedStatements.contains(serial) { code.bytes.removeSubrange(start...) }
    }

    /// The inside of a `try_table` or legacy `try` (as `arm`): its parameters stored, then
    /// statements, often something that throws, and the results.
    mutating func exceptionBody(_ type: FuncType, depth: Int) {
        let keepParameters = !type.params.isEmpty && random.chance(40)
        if !keepParameters { consume(type.params) }
        labels.append(type.results)
        for _ in 0..<random.int(0...max(1, limits.statements / 2)) { statement(depth: depth + 1) }
        if random.chance(65) { countedStatement { $0.throwingStatement(depth: depth + 1) } }
        if keepParameters { consume(type.params) }
        values(type.results, depth: depth + 1)
        labels.removeLast()
    }

    /// A `try_table` of `type` with 1–4 clauses, inside a block `$done` of its results and a
    /// block per handler:
    ///
    ///     block $done (result r*)
    ///       block $h1 (result h1*) ... block $hn (result hn*)
    ///         p* try_table (type) (catch... $hi) ... end
    ///         br $done
    ///       end   ;; hn* on the stack: handler n, then r*, br $done
    ///       ...
    ///     end     ;; h1*: handler 1, then r* fall through
    ///
    /// The results stay on the stack with `keepResults`, else are dropped or stored.
    mutating func tryTable(_ type: FuncType, depth: Int, keepResults: Bool) {
        // Clauses: (kind, tag, label position in `labels` once the blocks are open, or a handler).
        var handlers: [[ValType]] = []
        var clauses: [(kind: UInt8, tag: Int, label: Int?, handler: Int?)] = []
        for _ in 0..<random.int(1...4) {
            let kind = UInt8(random.int(0...3))  // catch, catch_ref, catch_all, catch_all_ref
            let tag = random.int(0..<wasm3.tags.count)
            var types = kind < 2 ? tagParams(tag) : []
            if kind == 1 || kind == 3 { types.append(.exnRef) }
            let fitting = labels.indices.filter { labels[$0] == types }
            if random.chance(15), let label = random.pickIfAny(fitting) {
                clauses.append((kind, tag, label, nil))
            } else if random.chance(25), let shared = handlers.firstIndex(of: types) {
                clauses.append((kind, tag, nil, shared))  // two clauses, one handler
            } else {
                handlers.append(types)
                clauses.append((kind, tag, nil, handlers.count - 1))
            }
        }
        code.byte(0x02); blockTypeImmediate(FuncType(params: [], results: type.results))
        labels.append(type.results)
        for handler in handlers {
            code.byte(0x02); blockTypeImmediate(FuncType(params: [], results: handler))
            labels.append(handler)
        }
        values(type.params, depth: depth + 1)
        code.byte(0x1F); blockTypeImmediate(type)
        code.u32(UInt32(clauses.count))
        for clause in clauses {
            code.byte(clause.kind)
            if clause.kind < 2 { code.u32(UInt32(clause.tag)) }
            // Clause labels count from outside the try_table.
            let position = clause.label ?? (labels.count - handlers.count + clause.handler!)
            code.u32(UInt32(labels.count - 1 - position))
        }
        exceptionBody(type, depth: depth)
        code.byte(0x0B)
        code.byte(0x0C); code.u32(UInt32(handlers.count))  // br $done
        for j in handlers.indices.reversed() {
            code.byte(0x0B)  // the end of handler j's block: what it caught is on the stack
            labels.removeLast()
            handlerCode(handlers[j], marker: Int32(1000 + 16 * depth + j), depth: depth)
            values(type.results, depth: depth + 1)
            if j > 0 { code.byte(0x0C); code.u32(UInt32(j)) }  // on to $done's end
        }
        code.byte(0x0B)
        labels.removeLast()
        if !keepResults {
            if random.chance(50) { dropAll(type.results) } else { consume(type.results) }
        }
    }

    /// What a handler does with what it caught (on the stack as `types`): an exnref is
    /// rethrown (`throw_ref`, at once or on a condition), stored in a local or a global, or
    /// dropped; the tag's values are stored or dropped; then a marker for the host log and
    /// a statement or two (which may throw again).
    mutating func handlerCode(_ types: [ValType], marker: Int32, depth: Int) {
        var rest = types
        if rest.last == .exnRef {
            rest.removeLast()
            let scratch = writableLocals(.exnRef)
            let global = globals.indices.first { globals[$0].type == .exnRef && globals[$0].mutable }
            switch random.int(0...5) {
            case 0:
                code.byte(0x0A)  // throw_ref: on to the next handler out, as it was
            case 1 where !scratch.isEmpty:
                code.byte(0x21); code.u32(UInt32(random.pick(scratch)))
            case 2 where !scratch.isEmpty:
                let local = UInt32(random.pick(scratch))
                code.byte(0x21); code.u32(local)
                value(.i32, depth: depth + 1)
                code.byte(0x04); code.byte(0x40)
                labels.append([])
                code.byte(0x20); code.u32(local)
                code.byte(0x0A)
                labels.removeLast()
                code.byte(0x0B)
            case 3 where global != nil:
                code.byte(0x24); code.u32(UInt32(global!))
            default:
                code.byte(0x1A)
            }
        }
        if random.chance(50) { consume(rest) } else { dropAll(rest) }
        if random.chance(60) { logMarker(marker) }
        for _ in 0..<random.int(0...2) { statement(depth: depth + 1) }
    }

    /// An exnref: a local, a global or null, or one caught right here: a block around a
    /// `try_table` whose `catch_all_ref` (or `catch_ref`, the values then dropped) branches
    /// out of it with the exception (null when nothing was thrown).
    mutating func exceptionReferenceValue(depth: Int) {
        guard wasm3.throwing, depth < limits.depth, random.chance(50) else {
            let locals = self.locals.indices.filter { self.locals[$0] == .exnRef }
            let globals = self.globals.indices.filter { self.globals[$0].type == .exnRef }
            switch random.int(0...3) {
            case 0...1 where !locals.isEmpty: code.byte(0x20); code.u32(UInt32(random.pick(locals)))
            case 2 where !globals.isEmpty: code.byte(0x23); code.u32(UInt32(random.pick(globals)))
            default: code.byte(0xD0); code.byte(0x69)  // ref.null exn
            }
            return
        }
        if random.chance(25) {
            value(.exnRef, depth: depth + 1)
            value(.exnRef, depth: depth + 1)
            value(.i32, depth: depth + 1)
            code.byte(0x1C); code.u32(1); code.valType(.exnRef)  // select (result exnref)
            return
        }
        catchingValue(depth: depth)
    }

    /// An exnref caught by a `try_table` right here (null when nothing was thrown).
    mutating func catchingValue(depth: Int) {
        let scratch = writableLocals(.exnRef)
        let tag = random.int(0..<wasm3.tags.count)
        let withValues = !scratch.isEmpty && random.chance(40)
        let params = withValues ? tagParams(tag) : []
        code.byte(0x02); blockTypeImmediate(FuncType(params: [], results: params + [.exnRef]))
        labels.append(params + [.exnRef])
        code.byte(0x1F); code.byte(0x40)
        code.u32(1)
        if withValues { code.byte(0x01); code.u32(UInt32(tag)) } else { code.byte(0x03) }
        code.u32(0)
        labels.append([])
        for _ in 0..<random.int(0...2) { statement(depth: depth + 1) }
        if random.chance(70) { countedStatement { $0.throwingStatement(depth: depth + 1) } }
        labels.removeLast()
        code.byte(0x0B)
        values(params, depth: depth + 1)
        code.byte(0xD0); code.byte(0x69)
        labels.removeLast()
        code.byte(0x0B)
        if withValues {
            let local = UInt32(random.pick(scratch))
            code.byte(0x21); code.u32(local)
            dropAll(params)
            code.byte(0x20); code.u32(local)
        }
    }

    /// A legacy `try` of `type`: its body, then `delegate` to an enclosing label, or `catch`
    /// clauses and a `catch_all` whose bodies may `rethrow` (on a condition) to any enclosing
    /// catch.
    mutating func legacyTry(_ type: FuncType, depth: Int, keepResults: Bool) {
        values(type.params, depth: depth + 1)
        code.byte(0x06); blockTypeImmediate(type)
        exceptionBody(type, depth: depth)
        if random.chance(20) {
            // The label counts from outside the try; the function's label sends the
            // exception to the caller.
            let target = random.int(0..<labels.count)
            code.byte(0x18); code.u32(UInt32(labels.count - 1 - target))
        } else {
            let catches = random.int(0...2)
            for i in 0..<catches {
                let tag = random.int(0..<wasm3.tags.count)
                code.byte(0x07); code.u32(UInt32(tag))
                catchBody(tagParams(tag), results: type.results, marker: Int32(2000 + 16 * depth + i), depth: depth)
            }
            if catches == 0 || random.chance(50) {
                code.byte(0x19)
                catchBody([], results: type.results, marker: Int32(2008 + 16 * depth), depth: depth)
            }
            code.byte(0x0B)
        }
        if !keepResults { dropAll(type.results) }
    }

    private mutating func catchBody(_ params: [ValType], results: [ValType], marker: Int32, depth: Int) {
        labels.append(results)
        let position = labels.count - 1
        wasm3.catchLabels.insert(position)
        if random.chance(50) { consume(params) } else { dropAll(params) }
        if random.chance(60) { logMarker(marker) }
        for _ in 0..<random.int(0...2) { statement(depth: depth + 1) }
        if random.chance(35), let target = random.pickIfAny(wasm3.catchLabels.sorted()) {
            value(.i32, depth: depth + 1)
            code.byte(0x04); code.byte(0x40)
            labels.append([])
            code.byte(0x09); code.u32(UInt32(labels.count - 1 - target))  // rethrow
            labels.removeLast()
            code.byte(0x0B)
        }
        values(results, depth: depth + 1)
        wasm3.catchLabels.remove(position)
        labels.removeLast()
    }
}
