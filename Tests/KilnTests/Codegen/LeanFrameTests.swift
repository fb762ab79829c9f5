import Testing
@testable import Kiln

/// Lean frames (`LeanFrames.swift`) and host functions recording their caller's exit:
/// a lean leaf leaves the pinned registers as its caller had them, so callers of another
/// instance keep their own memory and globals across the call; traps in lean leaves and in
/// host functions reached through tables and tail calls still name the wasm frames below.
@Suite struct LeanFrameTests {
    static let strategies: [Config.Strategy] = JITCompiler.isSupported ? [.jit, .interpreter] : [.interpreter]

    struct HostFailure: Error {}

    /// Instance `leaves` exports lean leaves (no memory, no globals); instance `main` has its
    /// own memory and a global and calls them directly (as imports), through its table and
    /// by tail calls, reading its memory and global after every call.
    static let leaves = """
        (module
          (func $add (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
          (func $pick (export "pick") (param i32 i32 i32) (result i32)
            (local i32)
            (local.set 3 (i32.mul (local.get 1) (i32.const 3)))
            (if (result i32) (local.get 0) (then (local.get 3)) (else (i32.sub (local.get 2) (local.get 3)))))
          (func $divide (export "divide") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1))))
        """

    static let main = """
        (module
          (import "leaves" "add" (func $add (param i32 i32) (result i32)))
          (import "leaves" "pick" (func $pick (param i32 i32 i32) (result i32)))
          (import "leaves" "divide" (func $divide (param i32 i32) (result i32)))
          (type $binary (func (param i32 i32) (result i32)))
          (memory 1)
          (global $g (mut i32) (i32.const 7))
          (table funcref (elem $add $divide))
          (data (i32.const 16) "\\05\\00\\00\\00")
          ;; Sums, over n rounds, leaf results mixed with memory and the global.
          (func (export "run") (param $n i32) (result i32)
            (local $acc i32)
            (loop $next
              (local.set $acc (i32.add (call $add (local.get $acc) (i32.load (i32.const 16)))
                                       (global.get $g)))
              (local.set $acc (call_indirect (type $binary) (local.get $acc) (i32.load (i32.const 16)) (i32.const 0)))
              (local.set $acc (i32.add (call $pick (i32.and (local.get $n) (i32.const 1)) (local.get $acc) (i32.const 1000))
                                       (i32.load (i32.const 16))))
              (i32.store (i32.const 16) (i32.add (i32.load (i32.const 16)) (i32.const 1)))
              (global.set $g (i32.add (global.get $g) (i32.const 2)))
              (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (i32.add (local.get $acc) (global.get $g)))
          (func (export "tail") (param i32 i32) (result i32)
            (return_call_indirect (type $binary) (local.get 0) (local.get 1) (i32.const 1)))
          (func $divideHere (export "divideHere") (param i32 i32) (result i32)
            (i32.add (call $divide (local.get 0) (local.get 1)) (i32.load (i32.const 16)))))
        """

    /// What `run` computes, in Swift.
    static func expectedRun(_ rounds: Int32) -> Int32 {
        var n = rounds, acc: Int32 = 0, cell: Int32 = 5, g: Int32 = 7
        repeat {
            acc = acc &+ cell &+ g
            acc = acc &+ cell
            let tripled = acc &* 3
            acc = ((n & 1) != 0 ? tripled : 1000 &- tripled) &+ cell
            cell += 1
            g += 2
            n -= 1
        } while n != 0
        return acc &+ g
    }

    static func instances(_ strategy: Config.Strategy) throws -> (Store<Void>, Instance) {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let linker = Linker<Void>(engine)
        let leaves = try linker.instantiate(store, try Module(engine, wat: leaves))
        try linker.instance(store, "leaves", leaves)
        let module = try Module(engine, wat: main)
        if strategy == .jit { #expect(module.isCompiledToMachineCode) }
        return (store, try linker.instantiate(store, module))
    }

    @Test(arguments: strategies) func callersOfAnotherInstanceKeepTheirMemoryAndGlobals(_ strategy: Config.Strategy) throws {
        let (store, main) = try LeanFrameTests.instances(strategy)
        let run = try main.getTypedFunc(store, "run", Int32.self, Int32.self)
        for rounds: Int32 in [1, 2, 7, 100] {
            // Each call changes memory and the global: run on a fresh instance each time.
            let (freshStore, fresh) = try LeanFrameTests.instances(strategy)
            #expect(try fresh.getTypedFunc(freshStore, "run", Int32.self, Int32.self).call(freshStore, rounds)
                    == LeanFrameTests.expectedRun(rounds))
        }
        _ = try run.call(store, 3)
        // A tail call into another instance's lean leaf returns to Swift cleanly.
        #expect(try main.getTypedFunc(store, "tail", (Int32, Int32).self, Int32.self).call(store, 100, 7) == 14)
    }

    @Test(arguments: strategies) func trapsInLeanLeavesNameTheirCallers(_ strategy: Config.Strategy) throws {
        let (store, main) = try LeanFrameTests.instances(strategy)
        let divideHere = try main.getTypedFunc(store, "divideHere", (Int32, Int32).self, Int32.self)
        #expect(try divideHere.call(store, 50, 5) == 15)
        let trap = #expect(throws: Trap.self) { try divideHere.call(store, 1, 0) }
        #expect(trap?.code == .integerDivisionByZero)
        #expect(trap?.backtrace.compactMap(\.functionName) == ["divide", "divideHere"])
        // The instance goes on working after the trap.
        #expect(try divideHere.call(store, 9, 3) == 8)
    }

    /// Host functions reached through a table, by `call_indirect` and by
    /// `return_call_indirect`: the host entry records the caller's exit, so the trap's
    /// backtrace starts at the wasm frame the host returns to.
    @Test(arguments: strategies) func hostTrapsThroughTablesAndTailCallsNameTheWasmFrames(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let linker = Linker<Void>(engine)
        try linker.funcWrap("host", "check") { (_: Caller<Void>, x: Int32) throws -> Int32 in
            if x < 0 { throw HostFailure() }
            return x &* 2
        }
        let module = try Module(engine, wat: """
            (module
              (import "host" "check" (func $check (param i32) (result i32)))
              (type $unary (func (param i32) (result i32)))
              (table funcref (elem $check))
              (func $viaTable (export "viaTable") (param i32) (result i32)
                (i32.add (call_indirect (type $unary) (local.get 0) (i32.const 0)) (i32.const 1)))
              (func $tailToHost (param i32) (result i32)
                (return_call_indirect (type $unary) (local.get 0) (i32.const 0)))
              (func $outer (export "outer") (param i32) (result i32)
                (i32.add (call $tailToHost (local.get 0)) (i32.const 3))))
            """)
        let instance = try linker.instantiate(store, module)
        let viaTable = try instance.getTypedFunc(store, "viaTable", Int32.self, Int32.self)
        let outer = try instance.getTypedFunc(store, "outer", Int32.self, Int32.self)
        #expect(try viaTable.call(store, 4) == 9)
        #expect(try outer.call(store, 4) == 11)
        let direct = #expect(throws: Trap.self) { try viaTable.call(store, -1) }
        #expect(direct?.hostError is HostFailure)
        #expect(direct?.backtrace.compactMap(\.functionName) == ["viaTable"])
        // Machine code: `tailToHost`'s frame is gone, the host returns straight to `outer`.
        // (The interpreter still lists the tail caller for a host callee.)
        let tail = #expect(throws: Trap.self) { try outer.call(store, -1) }
        #expect(tail?.hostError is HostFailure)
        let names = tail?.backtrace.compactMap(\.functionName) ?? []
        #expect(strategy == .jit ? names == ["outer"] : names.last == "outer", "\(names)")
        #expect(try outer.call(store, 5) == 13)
    }

    /// Small bodies are read instruction by instruction: immediates holding flagged bytes
    /// keep their lean frame; any instruction outside the lean set, or bytes that do not
    /// read as instructions, lose it.
    @Test func smallBodiesAreReadInstructionByInstruction() {
        func lean(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { BodyScan.isLeanBody($0) } }
        // (local i32) i32.const 255 (41 FF 01) local.get 0 i32.and end: 0xFF is a prefix byte.
        #expect(lean([0x01, 0x01, 0x7F, 0x41, 0xFF, 0x01, 0x20, 0x00, 0x71, 0x0B]))
        // i64.const with 0x10 (call) and 0x28 (i32.load) in its bytes; f64.const of 0x10s.
        #expect(lean([0x00, 0x42, 0x90, 0xA8, 0x01, 0x1A, 0x44] + [UInt8](repeating: 0x10, count: 8) + [0x1A, 0x0B]))
        // block (result i32) / loop with a type index / if with 0x40; br_table 2 targets.
        #expect(lean([0x00, 0x02, 0x7F, 0x03, 0x00, 0x41, 0x00, 0x0E, 0x02, 0x00, 0x01, 0x00, 0x0B, 0x41, 0x01, 0x0B, 0x0B]))
        // A reference-typed local: (local (ref null func)) = 0x63 0x70.
        #expect(lean([0x01, 0x01, 0x63, 0x70, 0x0B]))
        // call 0, global.get 0, i32.load, memory.grow, i32.trunc_f32_s, ref.func, a prefix.
        #expect(!lean([0x00, 0x10, 0x00, 0x0B]))
        #expect(!lean([0x00, 0x23, 0x00, 0x1A, 0x0B]))
        #expect(!lean([0x00, 0x41, 0x00, 0x28, 0x02, 0x00, 0x1A, 0x0B]))
        #expect(!lean([0x00, 0x41, 0x00, 0x40, 0x00, 0x1A, 0x0B]))
        #expect(!lean([0x00, 0x43, 0, 0, 0, 0, 0xA8, 0x1A, 0x0B]))
        #expect(!lean([0x00, 0xD2, 0x00, 0x1A, 0x0B]))
        #expect(!lean([0x00, 0x41, 0x00, 0xFC, 0x00, 0x1A, 0x0B]))
        // Typed select is left to the full frame; so are bodies that do not read.
        #expect(!lean([0x00, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0x1C, 0x01, 0x7F, 0x1A, 0x0B]))
        #expect(!lean([0x00, 0x41, 0x80]))
        #expect(!lean([0x00, 0x44, 0x00, 0x00]))
        #expect(!lean([0x00, 0x0E, 0xFF, 0xFF, 0xFF, 0x0F, 0x00, 0x0B]))
        #expect(!lean([]))
    }

    /// The scan's bytes and the instructions a lean frame compiles say the same of every
    /// one-byte numeric and control opcode: a byte the scan lets through must be an
    /// instruction `runsInLeanFrame` accepts, or a lean function would fail to compile.
    @Test func theScanAndTheLeanInstructionsAgree() {
        for op in NumericOp.allCases where op.rawValue < 0x100 {
            let byte = UInt8(op.rawValue)
            #expect(Instruction.numeric(op).runsInLeanFrame == !BodyScan.mayUseVMContext(opcode: byte), "\(op)")
        }
        let lean: [(UInt8, Instruction)] = [
            (0x00, .unreachable), (0x01, .nop), (0x02, .block(.empty)), (0x03, .loop(.empty)), (0x04, .if(.empty)),
            (0x05, .else), (0x0B, .end), (0x0C, .br(relativeDepth: 0)), (0x0D, .brIf(relativeDepth: 0)),
            (0x0F, .return), (0x1A, .drop), (0x1B, .select), (0x1C, .typedSelect(.i32)), (0x20, .localGet(0)),
            (0x21, .localSet(0)), (0x22, .localTee(0)), (0x41, .i32Const(0)), (0x42, .i64Const(0)),
            (0x43, .f32Const(0)), (0x44, .f64Const(0)),
        ]
        for (byte, instruction) in lean {
            #expect(instruction.runsInLeanFrame && !BodyScan.mayUseVMContext(opcode: byte), "\(instruction)")
        }
        let full: [(UInt8, Instruction)] = [
            (0x08, .throw(tagIndex: 0)), (0x0A, .throwRef), (0x10, .call(functionIndex: 0)),
            (0x11, .callIndirect(typeIndex: 0, tableIndex: 0)), (0x12, .returnCall(functionIndex: 0)),
            (0x13, .returnCallIndirect(typeIndex: 0, tableIndex: 0)), (0x14, .callRef(typeIndex: 0)),
            (0x15, .returnCallRef(typeIndex: 0)), (0x23, .globalGet(0)), (0x24, .globalSet(0)), (0x25, .tableGet(0)),
            (0x26, .tableSet(0)), (0x3F, .memorySize(0)), (0x40, .memoryGrow(0)), (0xD0, .refNull(.func)),
            (0xD1, .refIsNull), (0xD2, .refFunc(0)),
        ]
        for (byte, instruction) in full {
            #expect(!instruction.runsInLeanFrame && BodyScan.mayUseVMContext(opcode: byte), "\(instruction)")
        }
        for byte in UInt8(0x28)...0x3E {
            #expect(BodyScan.mayUseMemory(opcode: byte) && BodyScan.mayUseVMContext(opcode: byte))
        }
    }
}
