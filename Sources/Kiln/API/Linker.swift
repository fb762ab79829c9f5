/// Resolves a module's imports by name and instantiates it.
///
/// Host functions defined with `funcWrap` / `funcNew` are store-independent definitions:
/// each store gets its own `Func` for them the first time a module is instantiated there.
public final class Linker<T> {
    public let engine: Engine
    /// Allow a later definition to replace an earlier one of the same name.
    public var allowShadowing = false

    private enum Definition {
        case extern(Extern)
        case hostFunction(FuncType, HostCallback)
    }

    private struct Key: Hashable {
        var module: String
        var name: String
    }

    private var definitions: [Key: Definition] = [:]
    /// The native form of each host function definition, made once and shared by every
    /// store: a `HostFunction` holds nothing of a store (its calls find the store through
    /// the calling instance), and making one creates a libffi closure.
    private var hostFunctions: [Key: HostFunction] = [:]
    /// The `Func` last made for a host function, and for which store.
    private var madeFunctions: [Key: (store: ObjectIdentifier, function: Func)] = [:]

    public init(_ engine: Engine) {
        self.engine = engine
    }

    private func add(_ module: String, _ name: String, _ definition: Definition) throws {
        let key = Key(module: module, name: name)
        if definitions[key] != nil && !allowShadowing {
            throw KilnError("\(module)::\(name) is defined twice in the linker")
        }
        definitions[key] = definition
        hostFunctions[key] = nil
        madeFunctions[key] = nil
    }

    /// Defines `item` as `module::name`.
    public func define(_ module: String, _ name: String, _ item: Extern) throws {
        try add(module, name, .extern(item))
    }

    /// Defines every export of `instance` under the module name `name` (wasmtime's `instance`).
    public func instance(_ store: some AsContext, _ name: String, _ instance: Instance) throws {
        for (exportName, value) in instance.exports(store) {
            try define(name, exportName, value)
        }
    }

    /// Defines a host function over `[Val]`.
    public func funcNew(_ module: String, _ name: String, type: FuncType,
                        _ body: @escaping (Caller<T>, [Val], inout [Val]) throws -> Void) throws {
        try add(module, name, .hostFunction(type, Func.valCallback(type: type, body)))
    }

    /// Defines a host function from a typed Swift closure whose first parameter is the `Caller`.
    @inlinable
    public func funcWrap<each P: WasmValue, R>(_ module: String, _ name: String,
                                               _ body: @escaping (Caller<T>, repeat each P) throws -> R) throws {
        let (type, callback) = try Func.typedCallback(body)
        try defineHostFunction(module, name, type: type, callback)
    }

    @usableFromInline
    func defineHostFunction(_ module: String, _ name: String, type: FuncType, _ callback: @escaping HostCallback) throws {
        try add(module, name, .hostFunction(type, callback))
    }

    /// Defines a host function from a typed Swift closure without the `Caller`.
    @inlinable
    public func funcWrap<each P: WasmValue, R>(_ module: String, _ name: String,
                                               _ body: @escaping (repeat each P) throws -> R) throws {
        let (type, callback) = try Func.typedCallback(body)
        try defineHostFunction(module, name, type: type, callback)
    }

    /// Defines a host function from an async Swift closure. Wasm calling it inside
    /// `callAsync` is suspended while the closure runs in the caller's task; called
    /// outside `callAsync`, it traps.
    public func funcWrapAsync<each P: WasmValue, R>(_ module: String, _ name: String,
                                                    _ body: @escaping (Caller<T>, repeat each P) async throws -> R) throws {
        let codec = try ResultsCodec<R>()
        let type = FuncType(params: wasmTypes(repeat (each P).self), results: codec.types)
        try defineHostFunction(module, name, type: type) { context, values in
            let store = context.store
            guard let call = store.asyncCall else {
                throw Trap("async host function \(module)::\(name) called outside callAsync")
            }
            var index = 0
            let arguments = (repeat readValue((each P).self, from: values, at: &index, store: store))
            let caller = Caller<T>(context)
            var outcome: Result<R, any Error>?
            try call.suspend(.host({
                do { outcome = .success(try await body(caller, repeat each arguments)) } catch { outcome = .failure(error) }
            }))
            codec.encode(try outcome!.get(), into: values, store: store)
        }
    }

    /// The definition of `module::name` in `store`, if any.
    public func get(_ store: Store<T>, _ module: String, _ name: String) -> Extern? {
        let key = Key(module: module, name: name)
        switch definitions[key] {
        case nil:
            return nil
        case .extern(let item):
            return item
        case .hostFunction(let type, let callback):
            let storeID = ObjectIdentifier(store.context)
            if let made = madeFunctions[key], made.store == storeID { return .func(made.function) }
            let host = hostFunction(key, type, callback)
            // The store keeps it alive as long as it may be called there (a `Func` handle
            // may put it in a table).
            store.context.hostFunctions.append(host)
            let function = Func(store: store.context, funcRef: host.funcRef, owner: host)
            madeFunctions[key] = (storeID, function)
            return .func(function)
        }
    }

    private func hostFunction(_ key: Key, _ type: FuncType, _ callback: @escaping HostCallback) -> HostFunction {
        if let made = hostFunctions[key] { return made }
        let host = HostFunction(type: type, engine: engine, callback: callback)
        hostFunctions[key] = host
        return host
    }

    /// Resolves `module`'s imports once, by name, and checks the types of the host
    /// functions among them: each `InstancePre.instantiate` then looks nothing up. Later
    /// definitions in the linker do not change what the `InstancePre` resolved.
    public func instantiatePre(_ module: Module) throws -> InstancePre<T> {
        guard module.engine === engine else { throw KilnError("the module and the linker belong to different engines") }
        var imports: [InstancePre<T>.Import] = []
        imports.reserveCapacity(module.info.imports.count)
        for entry in module.info.imports {
            let key = Key(module: entry.module, name: entry.name)
            switch definitions[key] {
            case nil:
                throw LinkError("unknown import: \(entry.module)::\(entry.name) has not been defined")
            case .extern(let item):
                // Bound to its store: checked when instantiated (the store must be its own).
                imports.append(.extern(item))
            case .hostFunction(let type, let callback):
                let host = hostFunction(key, type, callback)
                guard case .function(let typeIndex) = entry.descriptor else {
                    throw LinkError("incompatible import type for \(entry.module)::\(entry.name): expected \(entry.descriptor.kindName), got func")
                }
                let expected = module.typeIds[Int(typeIndex)]
                guard host.typeId == expected else {
                    throw LinkError("incompatible import type for \(entry.module)::\(entry.name): expected func \(engine.types.type(for: expected)), got func \(type)")
                }
                imports.append(.host(host))
            }
        }
        return InstancePre(module: module, imports: imports)
    }

    /// Instantiates `module`, taking each import from the linker's definitions.
    public func instantiate(_ store: Store<T>, _ module: Module) throws -> Instance {
        var imports: [Extern] = []
        for entry in module.info.imports {
            guard let item = get(store, entry.module, entry.name) else {
                throw LinkError("unknown import: \(entry.module)::\(entry.name) has not been defined")
            }
            imports.append(item)
        }
        return try Instance(store, module, imports: imports)
    }
}

/// A module whose imports a `Linker` resolved and type-checked once
/// (`linker.instantiatePre(module)`), to be instantiated many times, in any store of its
/// engine, without looking anything up by name (wasmtime's `InstancePre`).
public final class InstancePre<T> {
    public let module: Module

    enum Import {
        /// An item bound to one store: instantiating in another store fails.
        case extern(Extern)
        /// A host function, shared by every store.
        case host(HostFunction)
    }

    private let imports: [Import]

    init(module: Module, imports: [Import]) {
        self.module = module
        self.imports = imports
    }

    /// A new instance of the module in `store`, with the resolved imports.
    public func instantiate(_ store: Store<T>) throws -> Instance {
        var externs: [Extern] = []
        externs.reserveCapacity(imports.count)
        for item in imports {
            switch item {
            case .extern(let extern): externs.append(extern)
            case .host(let host):
                // The instance keeps the function's owner alive (its imported owners).
                externs.append(.func(Func(store: store.context, funcRef: host.funcRef, owner: host)))
            }
        }
        return try Instance(store, module, imports: externs)
    }
}
