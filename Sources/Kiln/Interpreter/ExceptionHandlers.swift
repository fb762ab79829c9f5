/// Where the interpreter looks for a handler when an exception is thrown in a function.
///
/// Each `try_table` and legacy `try` gives one handler: the code range of its body, and its
/// catch clauses in order. Ranges nest as the blocks do, so the innermost handler of a pc is the last one
/// (in order of opening) whose range contains it. A handler whose clauses do not match
/// passes the exception on to `next`: the handler around it, or none (the caller's).
struct ExceptionHandler: Sendable {
    struct Clause: Sendable {
        var kind: CatchClause.Kind
        /// The tag's index in the module, for `catch` and `catch_ref`.
        var tag: UInt32
        /// Where the landing pad starts: it expects the exception's values in consecutive
        /// slots from `base`, and the exception itself in `exceptionSlot` (the `_ref` kinds and
        /// the legacy arms, for `rethrow`) unless that is `noSlot`.
        var landing: UInt32
        var base: UInt32
        var exceptionSlot: UInt32
    }

    static let noSlot = UInt32.max

    /// The body's code range, `start..<end`.
    var start: UInt32
    var end: UInt32
    var clauses: [Clause]
    /// The handler to search next, or -1. A legacy `delegate` sets it to the handler of
    /// its label.
    var next: Int

    /// The innermost handler whose range contains `pc`, or -1.
    static func innermost(_ handlers: [ExceptionHandler], at pc: UInt32) -> Int {
        var i = handlers.count - 1
        while i >= 0 {
            if handlers[i].start <= pc && pc < handlers[i].end { return i }
            i -= 1
        }
        return -1
    }
}
