extension SigmaString {
    /// Parses a rule string value with Sigma escaping (ST-03).
    ///
    /// - `*` and `?` are wildcards (``Part/wildcardMulti``, ``Part/wildcardSingle``).
    /// - `\*`, `\?` and `\\` escape: they give a literal `*`, `?`, `\`.
    /// - A backslash before any other character stays literal (`C:\Windows` is `C:\Windows`), and a trailing
    ///   backslash is literal (`C:\`). So `a\\\b` is `a\\b`, and `C:\Windows\*` is the literal `C:\Windows*`.
    /// - When `placeholders` is true (the item has `|expand`), `%name%` (name: letters, digits, `_`) becomes
    ///   ``Part/placeholder(_:)`` and `\%` is a literal `%` (PH-03, the spec's reading). Without it `%` is
    ///   an ordinary character (PH-01).
    ///
    /// - Complexity: O(n) in the length of `text`.
    public init(parsing text: String, placeholders: Bool = false) {
        var parts: [Part] = []
        var literal = String.UnicodeScalarView()
        let scalars = text.unicodeScalars
        let end = scalars.endIndex

        func flush() {
            if !literal.isEmpty {
                parts.append(.literal(String(literal)))
                literal = String.UnicodeScalarView()
            }
        }

        var index = scalars.startIndex
        while index < end {
            let scalar = scalars[index]
            let next = scalars.index(after: index)
            switch scalar {
            case "\\":
                if next < end {
                    let escaped = scalars[next]
                    if escaped == "*" || escaped == "?" || escaped == "\\" || (placeholders && escaped == "%") {
                        literal.append(escaped)
                        index = scalars.index(after: next)
                        continue
                    }
                }
                literal.append(scalar)
            case "*":
                flush()
                parts.append(.wildcardMulti)
            case "?":
                flush()
                parts.append(.wildcardSingle)
            case "%" where placeholders:
                if let (name, after) = Self.placeholderName(in: scalars, from: next) {
                    flush()
                    parts.append(.placeholder(name))
                    index = after
                    continue
                }
                literal.append(scalar)
            default:
                literal.append(scalar)
            }
            index = next
        }
        flush()
        self.init(parts: parts)
    }

    /// Reads `name%` starting just after an opening `%`: the name (one or more word characters) and the index
    /// after the closing `%`, or nil when the text there is not a placeholder.
    static func placeholderName(
        in scalars: String.UnicodeScalarView, from start: String.UnicodeScalarView.Index
    ) -> (String, String.UnicodeScalarView.Index)? {
        var index = start
        var name = String.UnicodeScalarView()
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if scalar == "%" {
                return name.isEmpty ? nil : (String(name), scalars.index(after: index))
            }
            guard scalar.isSigmaWordCharacter else { return nil }
            name.append(scalar)
            index = scalars.index(after: index)
        }
        return nil
    }
}

extension Unicode.Scalar {
    /// Python's `\w` for `str` patterns (what pySigma's placeholder and windash regexes use): letters,
    /// numbers and `_`.
    var isSigmaWordCharacter: Bool {
        if isASCII {
            let v = value
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
        }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }
}
