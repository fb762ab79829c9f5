import CKilnShims

/// The runtime state of one instance: its VMContext and the objects it owns or imports.
@usableFromInline
final class InstanceHandle {
    let module: Module
    let layout: VMContextLayout
    /// The VMContext (see `VMContextLayout`); freed with the instance.
    let vmctx: UnsafeMutableRawPointer
    unowned let store: StoreContext

    private(set) var memories: [MemoryInstance] = []
    private(set) var tables: [TableInstance] = []
    /// Every tag, imports first (exception handling).
    private(set) var tags: [TagInstance] = []
    /// The owner of each imported global's slot (defined globals live in this instance).
    private(set) var globalOwners: [AnyObject] = []
    /// The owner of each imported function: keeps its instance or host function alive.
    private(set) var importedFunctionOwners: [AnyObject] = []
    /// Evaluated element segments; a dropped segment is empty.
    var elementSegments: [[UnsafeMutableRawPointer?]] = []
    /// Whether each data segment was dropped.
    var droppedData: [Bool] = []
    /// Interpreter code for the defined functions, shared with the module.
    let code: InterpretedModule?
    /// `code.functions`, and the number of imported functions (a defined function's index
    /// is its function index minus this), kept here for the interpreter's call path.
    let interpretedFunctions: UnsafeMutablePointer<InterpretedFunction>?
    let importedFunctionCount: Int
    /// Memory 0's definition, or nil.
    private(set) var memory0: UnsafeMutablePointer<KilnMemoryDefinition>?

    var info: ModuleInfo { module.info }

    private init(module: Module, store: StoreContext) {
        self.module = module
        self.store = store
        self.layout = module.vmContextLayout
        self.code = module.interpreted
        self.interpretedFunctions = module.interpreted?.functions
        self.importedFunctionCount = module.info.importedFunctionCount
        vmctx = .allocate(byteCount: layout.size, alignment: 16)
        vmctx.initializeMemory(as: UInt8.self, repeating: 0, count: layout.size)
        vmctx.storeBytes(of: UInt32(KILN_VMCTX_MAGIC_INSTANCE), toByteOffset: VMContextLayout.magicOffset, as: UInt32.self)
        vmctx.storeBytes(of: Unmanaged.passUnretained(self).toOpaque(), toByteOffset: VMContextLayout.instanceOffset,
                         as: UnsafeMutableRawPointer.self)
        vmctx.storeBytes(of: Unmanaged.passUnretained(store).toOpaque(), toByteOffset: VMContextLayout.storeOffset,
                         as: UnsafeMutableRawPointer.self)
        vmctx.storeBytes(of: UnsafeMutableRawPointer(store.runtime), toByteOffset: VMContextLayout.storeRuntimeOffset,
                         as: UnsafeMutableRawPointer.self)
        vmctx.storeBytes(of: store.runtime.pointee.epochDeadline, toByteOffset: VMContextLayout.epochDeadlineOffset, as: UInt64.self)
        vmctx.storeBytes(of: module.engine.epochCounter, toByteOffset: VMContextLayout.epochCounterOffset,
                         as: UnsafeMutablePointer<UInt64>.self)
    }

    deinit {
        // Extern references held by defined globals and element segments.
        for (definedIndex, type) in info.globals[info.importedGlobalCount...].enumerated()
        where type.valueType.isCountedReference && definedIndex < definedGlobalsInitialized {
            ExternCounts.release((vmctx + layout.definedGlobal(definedIndex)).assumingMemoryBound(to: ValRaw.self).pointee.externref)
        }
        for i in elementSegments.indices { dropElementSegment(i) }
        vmctx.deallocate()
        if holdsCoreInstance { module.engine.coreInstances?.release() }
    }

    /// Whether the instance counts against `PoolingAllocationConfig.totalCoreInstances`.
    private var holdsCoreInstance = false

    /// How many defined globals have been initialized (instantiation may fail midway).
    private var definedGlobalsInitialized = 0

    /// `elem.drop`: forgets the segment's items, dropping the counts of extern references.
    func dropElementSegment(_ index: Int) {
        if info.elements[index].type.isCountedReference {
            for item in elementSegments[index] { ExternCounts.release(item) }
        }
        elementSegments[index] = []
    }

    static func from(vmctx: UnsafeMutableRawPointer) -> InstanceHandle {
        let pointer = vmctx.load(fromByteOffset: VMContextLayout.instanceOffset, as: UnsafeMutableRawPointer.self)
        return Unmanaged<InstanceHandle>.fromOpaque(pointer).takeUnretainedValue()
    }

    // MARK: VMContext accessors

    func memoryDefinition(_ index: Int) -> UnsafeMutablePointer<KilnMemoryDefinition> {
        vmctx.load(fromByteOffset: layout.memory(index), as: UnsafeMutablePointer<KilnMemoryDefinition>.self)
    }

    func globalSlot(_ index: Int) -> UnsafeMutablePointer<ValRaw> {
        vmctx.load(fromByteOffset: layout.global(index), as: UnsafeMutablePointer<ValRaw>.self)
    }

    func funcRef(_ index: Int) -> UnsafeMutablePointer<KilnFuncRef> {
        vmctx.load(fromByteOffset: layout.function(index), as: UnsafeMutablePointer<KilnFuncRef>.self)
    }

    func typeId(_ typeIndex: Int) -> UInt32 {
        vmctx.load(fromByteOffset: layout.typeId(typeIndex), as: UInt32.self)
    }

    // MARK: Instantiation

    /// Instantiates `module` in `store` with `imports` in the module's import order.
    ///
    /// Follows the spec's order: imports are checked, then state is allocated, then element
    /// and data segments are applied, then the start function runs. A trap in a segment or
    /// the start function fails the instantiation, but what was already written stays
    /// written (tables and memories may be shared), so the instance is kept in the store.
    static func instantiate(module: Module, store: StoreContext, imports: [Extern],
                            run: (InstanceHandle, Int) throws -> Void) throws -> InstanceHandle {
        let info = module.info
        guard module.engine === store.engine else { throw KilnError("the module and the store belong to different engines") }
        guard imports.count == info.imports.count else {
            throw LinkError("expected \(info.imports.count) imports, got \(imports.count)")
        }
        guard store.instances.count < store.limits.maxInstances else {
            throw KilnError("the store's limit of \(store.limits.maxInstances) instances is reached")
        }
        try store.engine.coreInstances?.acquire()
        let instance = InstanceHandle(module: module, store: store)
        instance.holdsCoreInstance = store.engine.coreInstances != nil
        let layout = instance.layout
        let vmctx = instance.vmctx
        let engine = store.engine

        for (i, id) in module.typeIds.enumerated() {
            vmctx.storeBytes(of: id, toByteOffset: layout.typeId(i), as: UInt32.self)
        }

        // Imports, checked against the declared types.
        var functionIndex = 0, tableIndex = 0, memoryIndex = 0, globalIndex = 0
        for (entry, value) in zip(info.imports, imports) {
            let name = "\(entry.module)::\(entry.name)"
            switch (entry.descriptor, value) {
            case (.function(let typeIndex), .func(let function)):
                try function.checkStore(store)
                let expected = engine.types.type(for: module.typeIds[Int(typeIndex)])
                guard function.funcRef.pointee.typeId == module.typeIds[Int(typeIndex)] else {
                    throw LinkError("incompatible import type for \(name): expected func \(expected), got func \(engine.types.type(for: function.funcRef.pointee.typeId))")
                }
                vmctx.storeBytes(of: function.funcRef, toByteOffset: layout.function(functionIndex), as: UnsafeMutablePointer<KilnFuncRef>.self)
                instance.importedFunctionOwners.append(function.owner)
                functionIndex += 1
            case (.table(let expected), .table(let table)):
                try table.checkStore(store)
                let actual = table.instance.type
                guard actual.elementType == instance.engineType(expected.elementType), actual.is64 == expected.is64,
                      actual.limits.isSubtype(of: expected.limits) else {
                    throw LinkError("incompatible import type for \(name): expected table \(expected), got \(actual)")
                }
                vmctx.storeBytes(of: table.instance.definition, toByteOffset: layout.table(tableIndex), as: UnsafeMutablePointer<KilnTableDefinition>.self)
                instance.tables.append(table.instance)
                tableIndex += 1
            case (.memory(let expected), .memory(let memory)):
                try memory.checkStore(store)
                let actual = memory.instance.type
                guard actual.is64 == expected.is64, actual.limits.isSubtype(of: expected.limits) else {
                    throw LinkError("incompatible import type for \(name): expected memory \(expected), got \(actual)")
                }
                vmctx.storeBytes(of: memory.instance.definition, toByteOffset: layout.memory(memoryIndex), as: UnsafeMutablePointer<KilnMemoryDefinition>.self)
                instance.memories.append(memory.instance)
                memoryIndex += 1
            case (.global(let expected), .global(let global)):
                try global.checkStore(store)
                guard global.type.mutability == expected.mutability,
                      global.type.mutability == .variable
                        ? instance.engineType(expected.valueType) == global.type.valueType
                        : ModuleInfo.engineLevel.isSubtype(global.type.valueType, of: instance.engineType(expected.valueType)) else {
                    throw LinkError("incompatible import type for \(name): expected global \(expected), got \(global.type)")
                }
                vmctx.storeBytes(of: global.slot, toByteOffset: layout.global(globalIndex), as: UnsafeMutablePointer<ValRaw>.self)
                instance.globalOwners.append(global.owner)
                globalIndex += 1
            case (.tag(let typeIndex), .tag(let tag)):
                try tag.checkStore(store)
                guard engine.types.id(for: tag.instance.type) == module.typeIds[Int(typeIndex)] else {
                    throw LinkError("incompatible import type for \(name): expected tag \(engine.types.type(for: module.typeIds[Int(typeIndex)])), got tag \(tag.instance.type)")
                }
                instance.tags.append(tag.instance)
            default:
                throw LinkError("incompatible import type for \(name): expected \(entry.descriptor.kindName), got \(value.kindName)")
            }
        }

        // Defined functions: their references live in the VMContext.
        for i in info.importedFunctionCount..<info.functionTypes.count {
            let definedIndex = i - info.importedFunctionCount
            let reference = (vmctx + layout.definedFunction(definedIndex)).assumingMemoryBound(to: KilnFuncRef.self)
            let typeId = instance.typeId(Int(info.functionTypes[i]))
            // Machine code when the module was compiled; an adapter into the interpreter otherwise.
            let entry = module.compiled.map { $0.function(definedIndex) } ?? engine.adapter(for: typeId)
            reference.initialize(to: KilnFuncRef(wasmCall: entry, vmctx: vmctx, typeId: typeId, functionIndex: UInt32(i)))
            vmctx.storeBytes(of: reference, toByteOffset: layout.function(i), as: UnsafeMutablePointer<KilnFuncRef>.self)
        }

        // Defined memories and tables. With copy-on-write images, a memory starts with its
        // data already there (the images exist only when every active segment fits, so no
        // segment can trap), and the data segments below are not copied.
        let images = engine.config.memoryInitCOW ? module.memoryImages.images(for: module) : nil
        var imagesMapped = images != nil
        for (definedIndex, type) in info.memories[info.importedMemoryCount...].enumerated() {
            let image = images?[definedIndex]
            let memory = try MemoryInstance(type: type, boundsChecks: engine.config.boundsChecks, byteLimit: store.limits.maxMemoryBytes,
                                            pool: engine.memoryPool, image: image)
            if image != nil && memory.image == nil { imagesMapped = false }
            vmctx.storeBytes(of: memory.definition, toByteOffset: layout.memory(memoryIndex), as: UnsafeMutablePointer<KilnMemoryDefinition>.self)
            instance.memories.append(memory)
            memoryIndex += 1
        }
        for (definedIndex, type) in info.tables[info.importedTableCount...].enumerated() {
            // A table's initializer sees imported globals and functions, set up above.
            let initial = info.tableInitializers[definedIndex].flatMap { UnsafeMutableRawPointer(bitPattern: UInt(instance.evaluate($0).lo)) }
            var engineLevelType = type
            engineLevelType.elementType = instance.engineType(type.elementType)
            let table = try TableInstance(type: engineLevelType, initial: initial, elementLimit: store.limits.maxTableElements,
                                          pool: engine.tablePool)
            vmctx.storeBytes(of: table.definition, toByteOffset: layout.table(tableIndex), as: UnsafeMutablePointer<KilnTableDefinition>.self)
            instance.tables.append(table)
            tableIndex += 1
        }

        for typeIndex in info.tags[info.importedTagCount...] {
            instance.tags.append(TagInstance(type: engine.types.type(for: module.typeIds[Int(typeIndex)])))
        }

        instance.memory0 = info.memories.isEmpty ? nil : instance.memoryDefinition(0)

        // Defined globals, initialized in order (an initializer sees the globals before it).
        for (definedIndex, initializer) in info.globalInitializers.enumerated() {
            let slot = (vmctx + layout.definedGlobal(definedIndex)).assumingMemoryBound(to: ValRaw.self)
            slot.initialize(to: instance.evaluate(initializer))
            if info.globals[info.importedGlobalCount + definedIndex].valueType.isCountedReference {
                ExternCounts.retain(slot.pointee.externref)
            }
            instance.definedGlobalsInitialized += 1
            vmctx.storeBytes(of: slot, toByteOffset: layout.global(globalIndex), as: UnsafeMutablePointer<ValRaw>.self)
            globalIndex += 1
        }

        instance.elementSegments = info.elements.map { segment in
            let items = segment.initializers.map { instance.evaluate($0).funcref }
            if segment.type.isCountedReference { for item in items { ExternCounts.retain(item) } }
            return items
        }
        instance.droppedData = Array(repeating: false, count: info.data.count)
        store.instances.append(instance)

        // Active element segments, then active data segments; both are dropped afterwards,
        // and declarative element segments are dropped right away.
        for (i, segment) in info.elements.enumerated() {
            switch segment.mode {
            case .active(let table, let offset):
                let value = instance.evaluate(offset).lo
                let start = info.tables[Int(table)].is64 ? value : UInt64(UInt32(truncatingIfNeeded: value))
                try instance.tableInit(table: Int(table), segment: i, destination: start, source: 0,
                                       count: UInt64(segment.initializers.count))
                instance.dropElementSegment(i)
            case .declarative:
                instance.dropElementSegment(i)
            case .passive:
                break
            }
        }
        for (i, segment) in info.data.enumerated() {
            if case .active = segment.mode, imagesMapped {
                instance.droppedData[i] = true
            } else if case .active(let memory, let offset) = segment.mode {
                let value = instance.evaluate(offset).lo
                let start = info.memories[Int(memory)].is64 ? value : UInt64(UInt32(truncatingIfNeeded: value))
                try instance.memoryInit(memory: Int(memory), segment: i, destination: start, source: 0,
                                        count: UInt64(segment.bytes.count))
                instance.droppedData[i] = true
            }
        }

        if let start = info.start {
            try run(instance, Int(start))
        }
        return instance
    }

    /// The value of a constant expression, in this instance.
    func evaluate(_ expression: ConstExpr) -> ValRaw {
        switch expression {
        case .i32(let v): return .i32(v)
        case .i64(let v): return .i64(v)
        case .f32(let bits): return .f32(bits: bits)
        case .f64(let bits): return .f64(bits: bits)
        case .v128(let v): return .v128(v)
        case .refNull: return ValRaw(lo: 0)
        case .refFunc(let index): return .funcref(UnsafeMutableRawPointer(funcRef(Int(index))))
        case .globalGet(let index): return globalSlot(Int(index)).pointee
        case .binary(let op, let lhs, let rhs):
            let a = evaluate(lhs).lo, b = evaluate(rhs).lo
            switch op {
            case .i32Add: return ValRaw(lo: UInt64(UInt32(truncatingIfNeeded: a &+ b)))
            case .i32Sub: return ValRaw(lo: UInt64(UInt32(truncatingIfNeeded: a &- b)))
            case .i32Mul: return ValRaw(lo: UInt64(UInt32(truncatingIfNeeded: a) &* UInt32(truncatingIfNeeded: b)))
            case .i64Add: return ValRaw(lo: a &+ b)
            case .i64Sub: return ValRaw(lo: a &- b)
            case .i64Mul: return ValRaw(lo: a &* b)
            default: preconditionFailure("not an extended constant operator")
            }
        case .invalid: preconditionFailure("validated modules have no invalid constant expressions")
        }
    }

    // MARK: Bulk operations shared by instantiation and the engines

    func tableInit(table: Int, segment: Int, destination: UInt64, source: UInt64, count: UInt64) throws(Trap) {
        let elements = elementSegments[segment]
        let target = tables[table]
        guard MemoryAccess.fits(source, count, in: UInt64(elements.count)),
              MemoryAccess.fits(destination, count, in: target.length) else {
            throw Trap(.tableOutOfBounds)
        }
        guard count > 0 else { return }
        elements.withUnsafeBufferPointer { items in
            target.write(Int(destination), items.baseAddress! + Int(source), count: Int(count))
        }
    }

    func memoryInit(memory: Int, segment: Int, destination: UInt64, source: UInt64, count: UInt64) throws(Trap) {
        let range = droppedData[segment] ? 0..<0 : info.data[segment].bytes
        let definition = memoryDefinition(memory).pointee
        guard MemoryAccess.fits(source, count, in: UInt64(range.count)),
              MemoryAccess.fits(destination, count, in: definition.length) else {
            throw Trap(.memoryOutOfBounds)
        }
        guard count > 0 else { return }
        module.bytes.withUnsafeBytes { bytes in
            (definition.base + Int(destination)).update(
                from: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + range.lowerBound + Int(source),
                count: Int(count))
        }
    }

    func table(_ index: Int) -> TableInstance { tables[index] }

    /// `type` with the type indices it names replaced by their engine-wide ids: the form
    /// types take outside the module (exports, the API, import checks).
    func engineType(_ type: ValType) -> ValType {
        guard case .ref(var reference) = type, case .concrete(let index) = reference.heapType else { return type }
        reference.heapType = .concrete(module.typeIds[Int(index)])
        return .ref(reference)
    }
    func memory(_ index: Int) -> MemoryInstance { memories[index] }
}

/// A module could not be instantiated with the given imports.
public struct LinkError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension ImportDescriptor {
    var kindName: String {
        switch self {
        case .function: "func"
        case .table: "table"
        case .memory: "memory"
        case .global: "global"
        case .tag: "tag"
        }
    }
}
