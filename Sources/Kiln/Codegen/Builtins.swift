import CKilnShims

/// Runtime functions machine code calls for what is not worth inlining: table and bulk
/// memory operations, memory.grow, float-to-integer truncations. Each is a C-convention
/// Swift function `(vmctx, operands..., immediates...) -> KilnBuiltinResult`; a nonzero
/// `trap` (a `JITTrap` raw value) makes the caller trap. Builtins never unwind: machine code
/// raises the trap after they return.
enum Builtins {
    typealias Builtin2 = @convention(c) (UnsafeMutableRawPointer, UInt64) -> KilnBuiltinResult
    typealias Builtin3 = @convention(c) (UnsafeMutableRawPointer, UInt64, UInt64) -> KilnBuiltinResult
    typealias Builtin4 = @convention(c) (UnsafeMutableRawPointer, UInt64, UInt64, UInt64) -> KilnBuiltinResult
    typealias Builtin5 = @convention(c) (UnsafeMutableRawPointer, UInt64, UInt64, UInt64, UInt64) -> KilnBuiltinResult
    typealias Builtin6 = @convention(c) (UnsafeMutableRawPointer, UInt64, UInt64, UInt64, UInt64, UInt64) -> KilnBuiltinResult

    static func ok(_ value: UInt64 = 0) -> KilnBuiltinResult { KilnBuiltinResult(value: value, trap: 0) }
    static func trap(_ code: JITTrap) -> KilnBuiltinResult { KilnBuiltinResult(value: 0, trap: UInt64(code.rawValue)) }
    static func result(_ body: () throws(Trap) -> UInt64) -> KilnBuiltinResult {
        do { return ok(try body()) } catch { return trap(JITTrap(error.code ?? .unreachable)) }
    }

    @inline(__always) static func instance(_ vmctx: UnsafeMutableRawPointer) -> InstanceHandle {
        InstanceHandle.from(vmctx: vmctx)
    }

    @inline(__always) static func u32(_ value: UInt64) -> UInt64 { value & 0xFFFF_FFFF }
    @inline(__always) static func pointer(_ value: UInt64) -> UnsafeMutableRawPointer? { UnsafeMutableRawPointer(bitPattern: UInt(value)) }

    static let trapAddress = UInt(bitPattern: kiln_trap_address())

    static func address<F>(_ function: F) -> UInt {
        UInt(bitPattern: unsafeBitCast(function, to: UnsafeRawPointer.self))
    }

    /// A fuel or epoch check found none left: the store decides (trap, or yield inside
    /// callAsync). A safepoint.
    static let outOfFuel = address({ vmctx, _ in
        interruption(vmctx) { try $0.outOfFuel() }
    } as Builtin2)

    static let epochDeadlineReached = address({ vmctx, _ in
        interruption(vmctx) { try $0.epochDeadlineReached() }
    } as Builtin2)

    private static func interruption(_ vmctx: UnsafeMutableRawPointer, _ body: (StoreContext) throws -> Void) -> KilnBuiltinResult {
        let store = instance(vmctx).store
        do {
            try store.withExit(from: vmctx) { try body(store) }
            return ok()
        } catch let trap as Trap where trap.code == .outOfFuel || trap.code == .interrupt {
            return Builtins.trap(JITTrap(trap.code!))
        } catch {
            store.pendingError = error
            return Builtins.trap(.hostError)
        }
    }

    /// An address or length operand of memory `index`: all 64 bits for a 64-bit memory,
    /// the low 32 otherwise.
    @inline(__always) static func memoryOperand(_ value: UInt64, _ instance: InstanceHandle, memory index: UInt64) -> UInt64 {
        instance.memory(Int(index)).type.is64 ? value : u32(value)
    }

    /// An index or length operand of table `index`, likewise.
    @inline(__always) static func tableOperand(_ value: UInt64, _ table: TableInstance) -> UInt64 {
        table.type.is64 ? value : u32(value)
    }

    static let memoryGrow = address({ vmctx, delta, index in
        let memory = instance(vmctx).memory(Int(index))
        let failed: UInt64 = memory.type.is64 ? .max : 0xFFFF_FFFF
        return ok(memory.grow(by: memory.type.is64 ? delta : u32(delta)) ?? failed)
    } as Builtin3)

    static let tableGet = address({ vmctx, index, table in
        let table = instance(vmctx).table(Int(table))
        guard case .some(let value) = table.get(tableOperand(index, table)) else { return trap(.tableOutOfBounds) }
        return ok(UInt64(UInt(bitPattern: value)))
    } as Builtin3)

    /// `table.get` of an externref table: the value enters wasm frames, so it is rooted in
    /// the store's activations table (which may collect: a safepoint).
    static let tableGetExtern = address({ vmctx, index, table in
        let object = instance(vmctx)
        let table = object.table(Int(table))
        guard case .some(let value) = table.get(tableOperand(index, table)) else { return trap(.tableOutOfBounds) }
        if value != nil { object.store.withExit(from: vmctx) { object.store.enterWasm(value) } }
        return ok(UInt64(UInt(bitPattern: value)))
    } as Builtin3)

    /// `global.get` of an externref global (a safepoint, as `tableGetExtern`).
    static let globalGetExtern = address({ vmctx, index in
        let object = instance(vmctx)
        let value = object.globalSlot(Int(index)).pointee.externref
        if value != nil { object.store.withExit(from: vmctx) { object.store.enterWasm(value) } }
        return ok(UInt64(UInt(bitPattern: value)))
    } as Builtin2)

    /// `global.set` of an externref global: the global takes a count of the new value and
    /// drops the old one's.
    static let globalSetExtern = address({ vmctx, value, index in
        instance(vmctx).globalSlot(Int(index)).storeGlobal(ValRaw(lo: value), type: .externRef)
        return ok()
    } as Builtin3)

    static let tableSet = address({ vmctx, index, value, table in
        let table = instance(vmctx).table(Int(table))
        return table.set(tableOperand(index, table), pointer(value)) ? ok() : trap(.tableOutOfBounds)
    } as Builtin4)

    static let tableSize = address({ vmctx, table in
        ok(instance(vmctx).table(Int(table)).length)
    } as Builtin2)

    static let tableGrow = address({ vmctx, initial, delta, table in
        let table = instance(vmctx).table(Int(table))
        return ok(table.grow(by: tableOperand(delta, table), initial: pointer(initial)) ?? (table.type.is64 ? .max : 0xFFFF_FFFF))
    } as Builtin4)

    static let tableFill = address({ vmctx, start, value, count, table in
        let table = instance(vmctx).table(Int(table))
        return table.fill(tableOperand(start, table), pointer(value), count: tableOperand(count, table)) ? ok() : trap(.tableOutOfBounds)
    } as Builtin5)

    static let tableCopy = address({ vmctx, d, s, n, destinationIndex, sourceIndex in
        let object = instance(vmctx)
        let destination = object.table(Int(destinationIndex)), source = object.table(Int(sourceIndex))
        // The length is 64-bit only when both tables are.
        let n = destination.type.is64 && source.type.is64 ? n : u32(n)
        return destination.copy(to: tableOperand(d, destination), from: source, at: tableOperand(s, source), count: n)
            ? ok() : trap(.tableOutOfBounds)
    } as Builtin6)

    static let tableInit = address({ vmctx, d, s, n, segment, table in
        result { () throws(Trap) in
            let object = instance(vmctx)
            try object.tableInit(table: Int(table), segment: Int(segment), destination: tableOperand(d, object.table(Int(table))),
                                 source: u32(s), count: u32(n))
            return 0
        }
    } as Builtin6)

    static let elemDrop = address({ vmctx, segment in
        instance(vmctx).dropElementSegment(Int(segment))
        return ok()
    } as Builtin2)

    static let memoryInit = address({ vmctx, d, s, n, segment, memory in
        result { () throws(Trap) in
            let object = instance(vmctx)
            try object.memoryInit(memory: Int(memory), segment: Int(segment), destination: memoryOperand(d, object, memory: memory),
                                  source: u32(s), count: u32(n))
            return 0
        }
    } as Builtin6)

    static let dataDrop = address({ vmctx, segment in
        instance(vmctx).droppedData[Int(segment)] = true
        return ok()
    } as Builtin2)

    static let memoryCopy = address({ vmctx, d, s, n, destinationMemory, sourceMemory in
        let object = instance(vmctx)
        let destination = object.memoryDefinition(Int(destinationMemory)).pointee
        let source = object.memoryDefinition(Int(sourceMemory)).pointee
        let d = memoryOperand(d, object, memory: destinationMemory), s = memoryOperand(s, object, memory: sourceMemory)
        // The length is 64-bit only when both memories are.
        let n = object.memory(Int(destinationMemory)).type.is64 && object.memory(Int(sourceMemory)).type.is64 ? n : u32(n)
        guard MemoryAccess.fits(s, n, in: source.length), MemoryAccess.fits(d, n, in: destination.length) else {
            return trap(.memoryOutOfBounds)
        }
        UnsafeMutableRawPointer(destination.base + Int(d)).copyMemory(from: source.base + Int(s), byteCount: Int(n))
        return ok()
    } as Builtin6)

    static let memoryFill = address({ vmctx, d, value, n, memory in
        let object = instance(vmctx)
        let definition = object.memoryDefinition(Int(memory)).pointee
        let d = memoryOperand(d, object, memory: memory), n = memoryOperand(n, object, memory: memory)
        guard MemoryAccess.fits(d, n, in: definition.length) else { return trap(.memoryOutOfBounds) }
        (definition.base + Int(d)).update(repeating: UInt8(truncatingIfNeeded: value), count: Int(n))
        return ok()
    } as Builtin5)

    /// Float-to-integer truncations: `bits` is the float's bit pattern, `op` the
    /// `NumericOp` raw value.
    static let truncate = address({ _, bits, op in
        let f32 = Float(bitPattern: UInt32(truncatingIfNeeded: bits))
        let f64 = Double(bitPattern: bits)
        func run() throws(Trap) -> UInt64 {
            switch NumericOp(rawValue: UInt16(op))! {
            case .i32TruncF32S: return UInt64(UInt32(bitPattern: try Numerics.truncI32S(Double(f32))))
            case .i32TruncF32U: return UInt64(try Numerics.truncI32U(Double(f32)))
            case .i32TruncF64S: return UInt64(UInt32(bitPattern: try Numerics.truncI32S(f64)))
            case .i32TruncF64U: return UInt64(try Numerics.truncI32U(f64))
            case .i64TruncF32S: return UInt64(bitPattern: try Numerics.truncI64S(Double(f32)))
            case .i64TruncF32U: return try Numerics.truncI64U(Double(f32))
            case .i64TruncF64S: return UInt64(bitPattern: try Numerics.truncI64S(f64))
            case .i64TruncF64U: return try Numerics.truncI64U(f64)
            case .i32TruncSatF32S: return UInt64(UInt32(bitPattern: Numerics.truncSatI32S(Double(f32))))
            case .i32TruncSatF32U: return UInt64(Numerics.truncSatI32U(Double(f32)))
            case .i32TruncSatF64S: return UInt64(UInt32(bitPattern: Numerics.truncSatI32S(f64)))
            case .i32TruncSatF64U: return UInt64(Numerics.truncSatI32U(f64))
            case .i64TruncSatF32S: return UInt64(bitPattern: Numerics.truncSatI64S(Double(f32)))
            case .i64TruncSatF32U: return Numerics.truncSatI64U(Double(f32))
            case .i64TruncSatF64S: return UInt64(bitPattern: Numerics.truncSatI64S(f64))
            default: return Numerics.truncSatI64U(f64)
            }
        }
        return result(run)
    } as Builtin3)
}
