import Foundation
import Testing
@testable import Kiln

/// `PoolingAllocationConfig.totalTables`, `maxTableElements` and `totalCoreInstances`:
/// tables from reused slots with nothing of the previous instance in them, limits with
/// errors naming them, recovery once instances are dropped.
@Suite struct TablePoolingTests {
    static func engine(_ strategy: Config.Strategy = .jit, tables: Int = 1000, elements: Int = 20_000,
                       instances: Int = 1000) throws -> Engine {
        var config = Config(strategy: strategy)
        config.allocationStrategy = .pooling(PoolingAllocationConfig(totalMemories: 10, maxMemorySize: 1 << 20,
                                                                     totalTables: tables, maxTableElements: elements,
                                                                     totalCoreInstances: instances))
        return try Engine(config)
    }

    static let program = """
        (module
          (type $t (func (result i32)))
          (table $funcs (export "funcs") 4 100 funcref)
          (table $externs (export "externs") 2 externref)
          (elem (table $funcs) (i32.const 1) func $seven)
          (func $seven (result i32) (i32.const 7))
          (func (export "fill") (param externref)
            (drop (table.grow $funcs (ref.func $seven) (i32.const 10)))
            (table.fill $funcs (i32.const 0) (ref.func $seven) (i32.const 14))
            (table.set $externs (i32.const 0) (local.get 0)))
          (func (export "call") (param i32) (result i32) (call_indirect $funcs (type $t) (local.get 0)))
          (func (export "size") (result i32) (table.size $funcs)))
        """

    @Test(arguments: [Config.Strategy.jit, .interpreter])
    func theNextInstanceSeesNoElementOfThePrevious(_ strategy: Config.Strategy) throws {
        let engine = try Self.engine(strategy, tables: 2)
        let module = try Module(engine, wat: Self.program)
        let reference = ExternRef(Int(42))
        do {
            let store = Store(engine, data: ())
            let instance = try Instance(store, module, imports: [])
            _ = try instance.getFunc(store, "fill")!.call(store, [.externRef(reference)])
            #expect(try instance.getFunc(store, "call")!.call(store, [.i32(13)]).first?.i32 == 7)
        }
        #expect(reference.strongCount == 1, "the pooled table dropped its count")
        #expect(engine.tablePool!.occupancy == (2, 2))
        for _ in 0..<3 {
            let store = Store(engine, data: ())
            let instance = try Instance(store, module, imports: [])
            #expect(try instance.getFunc(store, "size")!.call(store, []).first?.i32 == 4)
            let call = instance.getFunc(store, "call")!
            #expect(try call.call(store, [.i32(1)]).first?.i32 == 7)
            for index: Int32 in [0, 2, 3] {
                let error = #expect(throws: Trap.self) { try call.call(store, [.i32(index)]) }
                #expect(error?.code == .indirectCallToNull)
            }
            #expect(throws: Trap.self) { try call.call(store, [.i32(13)]) }
            let externs = instance.getTable(store, "externs")!
            guard case .externRef(let element)? = externs.get(store, 0) else { Issue.record("not an externref"); return }
            #expect(element == nil)
            // Grown elements are initialized, not what the slot held.
            #expect(try instance.getTable(store, "funcs")!.grow(store, by: 20, initial: .funcRef(nil)) == 4)
            #expect(throws: Trap.self) { try call.call(store, [.i32(13)]) }
        }
        #expect(engine.tablePool!.occupancy == (2, 2), "no slot leaked")
    }

    @Test func tooManyElementsNamesTheLimit() throws {
        let engine = try Self.engine(elements: 10)
        let error = #expect(throws: KilnError.self) {
            try Instance(Store(engine, data: ()), try Module(engine, wat: "(module (table 11 funcref))"), imports: [])
        }
        #expect("\(error!)".contains("maxTableElements of 10 (PoolingAllocationConfig.maxTableElements)"))
        // Growing stops at the limit.
        let store = Store(engine, data: ())
        let instance = try Instance(store, try Module(engine, wat: "(module (table (export \"t\") 8 funcref))"), imports: [])
        let table = instance.getTable(store, "t")!
        #expect(try table.grow(store, by: 2, initial: .funcRef(nil)) == 8)
        #expect(throws: (any Error).self) { try table.grow(store, by: 1, initial: .funcRef(nil)) }
    }

    @Test func runningOutOfTablesIsAnErrorUntilOneIsFree() throws {
        let engine = try Self.engine(tables: 3)
        let module = try Module(engine, wat: Self.program)   // two tables each
        var first: Store<Void>? = Store(engine, data: ())
        _ = try Instance(first!, module, imports: [])
        let error = #expect(throws: KilnError.self) { try Instance(Store(engine, data: ()), module, imports: []) }
        #expect("\(error!)".contains("3 table slots are all in use (PoolingAllocationConfig.totalTables)"))
        // The failed instantiation gave back the table it had taken.
        #expect(engine.tablePool!.occupancy == (3, 1))
        first = nil
        _ = first
        for _ in 0..<5 { _ = try Instance(Store(engine, data: ()), module, imports: []) }
        #expect(engine.tablePool!.occupancy == (3, 3))
    }

    @Test(arguments: [Config.Strategy.jit, .interpreter])
    func runningOutOfCoreInstancesIsAnErrorUntilOneIsFree(_ strategy: Config.Strategy) throws {
        let engine = try Self.engine(strategy, instances: 3)
        let module = try Module(engine, wat: "(module (func (export \"f\") (result i32) (i32.const 1)))")
        let store = Store(engine, data: ())
        var other: Store<Void>? = Store(engine, data: ())
        _ = try Instance(store, module, imports: [])
        _ = try Instance(store, module, imports: [])
        _ = try Instance(other!, module, imports: [])
        let error = #expect(throws: KilnError.self) { try Instance(Store(engine, data: ()), module, imports: []) }
        #expect("\(error!)".contains("3 core instances are all in use (PoolingAllocationConfig.totalCoreInstances)"))
        #expect(engine.coreInstances!.count == 3)
        other = nil
        _ = other
        #expect(engine.coreInstances!.count == 2)
        let instance = try Instance(store, module, imports: [])
        #expect(try instance.getFunc(store, "f")!.call(store, []).first?.i32 == 1)
    }

    @Test func negativeLimitsAreErrors() throws {
        for (config, name) in [(PoolingAllocationConfig(totalTables: -1), "totalTables"),
                               (PoolingAllocationConfig(maxTableElements: -1), "maxTableElements"),
                               (PoolingAllocationConfig(totalCoreInstances: -1), "totalCoreInstances")] {
            var engineConfig = Config()
            engineConfig.allocationStrategy = .pooling(config)
            let error = #expect(throws: KilnError.self) { try Engine(engineConfig) }
            #expect("\(error!)".contains(name))
        }
    }
}
