import CloudTrail
import Testing

/// RFC 8259 conformance of the byte scanner: every JSON feature, valid and invalid, with error positions.
struct ScannerConformanceTests {
    /// Parses `bytes`; returns the error or nil.
    private func scanError(_ bytes: [UInt8], limits: JSONLimits = JSONLimits()) -> JSONError? {
        do {
            try JSONScanner(limits: limits).parse(bytes) { _ in }
            return nil
        } catch let error as JSONError {
            return error
        } catch {
            Issue.record("unexpected error type \(error)")
            return nil
        }
    }

    private func scanError(_ text: String, limits: JSONLimits = JSONLimits()) -> JSONError? {
        scanError(Array(text.utf8), limits: limits)
    }

    static let valid: [String] = [
        "{}", "[]", " \t\r\n{} \n", "0", "-0", "1", "-1", "123456789012345678901234567890",
        "1.5", "-0.0", "1e5", "1E5", "1e+5", "1e-5", "1.25e-10", "0.1e1",
        // Numbers at the edges of Double: all valid JSON, kept as text.
        "1.7976931348623157e308", "-1.7976931348623157e308", "5e-324", "4.9406564584124654e-324",
        "2.2250738585072014e-308", "1e309", "-1e400", "1e-400", "9007199254740993",
        "true", "false", "null", "\"\"", "\"abc\"",
        #"" \" \\ \/ \b \f \n \r \t ""#, #""\u0000""#, #""\u00e9\u20AC\uFFFF""#,
        #""\ud83d\ude00""#, #""\uD834\uDD1E""#, #""\uDBFF\uDFFF""#,
        "\"caf\u{E9} \u{20AC} \u{1F600}\"", "\"\u{7F}\"",
        #"{"a":[1,{"b":null},"c",true,false,[]],"d":{}}"#,
        #"[[[[[[[[[[]]]]]]]]]]"#, #"{"":""}"#, #"{"a":1,"a":2}"#,
    ]

    @Test(arguments: valid)
    func acceptsValidDocument(_ text: String) {
        #expect(scanError(text) == nil, "\(text)")
    }

    struct Invalid: Sendable, CustomStringConvertible {
        var name: String
        var bytes: [UInt8]
        var code: JSONError.Code
        var offset: Int
        var line = 1
        var description: String { name }

        init(_ name: String, _ text: String, _ code: JSONError.Code, at offset: Int, line: Int = 1) {
            self.init(name, Array(text.utf8), code, at: offset, line: line)
        }

        init(_ name: String, _ bytes: [UInt8], _ code: JSONError.Code, at offset: Int, line: Int = 1) {
            self.name = name
            self.bytes = bytes
            self.code = code
            self.offset = offset
            self.line = line
        }
    }

    static let invalid: [Invalid] = [
        // Structure and truncation.
        Invalid("empty", "", .empty, at: 0),
        Invalid("whitespace only", "  \n ", .empty, at: 4, line: 2),
        Invalid("unclosed object", #"{"a":1"#, .unexpectedEnd, at: 6),
        Invalid("unclosed array", "[1,2", .unexpectedEnd, at: 4),
        Invalid("truncated string", #"{"a":"abc"#, .unexpectedEnd, at: 9),
        Invalid("truncated escape", #""ab\"#, .unexpectedEnd, at: 4),
        Invalid("truncated unicode escape", #""\u12"#, .unexpectedEnd, at: 5),
        Invalid("truncated literal", "tru", .unexpectedEnd, at: 3),
        Invalid("truncated after key", #"{"a""#, .unexpectedEnd, at: 4),
        Invalid("trailing comma in object", #"{"a":1,}"#, .unexpectedByte, at: 7),
        Invalid("trailing comma in array", "[1,]", .unexpectedByte, at: 3),
        Invalid("missing colon", #"{"a" 1}"#, .unexpectedByte, at: 5),
        Invalid("missing comma", #"{"a":1 "b":2}"#, .unexpectedByte, at: 7),
        Invalid("unquoted key", "{a:1}", .unexpectedByte, at: 1),
        Invalid("single quotes", "['a']", .unexpectedByte, at: 1),
        Invalid("mismatched bracket", #"{"a":[1}"#, .unexpectedByte, at: 7),
        Invalid("two values", "{} {}", .trailingData, at: 3),
        Invalid("garbage after value", "[1]x", .trailingData, at: 3),
        Invalid("comment", "// c\n{}", .unexpectedByte, at: 0),
        Invalid("error on a later line", "{\n  \"a\": 1,\n  \"b\": tru\n}", .unexpectedByte, at: 22, line: 3),
        // Literals.
        Invalid("capitalised literal", "True", .unexpectedByte, at: 0),
        Invalid("misspelt literal", "nul1", .unexpectedByte, at: 3),
        Invalid("NaN", "NaN", .unexpectedByte, at: 0),
        Invalid("Infinity", "[Infinity]", .unexpectedByte, at: 1),
        Invalid("falsey", "[falsey]", .unexpectedByte, at: 6),
        // Numbers.
        Invalid("leading zero", "[01]", .invalidNumber, at: 2),
        Invalid("negative leading zero", "-012", .invalidNumber, at: 2),
        Invalid("lone minus", "[-]", .invalidNumber, at: 2),
        Invalid("plus sign", "[+1]", .unexpectedByte, at: 1),
        Invalid("bare fraction", "[.5]", .unexpectedByte, at: 1),
        Invalid("dot without digits", "[1.]", .invalidNumber, at: 3),
        Invalid("exponent without digits", "[1e]", .invalidNumber, at: 3),
        Invalid("exponent sign without digits", "[1e+]", .invalidNumber, at: 4),
        Invalid("hex number", "[0x1F]", .unexpectedByte, at: 2),
        Invalid("number then letter", "[1a]", .unexpectedByte, at: 2),
        // Strings: escapes.
        Invalid("unknown escape", #"["a\x"]"#, .invalidEscape, at: 3),
        Invalid("escaped single quote", #"["\'"]"#, .invalidEscape, at: 2),
        Invalid("short unicode escape", #"["\u12G4"]"#, .invalidEscape, at: 2),
        Invalid("uppercase U escape", #"["\U0041"]"#, .invalidEscape, at: 2),
        // Strings: surrogates.
        Invalid("lone high surrogate", #"["\ud83d"]"#, .loneSurrogate, at: 2),
        Invalid("high surrogate then text", #"["\ud83dx"]"#, .loneSurrogate, at: 2),
        Invalid("high surrogate then non-low escape", #"["\ud83d\u0041"]"#, .loneSurrogate, at: 2),
        Invalid("two high surrogates", #"["\ud83d\ud83d"]"#, .loneSurrogate, at: 2),
        Invalid("lone low surrogate", #"["\ude00"]"#, .loneSurrogate, at: 2),
        Invalid("reversed pair", #"["\ude00\ud83d"]"#, .loneSurrogate, at: 2),
        Invalid("high surrogate then other escape", #"["\ud83d\n"]"#, .loneSurrogate, at: 2),
        // Strings: raw control characters and NUL.
        Invalid("raw newline in string", "[\"a\nb\"]", .controlCharacter, at: 3),
        Invalid("raw tab in string", "[\"a\tb\"]", .controlCharacter, at: 3),
        Invalid("NUL byte in string", [0x5B, 0x22, 0x61, 0x00, 0x22, 0x5D], .controlCharacter, at: 3),
        Invalid("NUL byte between tokens", [0x5B, 0x31, 0x00, 0x5D], .unexpectedByte, at: 2),
        Invalid("NUL byte first", [0x00], .unexpectedByte, at: 0),
        Invalid("NUL byte in a long string", Array("[\"abcdefghijklmnop".utf8) + [0x00] + Array("qrstuvwxyz\"]".utf8),
                .controlCharacter, at: 18),
        // Invalid UTF-8.
        Invalid("lone continuation byte", [0x22, 0x80, 0x22], .invalidUTF8, at: 1),
        Invalid("overlong slash", [0x22, 0xC0, 0xAF, 0x22], .invalidUTF8, at: 1),
        Invalid("overlong 3-byte", [0x22, 0xE0, 0x80, 0xAF, 0x22], .invalidUTF8, at: 1),
        Invalid("UTF-8 encoded surrogate", [0x22, 0xED, 0xA0, 0x80, 0x22], .invalidUTF8, at: 1),
        Invalid("above U+10FFFF", [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], .invalidUTF8, at: 1),
        Invalid("F5 lead byte", [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], .invalidUTF8, at: 1),
        Invalid("truncated sequence", [0x22, 0xE2, 0x82, 0x22], .invalidUTF8, at: 1),
        Invalid("invalid byte in long string", Array("\"0123456789".utf8) + [0xFF] + Array("\"".utf8),
                .invalidUTF8, at: 11),
        Invalid("Latin-1 byte", [0x22, 0x63, 0x61, 0x66, 0xE9, 0x22], .invalidUTF8, at: 4),
        Invalid("invalid byte outside a string", [0x5B, 0xFF, 0x5D], .unexpectedByte, at: 1),
        // BOM: RFC 8259 forbids it in JSON text; the file readers skip one at the start of an input.
        Invalid("BOM", [0xEF, 0xBB, 0xBF, 0x7B, 0x7D], .unexpectedByte, at: 0),
    ]

    @Test(arguments: invalid)
    func rejectsInvalidDocumentAtItsPosition(_ case_: Invalid) throws {
        let error = try #require(scanError(case_.bytes), "\(case_.name) was accepted")
        #expect(error.code == case_.code, "\(case_.name): \(error)")
        #expect(error.byteOffset == case_.offset, "\(case_.name): \(error)")
        #expect(error.line == case_.line, "\(case_.name): \(error)")
        #expect(!error.message.isEmpty)
    }

    @Test func depthLimitIsEnforcedAtTheOffendingBracket() throws {
        let atLimit = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(scanError(atLimit) == nil)
        let over = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let e = try #require(scanError(over))
        #expect(e.code == .depthLimit)
        #expect(e.byteOffset == 512)
        // Objects count too, and a custom limit applies.
        let objects = String(repeating: #"{"a":"#, count: 5) + "1" + String(repeating: "}", count: 5)
        #expect(scanError(objects, limits: JSONLimits(maxDepth: 5)) == nil)
        let e2 = try #require(scanError(objects, limits: JSONLimits(maxDepth: 4)))
        #expect(e2.code == .depthLimit)
        #expect(e2.byteOffset == 20)
        // Hostile nesting is an error, never a stack overflow.
        let hostile = String(repeating: "[", count: 1_000_000)
        #expect(scanError(hostile)?.code == .depthLimit)
    }

    @Test func sizeLimitIsEnforced() throws {
        let text = #"{"a":"0123456789"}"#
        #expect(scanError(text, limits: JSONLimits(maxDocumentBytes: 18)) == nil)
        let e = try #require(scanError(text, limits: JSONLimits(maxDocumentBytes: 10)))
        #expect(e.code == .documentTooLarge)
        #expect(e.byteOffset == 10)
    }

    @Test func stringsAreDecodedOnlyWhenAsked() throws {
        let scanner = JSONScanner()
        try scanner.parse(#"{"plain":"abc","esc":"a\"b\\c\/d\u00e9\ud83d\ude00\n","k\u0065y":1}"#) { root in
            let plain = try #require(root["plain"])
            #expect(!plain.hasEscapes)
            #expect(plain.string == "abc")
            let esc = try #require(root["esc"])
            #expect(esc.hasEscapes)
            #expect(esc.string == "a\"b\\c/d\u{E9}\u{1F600}\n")
            #expect(String(decoding: esc.rawBytes, as: UTF8.self) == #"a\"b\\c\/d\u00e9\ud83d\ude00\n"#)
            // Keys are compared after decoding their escapes.
            #expect(root["key"]?.text == "1")
            #expect(root["missing"] == nil)
        }
    }

    @Test func caseInsensitiveComparisonFoldsASCIIOnly() throws {
        try JSONScanner().parse(#"["ConsoleLogin","Caf\u00c9","a@b"]"#) { root in
            var values: [JSONValue] = []
            root.forEachElement { values.append($0) }
            #expect(values.count == 3)
            #expect(values[0].stringEquals("consolelogin", caseInsensitive: true))
            #expect(!values[0].stringEquals("consolelogin"))
            #expect(values[0].stringEquals("ConsoleLogin"))
            #expect(!values[0].stringEquals("consolelogi", caseInsensitive: true))
            // Non-letters never fold: '@' (0x40) and '`' (0x60) differ by the case bit.
            #expect(!values[2].stringEquals("a`b", caseInsensitive: true))
            // Escaped strings compare on their decoded bytes.
            #expect(values[1].stringEquals("CAF\u{C9}", caseInsensitive: true))
        }
    }

    @Test func compactTextFollowsDecisionD1() throws {
        let source = #"{ "b" : [ 1 , 2.50 , "x\"y" ] , "a" : { "c" : null , "d" : true }, "e": "\u00e9" }"#
        try JSONScanner().parse(source) { root in
            #expect(root.text == #"{"b":[1,2.50,"x"y"],"a":{"c":null,"d":true},"e":"é"}"#)
            #expect(root["b"]?.text == #"[1,2.50,"x"y"]"#)
            #expect(root["a"]?["c"]?.kind == .null)
            #expect(root["a"]?["c"]?.text == "")
            #expect(root.count == 3)
        }
    }

    @Test func tapeIsReusedAcrossDocumentsOfDifferentSizes() throws {
        let scanner = JSONScanner()
        let big = "[" + (0..<5000).map { "{\"k\":\($0)}" }.joined(separator: ",") + "]"
        try scanner.parse(big) { #expect($0.count == 5000) }
        let grown = scanner.tapeBytes
        try scanner.parse("[1,2]") { #expect($0.count == 2) }
        try scanner.parse(big) { #expect($0.count == 5000) }
        #expect(scanner.tapeBytes == grown)
    }
}
