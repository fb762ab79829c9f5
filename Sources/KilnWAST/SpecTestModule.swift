import Kiln

/// The `spectest` module that spec scripts import from: print functions that do nothing,
/// four globals, a table, a 64-bit table and a memory.
enum SpecTestModule {
    static func define(in linker: Linker<Void>, store: Store<Void>) {
        do {
            let prints: [(String, [ValType])] = [
                ("print", []), ("print_i32", [.i32]), ("print_i64", [.i64]), ("print_f32", [.f32]),
                ("print_f64", [.f64]), ("print_i32_f32", [.i32, .f32]), ("print_f64_f64", [.f64, .f64]),
            ]
            for (name, params) in prints {
                try linker.funcNew("spectest", name, type: FuncType(params: params)) { _, _, _ in }
            }
            try linker.define("spectest", "global_i32", .global(Global(store, type: GlobalType(valueType: .i32, mutability: .constant), value: .i32(666))))
            try linker.define("spectest", "global_i64", .global(Global(store, type: GlobalType(valueType: .i64, mutability: .constant), value: .i64(666))))
            try linker.define("spectest", "global_f32", .global(Global(store, type: GlobalType(valueType: .f32, mutability: .constant), value: .f32(666.6))))
            try linker.define("spectest", "global_f64", .global(Global(store, type: GlobalType(valueType: .f64, mutability: .constant), value: .f64(666.6))))
            try linker.define("spectest", "table", .table(Table(store, type: TableType(elementType: .funcRef, limits: Limits(min: 10, max: 20)), initial: .funcRef(nil))))
            try linker.define("spectest", "table64", .table(Table(store, type: TableType(elementType: .funcRef, limits: Limits(min: 10, max: 20), is64: true), initial: .funcRef(nil))))
            try linker.define("spectest", "memory", .memory(Memory(store, type: MemoryType(min: 1, max: 2))))
        } catch {
            preconditionFailure("cannot define the spectest module: \(error)")
        }
    }
}
