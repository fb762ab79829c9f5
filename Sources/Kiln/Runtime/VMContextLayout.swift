import CKilnShims

/// The layout of an instance's VMContext: one contiguous, 16-byte aligned block of memory
/// per instance, whose offsets depend on the module's index spaces. The interpreter reads
/// and writes instance state through it, and machine code addresses it at fixed offsets
/// from the vmctx register, so every field has a C layout.
///
/// ```text
///  offset  field                       notes
///  0       magic: u32                  KILN_VMCTX_MAGIC_INSTANCE ("KINS")
///  8       instance: *InstanceHandle   unretained back pointer to the Swift instance
///  16      store: *StoreContext        unretained
///  24      store runtime: *KilnStoreRuntime   stack limit, fuel, epoch deadline (per store)
///  32      (reserved)
///  40      epoch deadline: u64         the store's, copied into each of its instances
///  48      epoch counter: *u64         the engine's epoch
///  56      (reserved)
///  64      exit frame pointer          written by machine code before calls through a
///  72      exit return address         function reference (KILN_VMCTX_EXIT_*_OFFSET)
///  80      type ids: [u32; types]      engine-canonical ids, for call_indirect
///  ...     memories: [*KilnMemoryDefinition; memories]   imported and defined alike
///  ...     tables: [*KilnTableDefinition; tables]
///  ...     globals: [*Slot16; globals]        imported: the exporter's slot; defined: below
///  ...     defined globals: [Slot16; defined globals]    16 bytes each, 16-aligned
///  ...     functions: [*KilnFuncRef; functions]          what `call` and `ref.func` use
///  ...     defined functions: [KilnFuncRef; defined functions]
/// ```
///
/// Global slots hold a value in its `ValRaw` form: i32/i64/f32/f64 in the low bytes
/// (floats as bit patterns), v128 in all 16, references as a pointer in the low 8.
struct VMContextLayout: Sendable {
    static let magicOffset = 0
    static let instanceOffset = 8
    static let storeOffset = 16
    static let storeRuntimeOffset = 24
    static let epochDeadlineOffset = 40
    static let epochCounterOffset = 48
    static let exitFramePointerOffset = Int(KILN_VMCTX_EXIT_FP_OFFSET)
    static let exitReturnAddressOffset = Int(KILN_VMCTX_EXIT_PC_OFFSET)
    static let headerSize = 80

    let typeIds: Int
    let memories: Int
    let tables: Int
    let globals: Int
    let definedGlobals: Int
    let functions: Int
    let definedFunctions: Int
    let size: Int

    init(_ module: ModuleInfo) {
        func align(_ value: Int, _ alignment: Int) -> Int { (value + alignment - 1) & ~(alignment - 1) }
        var offset = VMContextLayout.headerSize
        typeIds = offset
        offset = align(offset + 4 * module.types.count, 8)
        memories = offset
        offset += 8 * module.memories.count
        tables = offset
        offset += 8 * module.tables.count
        globals = offset
        offset = align(offset + 8 * module.globals.count, 16)
        definedGlobals = offset
        offset += 16 * (module.globals.count - module.importedGlobalCount)
        functions = offset
        offset += 8 * module.functionTypes.count
        definedFunctions = offset
        offset += MemoryLayout<KilnFuncRef>.stride * (module.functionTypes.count - module.importedFunctionCount)
        size = align(max(offset, 16), 16)
    }

    func typeId(_ index: Int) -> Int { typeIds + 4 * index }
    func memory(_ index: Int) -> Int { memories + 8 * index }
    func table(_ index: Int) -> Int { tables + 8 * index }
    func global(_ index: Int) -> Int { globals + 8 * index }
    func definedGlobal(_ definedIndex: Int) -> Int { definedGlobals + 16 * definedIndex }
    func function(_ index: Int) -> Int { functions + 8 * index }
    func definedFunction(_ definedIndex: Int) -> Int {
        definedFunctions + MemoryLayout<KilnFuncRef>.stride * definedIndex
    }
}
