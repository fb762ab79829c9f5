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

    static let memoryGrow = address({ vmctx, delta in
        let memory = instance(vmctx).memory(0)
        return ok(memory.grow(by: u32(delta)).map { UInt64($0) } ?? 0xFFFF_FFFF)
    } as Builtin2)

    static let tableGet = address({ vmctx, index, table in
        guard case .some(let value) = instance(vmctx).table(Int(table)).get(u32(index)) else { return trap(.tableOutOfBounds) }
        return ok(UInt64(UInt(bitPattern: value)))
    } as Builtin3)

    /// `table.get` of an externref table: the value enters wasm frames, so it is rooted in
    /// the store's activations table (which may collect: a safepoint).
    static let tableGetExtern = address({ vmctx, index, table in
        let object = instance(vmctx)
        guard case .some(let value) = object.table(Int(table)).get(u32(index)) else { return trap(.tableOutOfBounds) }
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
        instance(vmctx).table(Int(table)).set(u32(index), pointer(value)) ? ok() : trap(.tableOutOfBounds)
    } as Builtin4)

    static let tableSize = address({ vmctx, table in
        ok(instance(vmctx).table(Int(table)).length)
    } as Builtin2)

    static let tableGrow = address({ vmctx, initial, delta, table in
        ok(instance(vmctx).table(Int(table)).grow(by: u32(delta), initial: pointer(initial)).map { UInt64($0) } ?? 0xFFFF_FFFF)
    } as Builtin4)

    static let tableFill = address({ vmctx, start, value, count, table in
        instance(vmctx).table(Int(table)).fill(u32(start), pointer(value), count: u32(count)) ? ok() : trap(.tableOutOfBounds)
    } as Builtin5)

    static let tableCopy = address({ vmctx, d, s, n, destinationIndex, sourceIndex in
        let object = instance(vmctx)
        let destination = object.table(Int(destinationIndex)), source = object.table(Int(sourceIndex))
        return destination.copy(to: u32(d), from: source, at: u32(s), count: u32(n)) ? ok() : trap(.tableOutOfBounds)
    } as Builtin6)

    static let tableInit = address({ vmctx, d, s, n, segment, table in
        result { () throws(Trap) in
            try instance(vmctx).tableInit(table: Int(table), segment: Int(segment), destination: u32(d), source: u32(s), count: u32(n))
            return 0
        }
    } as Builtin6)

    static let elemDrop = address({ vmctx, segment in
        instance(vmctx).dropElementSegment(Int(segment))
        return ok()
    } as Builtin2)

    static let memoryInit = address({ vmctx, d, s, n, segment in
        result { () throws(Trap) in
            try instance(vmctx).memoryInit(memory: 0, segment: Int(segment), destination: u32(d), source: u32(s), count: u32(n))
            return 0
        }
    } as Builtin5)

    static let dataDrop = address({ vmctx, segment in
        instance(vmctx).droppedData[Int(segment)] = true
        return ok()
    } as Builtin2)

    static let memoryCopy = address({ vmctx, d, s, n in
        let definition = instance(vmctx).memoryDefinition(0).pointee
        let d = u32(d), s = u32(s), n = u32(n)
        guard s + n <= definition.length, d + n <= definition.length else { return trap(.memoryOutOfBounds) }
        UnsafeMutableRawPointer(definition.base + Int(d)).copyMemory(from: definition.base + Int(s), byteCount: Int(n))
        return ok()
    } as Builtin4)

    static let memoryFill = address({ vmctx, d, value, n in
        let definition = instance(vmctx).memoryDefinition(0).pointee
        let d = u32(d), n = u32(n)
        guard d + n <= definition.length else { return trap(.memoryOutOfBounds) }
        (definition.base + Int(d)).update(repeating: UInt8(truncatingIfNeeded: value), count: Int(n))
        return ok()
    } as Builtin4)

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
