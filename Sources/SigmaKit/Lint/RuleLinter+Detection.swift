extension LintContext {
    /// LINT-03 (identifiers and conditions), LINT-04 (values), LINT-05 (modifier combinations).
    mutating func checkDetections(_ rule: SigmaRule) {
        let names = rule.detections.map(\.name)
        var used: Set<String> = []
        for (index, condition) in rule.conditions.enumerated() {
            let location = rule.detections.first?.location ?? rule.origin.location
            if let resolved = try? condition.resolved(identifiers: names, at: location) {
                used.formUnion(Self.identifiers(in: resolved))
            }
            let text = rule.conditionTexts[safe: index] ?? ""
            let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "(" || $0 == ")" })
            for i in words.indices.dropLast(2) where words[i + 1] == "of" && words[i + 2] == "them" {
                if words[i] == "all" {
                    warn(
                        .allOfThem, "'all of them' is fragile: adding a selection later changes the rule's meaning",
                        at: location)
                }
                if names.count == 1 {
                    warn(
                        .themWithSingleDetection,
                        "'\(words[i]) of them' with a single search identifier; "
                            + "name it directly", at: location)
                }
            }
        }
        for detection in rule.detections where !used.contains(detection.name) {
            warn(
                .unusedDetection, "search identifier '\(detection.name)' is not used by the condition",
                at: detection.location)
        }

        // Values, from the document text (positions and quoting are needed).
        guard let tree = Self.tree(of: rule.origin), let section = tree["detection"]?.mapping else { return }
        for pair in section where pair.key != "condition" {
            checkDefinition(pair.value, key: nil, keyLocation: pair.keyLocation)
        }
    }

    private mutating func checkDefinition(_ node: YAMLNode, key: String?, keyLocation: SourceLocation) {
        switch node.content {
        case .mapping(let pairs):
            for pair in pairs { checkItem(key: pair.key, keyLocation: pair.keyLocation, value: pair.value) }
        case .sequence(let items) where !items.allSatisfy({ $0.scalar != nil }):
            for item in items { checkDefinition(item, key: nil, keyLocation: item.location) }
        default:
            checkItem(key: nil, keyLocation: keyLocation, value: node)
        }
    }

    private mutating func checkItem(key: String?, keyLocation: SourceLocation, value: YAMLNode) {
        let parts = key.map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) } ?? [""]
        let modifiers = Array(parts.dropFirst())
        let isKeyword = parts[0].isEmpty
        let values = value.sequence ?? [value]

        // LINT-05 / CH-06
        if modifiers.contains("all") && !modifiers.contains("contains") && !isKeyword && !modifiers.contains("re") {
            warn(
                .modifierCombination, "'all' without 'contains' asks one field to equal several values at once",
                at: keyLocation)
        }
        if modifiers.contains("base64offset") && !modifiers.contains("contains") {
            warn(
                .modifierCombination, "'base64offset' without 'contains' rarely matches: the variants are fragments",
                at: keyLocation)
        }
        if modifiers.contains("windash") && modifiers.contains("all") {
            warn(
                .modifierCombination, "'windash' with 'all' requires every dash variant list to match",
                at: keyLocation)
        }
        var seen: Set<String> = []
        for modifier in modifiers where !seen.insert(modifier).inserted && modifier != "base64" {
            warn(.modifierCombination, "modifier '\(modifier)' is used twice", at: keyLocation)
        }
        if modifiers.contains("all") && value.sequence.map({ $0.count <= 1 }) ?? true {
            warn(.allWithSingleValue, "'all' on a single value changes nothing", at: keyLocation)
        }
        if values.count > 1 && values.contains(where: \.isNull) {
            warn(
                .nullInValueList, "null inside a value list: write the null test as its own selection",
                at: values.first(where: \.isNull)?.location ?? keyLocation)
        }

        for node in values {
            guard let scalar = node.scalar, case .string(let text) = scalar.value else { continue }
            let isRegex = modifiers.contains("re")
            if text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F }) {
                warn(.controlCharacter, "the value contains a control character", at: node.location)
            }
            if isRegex || modifiers.contains("fieldref") || modifiers.contains("cidr") { continue }
            let wildcards = Self.wildcardPositions(text)
            if text.contains("**") && wildcards.doubled {
                warn(.doubleWildcard, "'**' is the same as '*'", at: node.location)
            }
            if wildcards.escaped {
                warn(
                    .escapedWildcard,
                    "'\\*' or '\\?' is an escaped (literal) wildcard; write '\\\\*' for a backslash followed by "
                        + "a wildcard",
                    at: node.location)
            }
            if !scalar.isPlain, modifiers.isEmpty, !isKeyword, !text.isEmpty,
                text.allSatisfy({ $0.isASCIIDigit })
                    || (text.first == "-" && text.dropFirst().allSatisfy(\.isASCIIDigit) && text.count > 1)
            {
                warn(
                    .numberAsString, "the number \(text) is written as a string; unquoted it matches numbers too",
                    at: node.location)
            }
            if modifiers.isEmpty, !isKeyword, text.count > 2, wildcards.unescapedStars.count >= 1,
                wildcards.unescapedQuestions == 0
            {
                let stars = wildcards.unescapedStars
                let last = text.count - 1
                let suggestion: String?
                if stars == [0, last] {
                    suggestion = "contains"
                } else if stars == [last] {
                    suggestion = "startswith"
                } else if stars == [0] {
                    suggestion = "endswith"
                } else {
                    suggestion = nil
                }
                if let suggestion {
                    warn(
                        .wildcardInsteadOfModifier, "use the '\(suggestion)' modifier instead of '*' wildcards",
                        at: node.location)
                }
            }
        }
    }

    /// Character offsets of unescaped `*`, whether `?` occurs unescaped, whether an escaped wildcard occurs.
    static func wildcardPositions(_ text: String) -> (
        unescapedStars: [Int], unescapedQuestions: Int, escaped: Bool, doubled: Bool
    ) {
        var stars: [Int] = []
        var questions = 0
        var escaped = false
        var doubled = false
        var backslashes = 0
        for (offset, ch) in text.enumerated() {
            if ch == "\\" {
                backslashes += 1
                continue
            }
            if ch == "*" || ch == "?" {
                if backslashes % 2 == 1 {
                    escaped = true
                } else if ch == "*" {
                    if stars.last == offset - 1 { doubled = true }
                    stars.append(offset)
                } else {
                    questions += 1
                }
            }
            backslashes = 0
        }
        return (stars, questions, escaped, doubled)
    }

    static func identifiers(in expression: ConditionExpression) -> Set<String> {
        switch expression {
        case .identifier(let name): return [name]
        case .not(let inner): return identifiers(in: inner)
        case .and(let parts), .or(let parts): return parts.reduce(into: []) { $0.formUnion(identifiers(in: $1)) }
        case .selector: return []
        }
    }
}
