/// The legacy exception-handling instructions in the text format, which WasmKit's text
/// parser does not know: `try`, `catch`, `catch_all`, `delegate` and `rethrow`, flat and
/// folded.
///
/// They are encoded in two steps, because the parser cannot be taught new instructions:
///
/// 1. `rewrite` turns each legacy construct into a stand-in that the parser does know, with
///    the same label structure (a `try` becomes a `block`, so label depths inside it are
///    unchanged), preceded by an `i64.const` of a marker value that says which construct
///    it was:
///
///    | legacy                 | stand-in                                    |
///    |------------------------|---------------------------------------------|
///    | `try $l? bt`           | `i64.const TRY block $l? bt`                |
///    | `catch $tag`           | `i64.const CATCH throw $tag`                |
///    | `catch_all`            | `i64.const CATCH_ALL`                       |
///    | `delegate L`           | `i64.const DELEGATE br N end`               |
///    | `rethrow L`            | `i64.const RETHROW br L`                    |
///
///    `N` is `delegate`'s label counted from outside the `try` (a name is resolved here,
///    against the labels enclosing the `try`) plus one, for the stand-in block the `br`
///    sits in. Folded forms are unfolded into the folded stand-in block: `(do ...)` loses
///    its parentheses, `(catch $tag ...)` becomes `i64.const CATCH throw $tag ...`, and so
///    on. Replacements never contain a line break and dropped tokens become a space, so
///    every line keeps its number.
///
/// 2. After the parser has encoded the stand-ins (it does not type-check, so their stack
///    effects do not matter), `restore` finds the markers in the code section and puts the
///    legacy opcodes back: `i64.const TRY block` becomes `try` (0x06), `i64.const CATCH throw`
///    `catch` (0x07), `i64.const CATCH_ALL` `catch_all` (0x19), `i64.const DELEGATE br N end`
///    `delegate N-1` (0x18), `i64.const RETHROW br L` `rethrow L` (0x09). It re-encodes the
///    sizes of the bodies and of the section it changed.
///
/// The rewrite checks the order of a `try`'s clauses and that `catch`, `catch_all` and
/// `delegate` only appear in a `try`; `try_table`'s `(catch ...)` clauses are left alone.
/// Parser errors found in the rewritten text are moved back to their columns in the original.
///
/// A marker is `i64.const` of a value whose signed LEB128 takes the full ten bytes, so it is
/// eleven fixed bytes followed by the opcode its construct expects. Text without a `try` or
/// `rethrow` token is never rewritten nor restored, so its encoding is byte for byte what
/// WasmKit produces. Text that does use them could in principle hold the same eleven bytes elsewhere
/// (an `i64.const` of a marker value, or inside a `v128.const`); `TextFormat.encode` counts
/// the markers it put in and rejects the module if it finds another number.
public enum LegacyExceptionText {
    typealias Token = Substring.UTF8View.SubSequence

    /// What a marker stands for. The raw value is the low byte of the marker value.
    enum Marker: UInt8, CaseIterable {
        case tryBlock = 1
        case catchTag = 2
        case catchAll = 3
        case delegate = 4
        case rethrow = 5

        /// "KILNLEH" and the kind: at least 2^62, so its signed LEB128 is ten bytes long, and
        /// its low seven bits are the kind, so the kind is the first byte of the encoding.
        var value: Int64 { 0x4B49_4C4E_4C45_4800 | Int64(rawValue) }

        /// The replacement text, up to the part the construct keeps (a tag, a label).
        var text: String { "i64.const \(value)" }
    }

    /// The bytes of every marker's encoding after its first LEB byte (which holds the kind).
    static let markerTail: [UInt8] = Array(encodeSignedLEB(Marker.tryBlock.value).dropFirst())

    /// Text with the legacy instructions replaced by stand-ins, and how many markers it holds.
    struct Rewritten {
        let text: String
        let markerCount: Int
        let original: String
        /// The edits that made `text` of `original`, in text order.
        let edits: [Edit]

        /// Moves an error that the parser found in the rewritten text to the same place in the
        /// original. Lines are the same in both; on the error's line, the columns after an
        /// edit move by the difference in length, and a column inside a replacement goes to
        /// the start of the token it replaced.
        func locate(_ error: TextFormatError) -> TextFormatError {
            guard let line = error.line, let column = error.column, line >= 1 else { return error }
            let scalars = original.unicodeScalars
            var lineStart = scalars.startIndex
            for _ in 1..<line {
                guard let newline = scalars[lineStart...].firstIndex(of: "\n") else { return error }
                lineStart = scalars.index(after: newline)
            }
            let lineEnd = scalars[lineStart...].firstIndex(of: "\n") ?? scalars.endIndex
            // `TextFormatError` columns count from 1 on the first line and from 2 on the
            // others (WasmKit measures from the preceding newline); offsets here count from 0.
            let base = line == 1 ? 1 : 2
            var offset = column - base
            var shift = 0
            for edit in edits where edit.start >= lineStart && edit.start < lineEnd {
                let start = scalars.distance(from: lineStart, to: edit.start)
                let length = scalars.distance(from: edit.start, to: edit.end)
                let rewrittenStart = start + shift
                let rewrittenEnd = rewrittenStart + edit.replacement.unicodeScalars.count
                if offset < rewrittenStart { break }
                if offset < rewrittenEnd {
                    offset = start + shift
                    break
                }
                shift += edit.replacement.unicodeScalars.count - length
            }
            var located = error
            located.column = offset - shift + base
            return located
        }
    }

    // MARK: Module text

    /// Rewrites the legacy instructions of a module's text (see the type's documentation).
    ///
    /// - Returns: nil when the text holds neither a `try` nor a `rethrow`, so there is nothing
    ///   to rewrite.
    static func rewrite(_ text: String) throws(TextFormatError) -> Rewritten? {
        // Most text has neither word anywhere, which is cheaper to see than to tokenize.
        guard text.contains("try") || text.contains("rethrow") else { return nil }
        let tokens = tokenize(text)
        guard tokens.contains(where: isLegacyTrigger) else { return nil }
        var rewriter = Rewriter(tokens: tokens[...])
        do {
            try rewriter.run()
        } catch {
            throw TextFormatError(legacy: error.message, in: text, at: error.token.startIndex)
        }
        return Rewritten(
            text: apply(rewriter.edits, to: text), markerCount: rewriter.markerCount, original: text, edits: rewriter.edits)
    }

    /// Rewrites the legacy instructions of a spec script (`.wast`), one top-level form
    /// (`module`, `assert_invalid`, ...) at a time.
    ///
    /// Modules given as quoted text or binary are strings here and stay untouched. A form
    /// whose legacy instructions are malformed stays as it is, so that the script parser
    /// rejects that directive alone, as an unknown instruction.
    ///
    /// - Returns: nil when the script holds neither a `try` nor a `rethrow`; then its text
    ///   modules need no `restore` either.
    public static func rewriteScript(_ script: String) -> String? {
        let tokens = tokenize(script)
        guard tokens.contains(where: isLegacyTrigger) else { return nil }
        var edits: [Edit] = []
        var formStart = tokens.startIndex
        var depth = 0
        for index in tokens.indices {
            if tokens[index].elementsEqual("(".utf8) {
                if depth == 0 { formStart = index }
                depth += 1
            } else if tokens[index].elementsEqual(")".utf8), depth > 0 {
                depth -= 1
                if depth == 0 {
                    let form = tokens[formStart...index]
                    guard form.contains(where: isLegacyTrigger) else { continue }
                    var rewriter = Rewriter(tokens: form)
                    do {
                        try rewriter.run()
                        edits += rewriter.edits
                    } catch {
                        // Left as it is: the script parser rejects this directive alone.
                    }
                }
            }
        }
        return apply(edits, to: script)
    }

    static func isLegacyTrigger(_ token: Token) -> Bool {
        token.elementsEqual("try".utf8) || token.elementsEqual("rethrow".utf8)
    }

    static func tokenize(_ text: String) -> [Token] {
        var scanner = TextPrecheck.Scanner(text[...].utf8)
        var tokens: [Token] = []
        while let token = scanner.nextToken() { tokens.append(token) }
        return tokens
    }

    /// A replacement of the text from `start` up to `end`.
    struct Edit {
        var start: String.Index
        var end: String.Index
        var replacement: String
    }

    /// The text with the edits made. They must be in text order and not overlap.
    static func apply(_ edits: [Edit], to text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count + edits.count * 32)
        var cursor = text.startIndex
        for edit in edits {
            result += text[cursor..<edit.start]
            result += edit.replacement
            cursor = edit.end
        }
        result += text[cursor...]
        return result
    }

    struct RewriteError: Error {
        var message: String
        var token: Token
    }

    /// One pass over the tokens of a module (or of a script form), tracking the blocks that
    /// are open so as to tell legacy `catch` from `try_table`'s `(catch ...)`, to check the
    /// order of a `try`'s clauses and to resolve `delegate`'s label.
    ///
    /// Invariant: `frames` holds one entry per parenthesized form and per flat block that is
    /// open at `position`, innermost last; the label-carrying ones are exactly the labels a
    /// branch at `position` would count, once the stand-ins are in place.
    struct Rewriter {
        let tokens: ArraySlice<Token>
        var position: Int
        var frames: [Frame] = []
        /// In text order, as `apply` needs them (`replace` asserts it).
        private(set) var edits: [Edit] = []
        private(set) var markerCount = 0

        init(tokens: ArraySlice<Token>) {
            self.tokens = tokens
            self.position = tokens.startIndex
        }

        /// Where a `try` is among its clauses.
        enum TryState {
            /// A folded `try` before its `(do ...)`: the label and block type.
            case header
            /// The instructions protected by the `try`.
            case body
            /// After a `catch`: more `catch`es or one `catch_all` may follow.
            case catches
            /// After the `catch_all`: nothing else may follow.
            case catchAll
            /// A folded `try` after its `(delegate L)`: nothing else may follow.
            case delegated
        }

        struct Frame {
            enum Kind {
                /// A parenthesized form that opens no label: a module field, a folded plain
                /// instruction, `(then ...)`, a block type...
                case form
                /// `(block ...)`, `(loop ...)`, `(try_table ...)`.
                case foldedBlock
                /// `(if ...)`: its label encloses `(then ...)` and `(else ...)` but not the
                /// condition, which is encoded before the `if`.
                case foldedIf(labelOpen: Bool)
                case foldedTry(TryState)
                /// `(do ...)` or `(catch ...)` or `(catch_all ...)` of a folded `try`, whose
                /// parentheses are dropped.
                case tryClause
                /// `block`, `loop`, `if`, `try_table`, closed by `end`.
                case flatBlock
                case flatTry(TryState)
            }
            var kind: Kind
            /// The label's name (with its `$`), if the block has one.
            var label: Token?

            var opensLabel: Bool {
                switch kind {
                case .form, .tryClause: false
                case .foldedIf(let labelOpen): labelOpen
                case .foldedBlock, .foldedTry, .flatBlock, .flatTry: true
                }
            }

            var isFlat: Bool {
                switch kind {
                case .flatBlock, .flatTry: true
                default: false
                }
            }
        }

        mutating func run() throws(RewriteError) {
            while position < tokens.endIndex {
                let token = tokens[position]
                position += 1
                if token.elementsEqual("(".utf8) {
                    try open(token)
                } else if token.elementsEqual(")".utf8) {
                    try close(token)
                } else {
                    try atom(token)
                }
            }
            for frame in frames {
                switch frame.kind {
                case .flatTry, .foldedTry: throw RewriteError(message: "unclosed try", token: tokens[tokens.endIndex - 1])
                default: continue
                }
            }
        }

        // MARK: Tokens

        func peek(_ offset: Int = 0) -> Token? {
            position + offset < tokens.endIndex ? tokens[position + offset] : nil
        }

        static func isKeyword(_ token: Token?, _ keyword: String) -> Bool {
            token?.elementsEqual(keyword.utf8) ?? false
        }

        static func isName(_ token: Token?) -> Bool {
            token?.first == UInt8(ascii: "$")
        }

        static func isIndex(_ token: Token?) -> Bool {
            guard let first = token?.first else { return false }
            return first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")
        }

        /// Takes the next token if it is a `$name`.
        mutating func takeName() -> Token? {
            guard Self.isName(peek()) else { return nil }
            defer { position += 1 }
            return peek()
        }

        mutating func replace(_ token: Token, with replacement: String) {
            assert(edits.last.map { $0.end <= token.startIndex } ?? true, "edits out of text order")
            edits.append(Edit(start: token.startIndex, end: token.endIndex, replacement: replacement))
        }

        /// Drops a token, keeping the tokens around it apart.
        mutating func drop(_ token: Token) {
            replace(token, with: " ")
        }

        mutating func mark(_ token: Token, _ marker: Marker, then rest: String) {
            replace(token, with: marker.text + " " + rest)
            markerCount += 1
        }

        // MARK: Structure

        mutating func open(_ paren: Token) throws(RewriteError) {
            guard let keyword = peek(), !Self.isKeyword(keyword, "("), !Self.isKeyword(keyword, ")") else {
                frames.append(Frame(kind: .form))
                return
            }
            let parent = frames.last?.kind
            if case .foldedTry(let state) = parent {
                try openTryClause(paren, keyword, state)
                return
            }
            position += 1
            switch String(Substring(keyword)) {
            case "block", "loop", "try_table":
                frames.append(Frame(kind: .foldedBlock, label: peekName()))
            case "if":
                frames.append(Frame(kind: .foldedIf(labelOpen: false), label: peekName()))
            case "then", "else":
                if case .foldedIf = parent { frames[frames.count - 1].kind = .foldedIf(labelOpen: true) }
                frames.append(Frame(kind: .form))
            case "try":
                // `(try` becomes `(i64.const TRY) (block`; the try's own `)` closes the block.
                mark(keyword, .tryBlock, then: ") (block")
                frames.append(Frame(kind: .foldedTry(.header), label: takeName()))
            case "rethrow":
                mark(keyword, .rethrow, then: ") (br")
                frames.append(Frame(kind: .form))
            default:
                frames.append(Frame(kind: .form))
            }
        }

        func peekName() -> Token? {
            Self.isName(peek()) ? peek() : nil
        }

        /// A parenthesized clause directly inside a folded `try`.
        mutating func openTryClause(_ paren: Token, _ keyword: Token, _ state: TryState) throws(RewriteError) {
            let tryIndex = frames.count - 1
            func setState(_ state: TryState) { frames[tryIndex].kind = .foldedTry(state) }
            position += 1
            switch String(Substring(keyword)) {
            case "do":
                guard case .header = state else { throw RewriteError(message: "unexpected token (do", token: keyword) }
                drop(paren)
                drop(keyword)
                setState(.body)
                frames.append(Frame(kind: .tryClause))
            case "catch":
                guard state == .body || state == .catches else {
                    throw RewriteError(message: "unexpected token (catch", token: keyword)
                }
                drop(paren)
                try catchClause(keyword, tryIndex: tryIndex)
                setState(.catches)
                frames.append(Frame(kind: .tryClause))
            case "catch_all":
                guard state == .body || state == .catches else {
                    throw RewriteError(message: "unexpected token (catch_all", token: keyword)
                }
                drop(paren)
                try catchAllClause(keyword, tryIndex: tryIndex)
                setState(.catchAll)
                frames.append(Frame(kind: .tryClause))
            case "delegate":
                guard case .body = state else { throw RewriteError(message: "unexpected token (delegate", token: keyword) }
                drop(paren)
                try delegate(keyword, tryIndex: tryIndex, closing: "")
                guard let close = peek(), Self.isKeyword(close, ")") else {
                    throw RewriteError(message: "expected ) after the label of delegate", token: peek() ?? keyword)
                }
                position += 1
                drop(close)
                setState(.delegated)
            case "type", "param", "result":
                // The block type, before `(do`.
                guard case .header = state else {
                    throw RewriteError(message: "unexpected token (\(String(Substring(keyword)))", token: keyword)
                }
                frames.append(Frame(kind: .form))
            default:
                throw RewriteError(message: "unexpected token (\(String(Substring(keyword))) in a folded try", token: keyword)
            }
        }

        mutating func close(_ paren: Token) throws(RewriteError) {
            // Flat blocks left open inside a form are the parser's to report, but a flat
            // `try` would reach it half rewritten.
            while let frame = frames.last, frame.isFlat {
                if case .flatTry = frame.kind { throw RewriteError(message: "expected end of try", token: paren) }
                frames.removeLast()
            }
            guard let frame = frames.popLast() else { return }
            switch frame.kind {
            case .tryClause:
                drop(paren)
            case .foldedTry(.header):
                throw RewriteError(message: "expected (do in a folded try", token: paren)
            default:
                break
            }
        }

        mutating func atom(_ token: Token) throws(RewriteError) {
            if case .foldedTry = frames.last?.kind {
                throw RewriteError(message: "unexpected token \(String(Substring(token))) in a folded try", token: token)
            }
            switch String(Substring(token)) {
            case "block", "loop", "if", "try_table":
                frames.append(Frame(kind: .flatBlock, label: peekName()))
            case "try":
                mark(token, .tryBlock, then: "block")
                frames.append(Frame(kind: .flatTry(.body), label: takeName()))
            case "end":
                if let frame = frames.last, frame.isFlat { frames.removeLast() }
            case "catch", "catch_all", "delegate":
                guard case .flatTry(let state) = frames.last?.kind else {
                    throw RewriteError(message: "unexpected token \(String(Substring(token))): no try is open here", token: token)
                }
                let tryIndex = frames.count - 1
                switch String(Substring(token)) {
                case "catch":
                    guard state == .body || state == .catches else { throw RewriteError(message: "unexpected token catch", token: token) }
                    try catchClause(token, tryIndex: tryIndex)
                    frames[tryIndex].kind = .flatTry(.catches)
                case "catch_all":
                    guard state == .body || state == .catches else {
                        throw RewriteError(message: "unexpected token catch_all", token: token)
                    }
                    try catchAllClause(token, tryIndex: tryIndex)
                    frames[tryIndex].kind = .flatTry(.catchAll)
                default:
                    guard state == .body else { throw RewriteError(message: "unexpected token delegate", token: token) }
                    // `delegate` ends the try, so the stand-in block needs its `end`.
                    try delegate(token, tryIndex: tryIndex, closing: " end")
                    frames.removeLast()
                }
            case "rethrow":
                mark(token, .rethrow, then: "br")
            default:
                break
            }
        }

        // MARK: Clauses

        /// `catch $label? $tag`: the tag stays, for `throw` to resolve.
        mutating func catchClause(_ keyword: Token, tryIndex: Int) throws(RewriteError) {
            // A repeated label is a name followed by the tag; an instruction never starts
            // with a name or an index.
            let hasLabel = Self.isName(peek()) && (Self.isName(peek(1)) || Self.isIndex(peek(1)))
            guard Self.isName(peek(hasLabel ? 1 : 0)) || Self.isIndex(peek(hasLabel ? 1 : 0)) else {
                throw RewriteError(message: "expected a tag after catch", token: peek() ?? keyword)
            }
            mark(keyword, .catchTag, then: "throw")
            if hasLabel { try repeatedLabel(tryIndex: tryIndex) }
        }

        mutating func catchAllClause(_ keyword: Token, tryIndex: Int) throws(RewriteError) {
            mark(keyword, .catchAll, then: "")
            if Self.isName(peek()) { try repeatedLabel(tryIndex: tryIndex) }
        }

        /// A `try`'s label repeated after `catch` or `catch_all`, which must match it.
        mutating func repeatedLabel(tryIndex: Int) throws(RewriteError) {
            guard let name = takeName() else { return }
            guard let label = frames[tryIndex].label, label.elementsEqual(name) else {
                throw RewriteError(message: "mismatching label \(String(Substring(name)))", token: name)
            }
            drop(name)
        }

        /// `delegate L` becomes `i64.const DELEGATE br N` (and `closing`), where N is L's
        /// depth counted from outside the try, plus one for the stand-in block.
        mutating func delegate(_ keyword: Token, tryIndex: Int, closing: String) throws(RewriteError) {
            guard let label = peek(), Self.isName(label) || Self.isIndex(label) else {
                throw RewriteError(message: "expected a label after delegate", token: peek() ?? keyword)
            }
            position += 1
            let depth: UInt32
            if Self.isName(label) {
                let enclosing = frames[..<tryIndex].reversed().filter(\.opensLabel)
                guard let found = enclosing.firstIndex(where: { $0.label?.elementsEqual(label) ?? false }) else {
                    throw RewriteError(message: "unknown label \(String(Substring(label)))", token: label)
                }
                depth = UInt32(found)
            } else {
                guard let value = Self.parseIndex(label) else {
                    throw RewriteError(message: "malformed label index \(String(Substring(label)))", token: label)
                }
                depth = value
            }
            guard depth < UInt32.max else { throw RewriteError(message: "unknown label", token: label) }
            mark(keyword, .delegate, then: "br \(depth + 1)" + closing)
            drop(label)
        }

        /// A `u32` in the text format's notation: decimal or `0x` hexadecimal, `_` between digits.
        static func parseIndex(_ token: Token) -> UInt32? {
            var digits = Substring(token).filter { $0 != "_" }[...]
            var radix = 10
            if digits.hasPrefix("0x") {
                digits = digits.dropFirst(2)
                radix = 16
            }
            return UInt32(digits, radix: radix)
        }
    }

    // MARK: Binary

    /// Puts the legacy opcodes back in place of the markers in the code section of `binary`
    /// (see the type's documentation), for the text modules of a script that
    /// `rewriteScript` rewrote. A binary without markers is returned unchanged.
    public static func restore(_ binary: [UInt8]) throws -> [UInt8] {
        try restore(binary, expectedMarkers: nil)
    }

    /// `restore`, and when `expectedMarkers` is given (the number of markers the rewritten
    /// text held), a binary with another number is rejected rather than misread.
    static func restore(_ binary: [UInt8], expectedMarkers: Int?) throws(TextFormatError) -> [UInt8] {
        let header: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]
        guard binary.starts(with: header) else { return binary }
        var output: [UInt8] = []
        var found = 0
        let result = binary.withUnsafeBytes { buffer in
            Result { () throws(WasmError) in
                guard let base = buffer.baseAddress else { return }
                var reader = ByteReader(base: base, position: header.count, end: buffer.count)
                output.reserveCapacity(buffer.count)
                output += header
                while !reader.isAtEnd {
                    let sectionStart = reader.position
                    let id = try reader.readByte()
                    let size = Int(try reader.readU32())
                    let contentStart = try reader.skip(size)
                    guard id == 10 else {
                        output += binary[sectionStart..<reader.position]
                        continue
                    }
                    // The code section: every body is copied, with its size re-encoded.
                    var section = ByteReader(base: base, position: contentStart, end: reader.position)
                    var content: [UInt8] = []
                    let count = try section.readU32()
                    content += encodeUnsignedLEB(UInt64(count))
                    for _ in 0..<count {
                        let bodySize = Int(try section.readU32())
                        let bodyStart = try section.skip(bodySize)
                        let body = try restoreBody(binary[bodyStart..<section.position], found: &found)
                        content += encodeUnsignedLEB(UInt64(body.count))
                        content += body
                    }
                    content += binary[section.position..<reader.position]
                    output.append(id)
                    output += encodeUnsignedLEB(UInt64(content.count))
                    output += content
                }
            }
        }
        if case .failure(let error) = result {
            throw TextFormatError(message: "cannot restore legacy exception instructions: \(error.message)")
        }
        if let expectedMarkers, found != expectedMarkers {
            throw TextFormatError(
                message: "cannot restore legacy exception instructions: \(found) markers in the binary, \(expectedMarkers) in the text")
        }
        return found == 0 ? binary : output
    }

    /// One function body with its markers replaced.
    static func restoreBody(_ body: ArraySlice<UInt8>, found: inout Int) throws(WasmError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(body.count)
        var i = body.startIndex
        while i < body.endIndex {
            guard let marker = marker(in: body, at: i) else {
                output.append(body[i])
                i += 1
                continue
            }
            found += 1
            let next = i + 1 + 1 + markerTail.count
            func expect(_ opcode: UInt8, _ name: String) throws(WasmError) {
                guard next < body.endIndex, body[next] == opcode else {
                    throw .malformed("a \(marker) marker not followed by \(name)", at: next)
                }
            }
            switch marker {
            case .tryBlock:
                try expect(0x02, "block")
                output.append(0x06)
                i = next + 1
            case .catchTag:
                try expect(0x08, "throw")
                output.append(0x07)
                i = next + 1
            case .catchAll:
                output.append(0x19)
                i = next
            case .rethrow:
                try expect(0x0C, "br")
                output.append(0x09)
                i = next + 1
            case .delegate:
                try expect(0x0C, "br")
                var cursor = next + 1
                guard let depth = decodeUnsignedLEB(body, at: &cursor), depth >= 1, cursor < body.endIndex,
                    body[cursor] == 0x0B
                else {
                    throw .malformed("a delegate marker not followed by br and end", at: next)
                }
                output.append(0x18)
                output += encodeUnsignedLEB(depth - 1)
                i = cursor + 1
            }
        }
        return output
    }

    /// The marker whose encoding starts at `index`, if one does.
    static func marker(in body: ArraySlice<UInt8>, at index: Int) -> Marker? {
        guard body[index] == 0x42, body.endIndex - index >= 2 + markerTail.count,
            body[index + 1] & 0x80 != 0,
            let marker = Marker(rawValue: body[index + 1] & 0x7F),
            body[(index + 2)..<(index + 2 + markerTail.count)].elementsEqual(markerTail)
        else { return nil }
        return marker
    }

    static func encodeUnsignedLEB(_ value: UInt64) -> [UInt8] {
        var value = value
        var bytes: [UInt8] = []
        repeat {
            let low = UInt8(value & 0x7F)
            value >>= 7
            bytes.append(value == 0 ? low : low | 0x80)
        } while value != 0
        return bytes
    }

    static func encodeSignedLEB(_ value: Int64) -> [UInt8] {
        var value = value
        var bytes: [UInt8] = []
        while true {
            let low = UInt8(value & 0x7F)
            value >>= 7
            let done = (value == 0 && low & 0x40 == 0) || (value == -1 && low & 0x40 != 0)
            bytes.append(done ? low : low | 0x80)
            if done { return bytes }
        }
    }

    /// A `u32` LEB128 at `cursor`, advancing it; nil if the bytes end first or it is too long.
    static func decodeUnsignedLEB(_ bytes: ArraySlice<UInt8>, at cursor: inout Int) -> UInt64? {
        var result: UInt64 = 0
        for shift in stride(from: 0, to: 35, by: 7) {
            guard cursor < bytes.endIndex else { return nil }
            let byte = bytes[cursor]
            cursor += 1
            result |= UInt64(byte & 0x7F) << UInt64(shift)
            if byte & 0x80 == 0 { return result }
        }
        return nil
    }
}

extension TextFormatError {
    /// An error of the legacy-instruction rewrite, located at `index` in `text`.
    init(legacy message: String, in text: String, at index: String.Index) {
        self.init(message: message)
        var line = 1
        var lineStart = text.startIndex
        for position in text.utf8.indices[..<index] where text.utf8[position] == UInt8(ascii: "\n") {
            line += 1
            lineStart = text.utf8.index(after: position)
        }
        self.line = line
        self.column = text.unicodeScalars[lineStart..<index].count + 1
    }

    init(message: String) {
        self.message = message
        self.line = nil
        self.column = nil
    }
}
