/// The runtime functions machine code calls by absolute address (the builtins and
/// `kiln_trap`), with a numbering that stays fixed: compiled artifacts name them by it.
///
/// Their addresses differ from process to process (ASLR), so the code generator records
/// where each is embedded (`MacroAssembler.embeddedAddresses`, mapped to a
/// `Relocation` list by `CodeGenerator.finishModule`) and `CompiledArtifact` patches the
/// current process's addresses in when it loads an artifact. Append new cases at the end:
/// the raw values are part of the artifact format.
enum RuntimeFunction: UInt16, CaseIterable, Sendable {
    case trap = 0
    case outOfFuel = 1
    case epochDeadlineReached = 2
    case memoryGrow = 3
    case tableGet = 4
    case tableGetExtern = 5
    case globalGetExtern = 6
    case globalSetExtern = 7
    case tableSet = 8
    case tableSize = 9
    case tableGrow = 10
    case tableFill = 11
    case tableCopy = 12
    case tableInit = 13
    case elemDrop = 14
    case memoryInit = 15
    case dataDrop = 16
    case memoryCopy = 17
    case memoryFill = 18
    case truncate = 19
    case throwException = 20
    case throwExceptionWideSlots = 21
    case throwReference = 22

    /// The function's address in this process.
    var address: UInt {
        switch self {
        case .trap: Builtins.trapAddress
        case .outOfFuel: Builtins.outOfFuel
        case .epochDeadlineReached: Builtins.epochDeadlineReached
        case .memoryGrow: Builtins.memoryGrow
        case .tableGet: Builtins.tableGet
        case .tableGetExtern: Builtins.tableGetExtern
        case .globalGetExtern: Builtins.globalGetExtern
        case .globalSetExtern: Builtins.globalSetExtern
        case .tableSet: Builtins.tableSet
        case .tableSize: Builtins.tableSize
        case .tableGrow: Builtins.tableGrow
        case .tableFill: Builtins.tableFill
        case .tableCopy: Builtins.tableCopy
        case .tableInit: Builtins.tableInit
        case .elemDrop: Builtins.elemDrop
        case .memoryInit: Builtins.memoryInit
        case .dataDrop: Builtins.dataDrop
        case .memoryCopy: Builtins.memoryCopy
        case .memoryFill: Builtins.memoryFill
        case .truncate: Builtins.truncate
        case .throwException: Builtins.throwException
        case .throwExceptionWideSlots: Builtins.throwExceptionWideSlots
        case .throwReference: Builtins.throwReference
        }
    }

    private static let byAddress: [UInt: RuntimeFunction] = {
        var table: [UInt: RuntimeFunction] = [:]
        for function in allCases { table[function.address] = function }
        return table
    }()

    /// The runtime function at `address` in this process, if it is one.
    init?(address: UInt) {
        guard let function = RuntimeFunction.byAddress[address] else { return nil }
        self = function
    }
}

/// A place in a module's code that holds the absolute address of a runtime function: the
/// start of the fixed-length sequence that materializes it (x86-64: the 8-byte immediate of
/// a `movabs`; AArch64: a `movz` and three `movk`s). See `MacroAssembler.patchAddress`.
struct Relocation: Sendable, Equatable {
    var offset: Int
    var function: RuntimeFunction
}
