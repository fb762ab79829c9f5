/// Trap codes shared by generated code, the runtime builtins and `kiln_trap`.
enum JITTrap: Int32, CaseIterable, Sendable {
    case unreachable = 1
    case memoryOutOfBounds
    case tableOutOfBounds
    /// call_indirect past the end of the table.
    case undefinedElement
    /// call_indirect of a null entry; the detail is the index.
    case uninitializedElement
    case badSignature
    case integerOverflow
    case integerDivisionByZero
    case badConversionToInteger
    case stackOverflow
    /// A host function (or a call out of machine code) failed; the store holds the error.
    /// Host closures raise it from C, which knows it as KILN_TRAP_HOST_ERROR.
    case hostError = 11
    /// Fuel ran out at a function entry or loop header.
    case outOfFuel
    /// The epoch passed the store's deadline.
    case interrupt
    /// `ref.as_non_null` of null.
    case nullReference
    /// `call_ref` of null.
    case nullFunctionReference
    /// `throw_ref` of null.
    case nullExceptionReference

    init(_ code: TrapCode) {
        switch code {
        case .unreachable: self = .unreachable
        case .memoryOutOfBounds: self = .memoryOutOfBounds
        case .tableOutOfBounds: self = .tableOutOfBounds
        case .indirectCallToNull: self = .uninitializedElement
        case .badSignature: self = .badSignature
        case .integerOverflow: self = .integerOverflow
        case .integerDivisionByZero: self = .integerDivisionByZero
        case .badConversionToInteger: self = .badConversionToInteger
        case .stackOverflow: self = .stackOverflow
        case .outOfFuel: self = .outOfFuel
        case .interrupt: self = .interrupt
        case .nullReference: self = .nullReference
        case .nullFunctionReference: self = .nullFunctionReference
        case .nullExceptionReference: self = .nullExceptionReference
        default: self = .hostError
        }
    }

    func trap(detail: UInt64) -> Trap {
        switch self {
        case .unreachable: Trap(.unreachable)
        case .memoryOutOfBounds: Trap(.memoryOutOfBounds)
        case .tableOutOfBounds: Trap(.tableOutOfBounds)
        case .undefinedElement: Trap(.tableOutOfBounds, "undefined element: out of bounds table access")
        case .uninitializedElement: Trap(.indirectCallToNull, "uninitialized element \(UInt32(truncatingIfNeeded: detail))")
        case .badSignature: Trap(.badSignature)
        case .integerOverflow: Trap(.integerOverflow)
        case .integerDivisionByZero: Trap(.integerDivisionByZero)
        case .badConversionToInteger: Trap(.badConversionToInteger)
        case .stackOverflow: Trap(.stackOverflow)
        case .hostError: Trap("host function failed")
        case .outOfFuel: Trap(.outOfFuel)
        case .interrupt: Trap(.interrupt)
        case .nullReference: Trap(.nullReference)
        case .nullFunctionReference: Trap(.nullFunctionReference)
        case .nullExceptionReference: Trap(.nullExceptionReference)
        }
    }
}
