/// YAML 1.1 typing of plain (unquoted) scalars, exactly as PyYAML's `SafeLoader` resolves and constructs
/// them (Y-03). Yams implements YAML 1.2's core schema, so `yes`, `010`, `0b101`, `1_000`, `1:20` and
/// `2024-01-01` would be typed differently there; pySigma sees the PyYAML types, and so must we.
///
/// The patterns below are PyYAML's implicit resolvers (bool, float, int, null, timestamp, value), tried in
/// PyYAML's order; only the first full match counts.
enum YAML11Typing {
    /// Why a plain scalar cannot be typed (PyYAML fails to construct it).
    struct Failure: Error {
        var reason: String
    }

    private static let boolWords: [String: Bool] = [
        "yes": true, "Yes": true, "YES": true, "no": false, "No": false, "NO": false,
        "true": true, "True": true, "TRUE": true, "false": false, "False": false, "FALSE": false,
        "on": true, "On": true, "ON": true, "off": false, "Off": false, "OFF": false,
    ]

    /// Types a plain scalar.
    static func resolve(plain text: String) throws(Failure) -> YAMLScalarValue {
        let b = Array(text.utf8)
        guard let first = b.first else { return .null }
        if text == "<<" {
            throw Failure(reason: "a plain '<<' is YAML's merge key and cannot be a value; quote it ('<<')")
        }
        // Fast path: most Sigma values start with a letter that begins none of the typed forms.
        if !isDigit(first) && !"+-.~nNtTfFyYoO=".utf8.contains(first) { return .string(text) }
        if let flag = boolWords[text] { return .bool(flag) }
        if matchesFloat(b) { return try constructFloat(b) }
        if matchesInt(b) { return try constructInt(b) }
        if text == "~" || text == "null" || text == "Null" || text == "NULL" { return .null }
        if let ts = matchTimestamp(b) {
            guard ts.isValid else { throw Failure(reason: "'\(text)' is not a valid date") }
            return ts.hasTime ? .timestamp(text) : .date(text)
        }
        if text == "=" {
            throw Failure(reason: "a plain '=' is YAML 1.1's value key, which Sigma cannot use; quote it ('=')")
        }
        return .string(text)
    }

    // MARK: - Matchers

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    private static func isHex(_ c: UInt8) -> Bool {
        isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)
    }
    private static let underscore = UInt8(ascii: "_")

    /// Skips an optional sign and returns the index after it.
    private static func afterSign(_ b: [UInt8]) -> Int {
        (b.first == UInt8(ascii: "+") || b.first == UInt8(ascii: "-")) ? 1 : 0
    }

    /// Consumes `[0-5]?[0-9]` sexagesimal groups `(:[0-5]?[0-9])+`; returns the end index or nil.
    private static func sexagesimal(_ b: [UInt8], from start: Int) -> Int? {
        var i = start
        var groups = 0
        while i < b.count, b[i] == UInt8(ascii: ":") {
            i += 1
            guard i < b.count, isDigit(b[i]) else { return nil }
            if i + 1 < b.count, isDigit(b[i + 1]) {
                guard b[i] <= UInt8(ascii: "5") else { return nil }
                i += 2
            } else {
                i += 1
            }
            groups += 1
        }
        return groups > 0 ? i : nil
    }

    /// `[eE][-+][0-9]+` at `i`, or nothing; returns the end index, or nil when malformed.
    private static func exponent(_ b: [UInt8], from i: Int) -> Int? {
        guard i < b.count else { return i }
        guard b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") else { return nil }
        var j = i + 1
        guard j < b.count, b[j] == UInt8(ascii: "+") || b[j] == UInt8(ascii: "-") else { return nil }
        j += 1
        let digitsStart = j
        while j < b.count, isDigit(b[j]) { j += 1 }
        return j > digitsStart ? j : nil
    }

    static func matchesFloat(_ b: [UInt8]) -> Bool {
        let s = afterSign(b)
        let dot = UInt8(ascii: ".")
        // [-+]?\.(inf|Inf|INF)  and  \.(nan|NaN|NAN)
        let rest = String(decoding: b[s...], as: UTF8.self)
        if rest == ".inf" || rest == ".Inf" || rest == ".INF" { return true }
        if s == 0, rest == ".nan" || rest == ".NaN" || rest == ".NAN" { return true }
        // \.[0-9_]+([eE][-+][0-9]+)?   (no sign allowed)
        if s == 0, b.first == dot {
            var i = 1
            while i < b.count, isDigit(b[i]) || b[i] == underscore { i += 1 }
            if i > 1, let end = exponent(b, from: i), end == b.count { return true }
            return false
        }
        // [-+]?[0-9][0-9_]* then either \.[0-9_]*(exp)?  or  (:[0-5]?[0-9])+\.[0-9_]*
        guard s < b.count, isDigit(b[s]) else { return false }
        var i = s + 1
        while i < b.count, isDigit(b[i]) || b[i] == underscore { i += 1 }
        if i < b.count, b[i] == dot {
            var j = i + 1
            while j < b.count, isDigit(b[j]) || b[j] == underscore { j += 1 }
            if let end = exponent(b, from: j), end == b.count { return true }
            return false
        }
        if let end = sexagesimal(b, from: i), end < b.count, b[end] == dot {
            var j = end + 1
            while j < b.count, isDigit(b[j]) || b[j] == underscore { j += 1 }
            return j == b.count
        }
        return false
    }

    static func matchesInt(_ b: [UInt8]) -> Bool {
        let s = afterSign(b)
        guard s < b.count else { return false }
        let rest = b[s...]
        let zero = UInt8(ascii: "0")
        if rest.count >= 3, b[s] == zero, b[s + 1] == UInt8(ascii: "b") {
            return b[(s + 2)...].allSatisfy { $0 == zero || $0 == UInt8(ascii: "1") || $0 == underscore }
        }
        if rest.count >= 3, b[s] == zero, b[s + 1] == UInt8(ascii: "x") {
            return b[(s + 2)...].allSatisfy { isHex($0) || $0 == underscore }
        }
        if b[s] == zero {
            if rest.count == 1 { return true }
            return b[(s + 1)...].allSatisfy { ($0 >= zero && $0 <= UInt8(ascii: "7")) || $0 == underscore }
        }
        guard isDigit(b[s]) else { return false }
        var i = s + 1
        while i < b.count, isDigit(b[i]) || b[i] == underscore { i += 1 }
        if i == b.count { return true }
        if let end = sexagesimal(b, from: i), end == b.count { return true }
        return false
    }

    private struct Timestamp {
        var isValid: Bool
        var hasTime: Bool
    }

    /// PyYAML's timestamp resolver: `YYYY-MM-DD`, or `YYYY-M-D` followed by a time and optional zone.
    private static func matchTimestamp(_ b: [UInt8]) -> Timestamp? {
        var i = 0
        func digits(min: Int, max: Int) -> Int? {
            let start = i
            while i < b.count, i - start < max, isDigit(b[i]) { i += 1 }
            guard i - start >= min else { return nil }
            return Int(String(decoding: b[start..<i], as: UTF8.self))
        }
        func expect(_ c: Character) -> Bool {
            guard i < b.count, b[i] == c.asciiValue else { return false }
            i += 1
            return true
        }
        guard b.count >= 8, let year = digits(min: 4, max: 4), expect("-") else { return nil }
        let monthStart = i
        guard let month = digits(min: 1, max: 2) else { return nil }
        let monthLen = i - monthStart
        guard expect("-") else { return nil }
        let dayStart = i
        guard let day = digits(min: 1, max: 2) else { return nil }
        let dayLen = i - dayStart
        let valid = isValidDate(year: year, month: month, day: day)
        if i == b.count {
            // The date-only form needs two-digit month and day.
            guard monthLen == 2, dayLen == 2 else { return nil }
            return Timestamp(isValid: valid, hasTime: false)
        }
        // Separator: [Tt] or [ \t]+
        if i < b.count, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") {
            i += 1
        } else {
            let start = i
            while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
            guard i > start else { return nil }
        }
        guard let hour = digits(min: 1, max: 2), expect(":"), let minute = digits(min: 2, max: 2), expect(":"),
            let second = digits(min: 2, max: 2)
        else { return nil }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        if i < b.count {
            while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
            if i < b.count, b[i] == UInt8(ascii: "Z") {
                i += 1
            } else if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                i += 1
                guard digits(min: 1, max: 2) != nil else { return nil }
                if i < b.count, b[i] == UInt8(ascii: ":") {
                    i += 1
                    guard digits(min: 2, max: 2) != nil else { return nil }
                }
            } else {
                return nil
            }
        }
        guard i == b.count else { return nil }
        let timeValid = hour < 24 && minute < 60 && second < 61
        return Timestamp(isValid: valid && timeValid, hasTime: true)
    }

    static func isValidDate(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1, year >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }

    // MARK: - Construction

    private static func constructInt(_ bytes: [UInt8]) throws(Failure) -> YAMLScalarValue {
        let original = String(decoding: bytes, as: UTF8.self)
        var b = bytes.filter { $0 != underscore }
        var negative = false
        if let f = b.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") {
            negative = f == UInt8(ascii: "-")
            b.removeFirst()
        }
        let tooLarge = Failure(reason: "the integer \(original) is too large (at most 64 bits are supported)")
        func magnitude(_ digits: ArraySlice<UInt8>, radix: UInt64) throws(Failure) -> UInt64 {
            guard !digits.isEmpty else { throw Failure(reason: "'\(original)' is not a valid number") }
            var value: UInt64 = 0
            for d in digits {
                guard let digit = UInt64(String(UnicodeScalar(d)), radix: Int(radix)) else {
                    throw Failure(reason: "'\(original)' is not a valid number")
                }
                let (m, o1) = value.multipliedReportingOverflow(by: radix)
                let (s, o2) = m.addingReportingOverflow(digit)
                guard !o1, !o2 else { throw tooLarge }
                value = s
            }
            return value
        }
        func signed(_ m: UInt64) throws(Failure) -> YAMLScalarValue {
            if negative {
                guard m <= UInt64(Int64.max) + 1 else { throw tooLarge }
                return .int(m == UInt64(Int64.max) + 1 ? Int64.min : -Int64(m))
            }
            guard m <= UInt64(Int64.max) else { throw tooLarge }
            return .int(Int64(m))
        }
        let zero = UInt8(ascii: "0")
        if b == [zero] { return .int(0) }
        if b.count >= 2, b[0] == zero, b[1] == UInt8(ascii: "b") { return try signed(try magnitude(b[2...], radix: 2)) }
        if b.count >= 2, b[0] == zero, b[1] == UInt8(ascii: "x") {
            return try signed(try magnitude(b[2...], radix: 16))
        }
        if b.first == zero { return try signed(try magnitude(b[...], radix: 8)) }
        if b.contains(UInt8(ascii: ":")) {
            var total: UInt64 = 0
            for part in b.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false) {
                let (m, o1) = total.multipliedReportingOverflow(by: 60)
                let (s, o2) = m.addingReportingOverflow(try magnitude(part, radix: 10))
                guard !o1, !o2 else { throw tooLarge }
                total = s
            }
            return try signed(total)
        }
        return try signed(try magnitude(b[...], radix: 10))
    }

    private static func constructFloat(_ bytes: [UInt8]) throws(Failure) -> YAMLScalarValue {
        let original = String(decoding: bytes, as: UTF8.self)
        var text = String(decoding: bytes.filter { $0 != underscore }, as: UTF8.self).lowercased()
        var sign = 1.0
        if text.hasPrefix("-") || text.hasPrefix("+") {
            if text.hasPrefix("-") { sign = -1 }
            text.removeFirst()
        }
        if text == ".inf" { return .float(sign * .infinity) }
        if text == ".nan" { return .float(.nan) }
        func number(_ t: String) throws(Failure) -> Double {
            // Python's float() accepts "1." and ".5"; spell them out for Swift's parser.
            var t = t
            if t.hasPrefix(".") { t = "0" + t }
            if let dot = t.firstIndex(of: "."),
                t.index(after: dot) == t.endIndex || "e".contains(t[t.index(after: dot)])
            {
                t.insert("0", at: t.index(after: dot))
            }
            guard let d = Double(t) else { throw Failure(reason: "'\(original)' is not a valid number") }
            return d
        }
        if text.contains(":") {
            var total = 0.0
            for part in text.split(separator: ":", omittingEmptySubsequences: false) {
                total = total * 60 + (try number(String(part)))
            }
            return .float(sign * total)
        }
        return .float(sign * (try number(text)))
    }
}
