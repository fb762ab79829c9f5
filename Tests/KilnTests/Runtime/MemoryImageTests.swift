import Foundation
import Testing
@testable import Kiln

/// `Config.memoryInitCOW`: data segments mapped copy-on-write from a per-module image give
/// the same memory as copying them, writes stay private to each instance, and pooled slots
/// reused by the same or another module show the pristine image or zeros.
@Suite struct MemoryImageTests {
    /// (engine, bounds checks, pooled, keep resident)
    static let setups: [(Config.Strategy, Config.BoundsChecks, Bool, Int)] = [
        (.jit, .guardPages, false, 0), (.jit, .explicit, false, 0), (.interpreter, .guardPages, false, 0),
        (.interpreter, .explicit, false, 0), (.jit, .guardPages, true, 0), (.jit, .explicit, true, 0),
        (.interpreter, .guardPages, true, 0), (.interpreter, .explicit, true, 0), (.jit, .guardPages, true, 1 << 20),
        (.interpreter, .explicit, true, 65_536),
    ]

    static func engine(_ setup: (Config.Strategy, Config.BoundsChecks, Bool, Int), cow: Bool = true) throws -> Engine {
        var config = Config(strategy: setup.0)
        config.boundsChecks = setup.1
        config.memoryInitCOW = cow
        if setup.2 {
            config.allocationStrategy = .pooling(PoolingAllocationConfig(totalMemories: 4, maxMemorySize: 1 << 24,
                                                                         linearMemoryKeepResident: setup.3))
        }
        return try Engine(config)
    }

    static var isLinux: Bool {
        #if os(Linux)
        true
        #else
        false
        #endif
    }

    /// Modules whose memories CoW initializes, each with an accessor `peek` and `poke`.
    static let eligible: [String] = [
        // Several segments, overlapping ones (the later wins), at page edges.
        """
        (memory (export "memory") 3)
        (data (i32.const 0) "abc")
        (data (i32.const 4094) "\\01\\02\\03\\04")
        (data (i32.const 65534) "edge")
        (data (i32.const 100) "0123456789")
        (data (i32.const 104) "XY")
        (data (i32.const 131072) "third page")
        (data (i32.const 7) "")
        """,
        // A segment ending exactly at the memory's end, one at a 4 KiB boundary.
        """
        (memory (export "memory") 2 5)
        (data (i32.const 131068) "last")
        (data (i32.const 8192) "page")
        """,
        // Extended constant offsets, and a second memory with no data.
        """
        (memory (export "memory") 1)
        (memory $other 1)
        (data (i32.add (i32.const 60000) (i32.const 1000)) "sum")
        (data (i32.mul (i32.const 3) (i32.const 1000)) "product")
        """,
        // A sparse image: data at both ends of a large memory.
        """
        (memory (export "memory") 64)
        (data (i32.const 1) "start")
        (data (i32.const 4194000) "end")
        """,
    ]

    static func module(_ body: String) -> String {
        """
        (module
          \(body)
          (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
          (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
        """
    }

    static func contents(_ engine: Engine, _ wat: String) throws -> [UInt8] {
        let store = Store(engine, data: ())
        let instance = try Instance(store, try Module(engine, wat: wat), imports: [])
        let memory = instance.getMemory(store, "memory")!
        return try memory.read(store, offset: 0, count: memory.dataSize(store))
    }

    @Test(arguments: setups)
    func contentsEqualCopying(_ setup: (Config.Strategy, Config.BoundsChecks, Bool, Int)) throws {
        let cow = try Self.engine(setup), copy = try Self.engine(setup, cow: false)
        for body in Self.eligible {
            let wat = Self.module(body)
            let module = try Module(cow, wat: wat)
            #expect((module.memoryImages.images(for: module) != nil) == Self.isLinux)
            let expected = try Self.contents(copy, wat)
            // Twice: the second instance may reuse the first's slot and image.
            #expect(try Self.contents(cow, wat) == expected)
            #expect(try Self.contents(cow, wat) == expected)
        }
    }

    /// Modules that must copy: their images are nil, and they behave as before.
    @Test func ineligibleModulesCopy() throws {
        let engine = try Engine(Config())
        let modules = [
            // A global offset.
            "(global i32 (i32.const 5)) (memory (export \"memory\") 1) (data (global.get 0) \"x\")",
            // Only passive segments.
            "(memory (export \"memory\") 1) (data \"passive\")",
            // An imported memory.
            "(import \"m\" \"memory\" (memory 1)) (data (i32.const 0) \"x\")",
        ]
        for body in modules {
            let module = try Module(engine, wat: Self.module(body))
            #expect(module.memoryImages.images(for: module) == nil)
        }
        // A segment out of bounds still traps at instantiation.
        let outOfBounds = try Module(engine, wat: Self.module("(memory (export \"memory\") 1) (data (i32.const 0) \"ok\") (data (i32.const 65535) \"ab\")"))
        #expect(outOfBounds.memoryImages.images(for: outOfBounds) == nil)
        #expect(throws: Trap.self) { try Instance(Store(engine, data: ()), outOfBounds, imports: []) }
        // With an imported memory, the segments before the trapping one stay written.
        let store = Store(engine, data: ())
        let memory = try Memory(store, type: MemoryType(min: 1))
        let partial = try Module(engine, wat: Self.module("(import \"m\" \"memory\" (memory 1)) (data (i32.const 0) \"ok\") (data (i32.const 65535) \"ab\")"))
        #expect(throws: Trap.self) { try Instance(store, partial, imports: [.memory(memory)]) }
        #expect(try memory.read(store, offset: 0, count: 2) == Array("ok".utf8))
    }

    @Test(arguments: setups)
    func writesArePrivateAndInstancesStartPristine(_ setup: (Config.Strategy, Config.BoundsChecks, Bool, Int)) throws {
        let engine = try Self.engine(setup)
        let wat = Self.module(Self.eligible[0])
        let module = try Module(engine, wat: wat)
        let pristine = try Self.contents(try Self.engine(setup, cow: false), wat)
        func instance() throws -> (Store<Void>, Instance, Memory) {
            let store = Store(engine, data: ())
            let instance = try Instance(store, module, imports: [])
            return (store, instance, instance.getMemory(store, "memory")!)
        }
        let (storeB, b, memoryB) = try instance()
        let baseA = try { () throws -> UnsafeMutablePointer<UInt8> in
            let (storeA, a, memoryA) = try instance()
            // Wasm writes into the image's pages (and next to them) in one instance...
            for address: Int32 in [0, 1, 4095, 4096, 65535, 100, 131072, 131073, 196_000] {
                _ = try a.getFunc(storeA, "poke")!.call(storeA, [.i32(address), .i32(0x77)])
            }
            try memoryA.write(storeA, offset: 5000, [9, 9, 9])
            #expect(try a.getFunc(storeA, "peek")!.call(storeA, [.i32(0)]).first?.i32 == 0x77)
            // ...are not seen by another live instance, nor by the image.
            #expect(try b.getFunc(storeB, "peek")!.call(storeB, [.i32(0)]).first?.i32 == Int32(UInt8(ascii: "a")))
            #expect(try memoryB.read(storeB, offset: 0, count: memoryB.dataSize(storeB)) == pristine)
            return memoryA.instance.definition.pointee.base
        }()
        // The next instance (in a pooled engine, in the slot just freed) starts pristine.
        for _ in 0..<2 {
            let (store, _, memory) = try instance()
            if setup.2 { #expect(memory.instance.definition.pointee.base == baseA, "the slot is reused") }
            #expect(try memory.read(store, offset: 0, count: memory.dataSize(store)) == pristine)
            try memory.write(store, offset: 65535, [1])
        }
        #expect(try memoryB.read(storeB, offset: 0, count: memoryB.dataSize(storeB)) == pristine)
    }

    /// A slot that held one module's image, then another module's memory: zeros there.
    @Test(arguments: setups.filter { $0.2 })
    func anotherModuleInTheSlotSeesZeros(_ setup: (Config.Strategy, Config.BoundsChecks, Bool, Int)) throws {
        let engine = try Self.engine(setup)
        let withData = try Module(engine, wat: Self.module(Self.eligible[0]))
        let otherData = try Module(engine, wat: Self.module("(memory (export \"memory\") 3) (data (i32.const 70000) \"other\")"))
        let empty = try Module(engine, wat: Self.module("(memory (export \"memory\") 3)"))
        for next in [empty, otherData, withData, empty] {
            do {
                let store = Store(engine, data: ())
                let instance = try Instance(store, withData, imports: [])
                _ = try instance.getFunc(store, "poke")!.call(store, [.i32(131072), .i32(1)])
            }
            let store = Store(engine, data: ())
            let instance = try Instance(store, next, imports: [])
            let memory = instance.getMemory(store, "memory")!
            let bytes = try memory.read(store, offset: 0, count: memory.dataSize(store))
            let expected = try Self.contents(try Self.engine(setup, cow: false), next === empty ? Self.module("(memory (export \"memory\") 3)")
                : next === otherData ? Self.module("(memory (export \"memory\") 3) (data (i32.const 70000) \"other\")")
                : Self.module(Self.eligible[0]))
            #expect(bytes == expected)
        }
    }

    @Test(arguments: setups)
    func growingBeyondTheImageGivesZeros(_ setup: (Config.Strategy, Config.BoundsChecks, Bool, Int)) throws {
        let engine = try Self.engine(setup)
        let module = try Module(engine, wat: Self.module(Self.eligible[1]))
        for _ in 0..<2 {
            let store = Store(engine, data: ())
            let instance = try Instance(store, module, imports: [])
            let peek = instance.getFunc(store, "peek")!, poke = instance.getFunc(store, "poke")!
            #expect(try instance.getFunc(store, "grow")!.call(store, [.i32(2)]).first?.i32 == 2)
            #expect(try peek.call(store, [.i32(131068)]).first?.i32 == Int32(UInt8(ascii: "l")))
            #expect(try peek.call(store, [.i32(8192)]).first?.i32 == Int32(UInt8(ascii: "p")))
            for address: Int32 in [131072, 200_000, 262_143] {
                #expect(try peek.call(store, [.i32(address)]).first?.i32 == 0)
                _ = try poke.call(store, [.i32(address), .i32(5)])
            }
            _ = try poke.call(store, [.i32(8192), .i32(5)])
            #expect(try peek.call(store, [.i32(8192)]).first?.i32 == 5)
            #expect(try peek.call(store, [.i32(131068)]).first?.i32 == Int32(UInt8(ascii: "l")))
        }
    }

    /// Passive segments stay on the copy path: memory.init and data.drop as before.
    @Test(arguments: setups)
    func passiveSegmentsStillWork(_ setup: (Config.Strategy, Config.BoundsChecks, Bool, Int)) throws {
        let engine = try Self.engine(setup)
        let module = try Module(engine, wat: """
            (module
              (memory (export "memory") 1)
              (data (i32.const 10) "active")
              (data $p "passive")
              (func (export "init") (param i32) (memory.init $p (local.get 0) (i32.const 0) (i32.const 7)))
              (func (export "drop") (data.drop $p)))
            """)
        #expect((module.memoryImages.images(for: module) != nil) == Self.isLinux)
        let store = Store(engine, data: ())
        let instance = try Instance(store, module, imports: [])
        let memory = instance.getMemory(store, "memory")!
        _ = try instance.getFunc(store, "init")!.call(store, [.i32(12)])
        #expect(try memory.read(store, offset: 10, count: 9) == Array("acpassive".utf8))
        _ = try instance.getFunc(store, "drop")!.call(store, [])
        #expect(throws: Trap.self) { try instance.getFunc(store, "init")!.call(store, [.i32(0)]) }
        // Active segments count as dropped after instantiation, as when copied.
        let active = try Module(engine, wat: """
            (module (memory 1) (data $a (i32.const 0) "x")
              (func (export "init") (memory.init $a (i32.const 0) (i32.const 0) (i32.const 1))))
            """)
        let activeInstance = try Instance(store, active, imports: [])
        #expect(throws: Trap.self) { try activeInstance.getFunc(store, "init")!.call(store, []) }
    }

    /// A binary module with one memory of `pages` and `size` bytes of data at `offset`.
    static func binary(pages: UInt32, offset: UInt32, size: Int) -> [UInt8] {
        var data = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 12) }
        if !data.isEmpty { data[0] = 1 }
        let leb = WasmBytes.uleb, section = WasmBytes.section
        return WasmBytes.header
            + section(5, [1, 0] + leb(UInt64(pages)))
            + section(7, [1] + leb(6) + Array("memory".utf8) + [2, 0])
            + section(11, [1, 0, 0x41] + WasmBytes.sleb(Int64(Int32(bitPattern: offset))) + [0x0B] + leb(UInt64(data.count)) + data)
    }

    @Test(arguments: [setups[0], setups[1], setups[4], setups[5]])
    func tenMegabytesOfData(_ setup: (Config.Strategy, Config.BoundsChecks, Bool, Int)) throws {
        let engine = try Self.engine(setup)
        let bytes = Self.binary(pages: 200, offset: 12345, size: 10 << 20)
        let module = try Module(engine, bytes: bytes)
        let expected = Array(bytes.suffix(10 << 20))
        for round in 0..<3 {
            let store = Store(engine, data: ())
            let memory = try Instance(store, module, imports: []).getMemory(store, "memory")!
            #expect(try memory.read(store, offset: 12345, count: 10 << 20) == expected, "round \(round)")
            #expect(try memory.read(store, offset: 0, count: 12345).allSatisfy { $0 == 0 })
            #expect(try memory.read(store, offset: 12345 + (10 << 20), count: 4096).allSatisfy { $0 == 0 })
            try memory.withUnsafeMutableBytes(store) { bytes in
                for page in stride(from: 0, to: bytes.count, by: 4096) { bytes[page] = 0xEE }
            }
        }
    }
}
