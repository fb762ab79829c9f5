/// Checks of the text format that must happen before WasmKit's encoder runs, because the
/// encoder drops the information they need.
///
/// `select (result)` and `select (result t1 t2)` are invalid (a typed `select` has exactly
/// one result), but the encoder turns the first into an untyped `select` and keeps only
/// `t1` of the second, so the binary no longer shows the mistake.
enum TextPrecheck {
    static func check(_ text: Substring) throws(WasmError) {
        var scanner = Scanner(text.utf8)
        while let token = scanner.nextToken() {
            guard token.elementsEqual("select".utf8) else { continue }
            var resultGroups = 0
            var resultTypes = 0
            while scanner.peekOpenParen(followedBy: "result") {
                resultGroups += 1
                _ = scanner.nextToken()  // "("
                _ = scanner.nextToken()  // "result"
                while let type = scanner.nextToken(), !type.elementsEqual(")".utf8) {
                    resultTypes += 1
                }
            }
            if resultGroups > 0 && resultTypes != 1 {
                throw WasmError(.invalid, "invalid result arity (typed select at line \(scanner.line))", offset: nil)
            }
        }
    }

    /// A tokenizer just good enough to find keywords: it skips comments and strings and
    /// returns parentheses and atoms.
    struct Scanner {
        let bytes: Substring.UTF8View
        var index: Substring.UTF8View.Index
        var line = 1

        init(_ bytes: Substring.UTF8View) {
            self.bytes = bytes
            self.index = bytes.startIndex
        }

        private func byte(at i: Substring.UTF8View.Index) -> UInt8? {
            i < bytes.endIndex ? bytes[i] : nil
        }

        private mutating func advance() {
            if bytes[index] == UInt8(ascii: "\n") { line += 1 }
            index = bytes.index(after: index)
        }

        private mutating func skipTrivia() {
            while let c = byte(at: index) {
                if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
                    advance()
                } else if c == UInt8(ascii: ";"), byte(at: bytes.index(after: index)) == UInt8(ascii: ";") {
                    while let d = byte(at: index), d != UInt8(ascii: "\n") { advance() }
                } else if c == UInt8(ascii: "("), byte(at: bytes.index(after: index)) == UInt8(ascii: ";") {
                    var depth = 0
                    while let d = byte(at: index) {
                        let next = byte(at: bytes.index(after: index))
                        if d == UInt8(ascii: "("), next == UInt8(ascii: ";") {
                            depth += 1
                            advance()
                        } else if d == UInt8(ascii: ";"), next == UInt8(ascii: ")") {
                            depth -= 1
                            advance()
                            if depth == 0 {
                                advance()
                                break
                            }
                        }
                        advance()
                    }
                } else {
                    return
                }
            }
        }

        mutating func peekOpenParen(followedBy keyword: String) -> Bool {
            var copy = self
            guard let open = copy.nextToken(), open.elementsEqual("(".utf8) else { return false }
            guard let word = copy.nextToken() else { return false }
            return word.elementsEqual(keyword.utf8)
        }

        mutating func nextToken() -> Substring.UTF8View.SubSequence? {
            skipTrivia()
            guard let c = byte(at: index) else { return nil }
            let start = index
            if c == UInt8(ascii: "(") || c == UInt8(ascii: ")") {
                advance()
                return bytes[start..<index]
            }
            if c == UInt8(ascii: "\"") {
                advance()
                while let d = byte(at: index) {
                    advance()
                    if d == UInt8(ascii: "\\"), index < bytes.endIndex {
                        advance()
                    } else if d == UInt8(ascii: "\"") {
                        break
                    }
                }
                return bytes[start..<index]
            }
            while let d = byte(at: index), d != UInt8(ascii: "("), d != UInt8(ascii: ")"),
                d != UInt8(ascii: " "), d != UInt8(ascii: "\n"), d != UInt8(ascii: "\t"), d != UInt8(ascii: "\r"), d != UInt8(ascii: ";")
            {
                advance()
            }
            if index == start { advance() }
            return bytes[start..<index]
        }
    }
}
