import CKilnShims

/// A compiled function's exception handlers (`try_table`s and legacy `try`s): the innermost
/// handler at each call site inside one, keyed by the call's return-address offset as stack
/// maps are, and each handler's clauses. Nothing runs when a handler's block is entered: a
/// throw finds its handler here.
struct CompiledHandlers: Sendable {
    struct Clause: Sendable {
        var kind: CatchClause.Kind
        /// The tag's index in the module, for `catch` and `catch_ref`.
        var tag: UInt32
        /// The landing pad's offset in the module's code memory.
        var landing: Int
        /// Where the pad expects the exception's values and the exception itself (`_ref`
        /// kinds, legacy arms): byte offsets from the frame pointer (a v128 takes 16 bytes).
        var valueOffsets: [Int32]
        var exceptionOffset: Int32?
    }

    struct Handler: Sendable {
        var clauses: [Clause]
        /// The handler to try when no clause matches (the enclosing one, or a `delegate`'s
        /// target), or -1: the calling frame's.
        var next: Int
    }

    var handlers: [Handler] = []
    /// (return-address offset into the code memory, innermost handler), sorted by offset.
    var callSites: [(offset: Int, handler: Int)] = []
    /// Bytes from the frame pointer down to the stack pointer inside the function's body.
    var frameBytes = 0

    /// Every field, for comparisons in tests.
    var description: String {
        let clauses = handlers.map { handler in
            handler.clauses.map { "\($0.kind) \($0.tag) \($0.landing) \($0.valueOffsets) \(String(describing: $0.exceptionOffset))" }
                .joined(separator: ", ") + " next \(handler.next)"
        }
        return "\(clauses) sites \(callSites.map { "\($0.offset):\($0.handler)" }) frame \(frameBytes)"
    }

    /// Moves the call sites and landing pads by `distance` bytes (code compiled apart,
    /// placed in the module).
    mutating func shift(by distance: Int) {
        guard distance != 0 else { return }
        for i in callSites.indices { callSites[i].offset += distance }
        for h in handlers.indices {
            for c in handlers[h].clauses.indices { handlers[h].clauses[c].landing += distance }
        }
    }

    /// The innermost handler around the call whose return address is at `offset`, or -1.
    func handler(atReturnOffset offset: Int) -> Int {
        let i = callSites.partitionPoint { $0.offset < offset }
        return i < callSites.count && callSites[i].offset == offset ? callSites[i].handler : -1
    }
}

extension CompiledHandlers {
    /// For compiled artifacts: handler count (u32); per handler its clause count (u32),
    /// per clause kind (u8), tag (u32), landing offset (u32), value offset count (u32) and
    /// offsets (i32 each), whether there is an exception offset (u8) and it (i32); then the
    /// next handler (i32). Then the call sites (count u32; offset u32, handler i32 each) and
    /// the frame size (u32).
    func write(to writer: inout ArtifactWriter) {
        writer.u32(UInt32(handlers.count))
        for handler in handlers {
            writer.u32(UInt32(handler.clauses.count))
            for clause in handler.clauses {
                writer.u8(clause.kind.rawValue)
                writer.u32(clause.tag)
                writer.u32(UInt32(clause.landing))
                writer.u32(UInt32(clause.valueOffsets.count))
                for offset in clause.valueOffsets { writer.i32(offset) }
                writer.u8(clause.exceptionOffset == nil ? 0 : 1)
                writer.i32(clause.exceptionOffset ?? 0)
            }
            writer.i32(Int32(handler.next))
        }
        writer.u32(UInt32(callSites.count))
        for site in callSites {
            writer.u32(UInt32(site.offset))
            writer.i32(Int32(site.handler))
        }
        writer.u32(UInt32(frameBytes))
    }

    /// Reads what `write` wrote, checking kinds, tags (below `tagCount`), landing pads
    /// (inside the code), handler links and call sites (ascending).
    init(reading reader: inout ArtifactReader, codeLength: Int, tagCount: Int) throws {
        self.init()
        let handlerCount = try reader.count(elementSize: 8, what: "handlers")
        handlers.reserveCapacity(handlerCount)
        for _ in 0..<handlerCount {
            let clauseCount = try reader.count(elementSize: 18, what: "catch clauses")
            var clauses: [Clause] = []
            clauses.reserveCapacity(clauseCount)
            for _ in 0..<clauseCount {
                let at = reader.offset
                guard let kind = CatchClause.Kind(rawValue: try reader.u8()) else {
                    throw KilnError("compiled artifact: unknown catch clause kind at offset \(at)")
                }
                let tag = try reader.u32()
                let landing = Int(try reader.u32())
                guard (kind != .catch && kind != .catchRef) || Int(tag) < tagCount, landing < codeLength else {
                    throw KilnError("compiled artifact: catch clause tag or landing pad out of range at offset \(at)")
                }
                let valueCount = try reader.count(elementSize: 4, what: "landing value offsets")
                var valueOffsets: [Int32] = []
                valueOffsets.reserveCapacity(valueCount)
                for _ in 0..<valueCount { valueOffsets.append(try reader.i32()) }
                let hasException = try reader.u8()
                let exceptionOffset = try reader.i32()
                clauses.append(Clause(kind: kind, tag: tag, landing: landing, valueOffsets: valueOffsets,
                                      exceptionOffset: hasException != 0 ? exceptionOffset : nil))
            }
            let at = reader.offset
            let next = Int(try reader.i32())
            guard next >= -1, next < handlerCount else {
                throw KilnError("compiled artifact: handler link \(next) out of range at offset \(at)")
            }
            handlers.append(Handler(clauses: clauses, next: next))
        }
        let siteCount = try reader.count(elementSize: 8, what: "call sites")
        callSites.reserveCapacity(siteCount)
        for _ in 0..<siteCount {
            let at = reader.offset
            let offset = Int(try reader.u32()), handler = Int(try reader.i32())
            guard offset <= codeLength, handler >= -1, handler < handlerCount,
                  callSites.last.map({ $0.offset < offset }) ?? true
            else { throw KilnError("compiled artifact: call site out of range or order at offset \(at)") }
            callSites.append((offset, handler))
        }
        frameBytes = Int(try reader.u32())
    }
}

/// Finds where a wasm exception lands in machine code: walks the frames by the frame-pointer
/// chain from a call site, looks each return address up in its function's handlers, and
/// prepares the landing pad of the first clause that matches (its values written into the
/// frame, `KilnStoreRuntime.resume*` set for `kiln_trap`'s KILN_TRAP_RESUME).
enum ExceptionUnwinder {
    /// Where a wasm frame's prologue saved its caller's VMContext register, from its frame
    /// pointer (x86-64: r15 pushed below the saved rbp; AArch64: x19 stored below the record).
    #if arch(arm64)
        static let savedCallerVMContextOffset = -16
    #else
        static let savedCallerVMContextOffset = -8
    #endif

    /// Looks for a handler from the wasm frame `fp`, stopped at the call whose return address
    /// is `pc`, whose VMContext is `vmctx`; outward through machine-code frames only (the
    /// walk ends at the first frame that is not generated code: host or trampoline frames,
    /// which see the exception as a Swift error). Returns whether one was found.
    static func prepareLanding(_ exception: Exception, fp: UInt, pc: UInt, vmctx: UnsafeMutableRawPointer,
                               store: StoreContext) -> Bool {
        var fp = fp, pc = pc, vmctx = vmctx
        let payload = exception.payload
        while fp != 0 {
            guard vmctx.load(as: UInt32.self) == UInt32(KILN_VMCTX_MAGIC_INSTANCE),
                  let address = UnsafeRawPointer(bitPattern: pc) else { return false }
            let instance = InstanceHandle.from(vmctx: vmctx)
            guard let compiled = instance.module.compiled, let function = compiled.definedFunction(containing: address),
                  function < compiled.handlers.count
            else { return false }
            let tables = compiled.handlers[function]
            var h = tables.handler(atReturnOffset: address - UnsafeRawPointer(compiled.memory.base))
            while h >= 0 {
                for clause in tables.handlers[h].clauses {
                    switch clause.kind {
                    case .catch, .catchRef: guard instance.tags[Int(clause.tag)] === payload.tag else { continue }
                    case .catchAll, .catchAllRef: break
                    }
                    land(exception, clause, fp: fp, vmctx: vmctx, compiled: compiled, frameBytes: tables.frameBytes, store: store)
                    return true
                }
                h = tables.handlers[h].next
            }
            // On to the caller: its VMContext is what this frame's prologue saved.
            let frame = UnsafePointer<UInt>(bitPattern: fp)!
            vmctx = UnsafeRawPointer(bitPattern: fp)!
                .load(fromByteOffset: savedCallerVMContextOffset, as: UnsafeMutableRawPointer.self)
            pc = frame[1]
            fp = frame[0]
            // Only a wasm frame's return address leads to another wasm frame.
            guard let next = UnsafeRawPointer(bitPattern: pc),
                  store.instances.contains(where: { $0.module.compiled?.definedFunction(containing: next) != nil })
            else { return false }
        }
        return false
    }

    private static func land(_ exception: Exception, _ clause: CompiledHandlers.Clause, fp: UInt,
                             vmctx: UnsafeMutableRawPointer, compiled: CompiledModule, frameBytes: Int, store: StoreContext) {
        let frame = UnsafeMutableRawPointer(bitPattern: fp)!
        let payload = exception.payload
        // No stack map names the pad's slots yet: rooting must not collect between the writes.
        store.reserveActivations(payload.tag.type.params.count + 1)
        if clause.kind == .catch || clause.kind == .catchRef {
            for ((value, type), offset) in zip(zip(payload.values, payload.tag.type.params), clause.valueOffsets) {
                frame.storeBytes(of: value.lo, toByteOffset: Int(offset), as: UInt64.self)
                if type == .v128 { frame.storeBytes(of: value.hi, toByteOffset: Int(offset) + 8, as: UInt64.self) }
                // The frame holds the value now: root counted references in the store.
                if type.isCountedReference, let raw = value.externref { store.enterWasm(raw) }
            }
        }
        if let offset = clause.exceptionOffset {
            store.enterWasm(exception.toRaw())
            frame.storeBytes(of: UInt64(UInt(bitPattern: exception.toRaw())), toByteOffset: Int(offset), as: UInt64.self)
        }
        let runtime = store.runtime
        runtime.pointee.resumePC = UInt(bitPattern: compiled.memory.base + clause.landing)
        runtime.pointee.resumeFP = fp
        runtime.pointee.resumeSP = fp - UInt(frameBytes)
        runtime.pointee.resumeVMContext = vmctx
    }
}
