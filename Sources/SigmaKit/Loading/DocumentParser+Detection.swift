extension DocumentParser {
    /// Top-level keys of a detection rule besides the common ones.
    static let ruleKeys: Set<String> = commonKeys.union(["logsource", "detection"])

    /// A detection rule (§2-§4).
    mutating func parseRule(_ root: YAMLNode) -> SigmaRule? {
        let metadata = parseMetadata(root, known: Self.ruleKeys)
        let logsource = parseLogSource(root, documentKind: "rule")
        var detections: [Detection] = []
        var conditions: [ConditionExpression] = []
        var texts: [String] = []
        if let node = root["detection"], !node.isNull {
            if node.mapping != nil {
                (detections, conditions, texts) = parseDetectionSection(
                    node, conditionKey: "condition", section: "detection")
            } else {
                fail(
                    .invalidDetection,
                    "'detection' must be a map of search identifiers and a condition, not "
                        + node.kindDescription, at: node.location)
            }
        } else {
            fail(
                .missingAttribute, "the rule has no 'detection' section",
                at: root.pair("detection")?.keyLocation ?? root.location)
        }
        guard errors.isEmpty else { return nil }
        return SigmaRule(
            metadata: metadata, logsource: logsource, detections: detections, conditions: conditions,
            conditionTexts: texts, origin: origin)
    }

    /// DT-01: search identifiers plus `condition`; returns the detections and the parsed conditions.
    /// `skipping` names further keys that are not identifiers (a filter's `rules`).
    mutating func parseDetectionSection(
        _ section: YAMLNode, conditionKey: String, section sectionName: String, skipping: Set<String> = [],
        singleCondition: Bool = false
    ) -> ([Detection], [ConditionExpression], [String]) {
        let pairs = section.mapping ?? []
        var detections: [Detection] = []
        for pair in pairs where pair.key != conditionKey && !skipping.contains(pair.key) {
            if pair.key == "timeframe" && sectionName == "detection" {
                fail(
                    .unsupported,
                    "'timeframe' (the Sigma v1 aggregation window) is not supported; write a correlation rule instead",
                    at: pair.keyLocation)
                continue
            }
            let errorCount = errors.count
            let root = parseDefinition(pair.value, name: pair.key, location: pair.keyLocation)
            if let root, errors.count == errorCount {
                detections.append(Detection(name: pair.key, root: root, location: pair.keyLocation))
            }
        }
        let names = pairs.map(\.key).filter { $0 != conditionKey && !skipping.contains($0) && $0 != "timeframe" }
        if names.isEmpty {
            fail(
                .invalidDetection, "the \(sectionName) section defines no search identifier (only a condition)",
                at: section.location)
        }

        // The condition: a string, or (rules only) a list of strings (CND-09).
        var texts: [(String, SourceLocation)] = []
        if let node = section[conditionKey], !node.isNull {
            if let scalar = node.scalar, case .string(let text) = scalar.value {
                texts.append((text, conditionStart(node)))
            } else if let items = node.sequence, !singleCondition {
                for item in items {
                    if let text = item.string {
                        texts.append((text, conditionStart(item)))
                    } else {
                        fail(
                            .invalidCondition, "each condition must be a string, not \(item.kindDescription)",
                            at: item.location)
                    }
                }
                if items.isEmpty {
                    fail(.invalidCondition, "the condition list is empty", at: node.location)
                }
            } else if singleCondition && node.sequence != nil {
                fail(.invalidCondition, "a filter's condition must be a single string, not a list", at: node.location)
            } else {
                fail(
                    .invalidCondition, "the condition must be a string, not \(node.kindDescription)", at: node.location)
            }
        } else {
            fail(
                .invalidCondition, "the \(sectionName) section has no '\(conditionKey)'",
                at: section.pair(conditionKey)?.keyLocation ?? section.location)
        }

        var conditions: [ConditionExpression] = []
        for (text, location) in texts {
            do {
                let expression = try ConditionParser.parse(text, at: location)
                if names.count > 0 {
                    _ = try expression.resolved(identifiers: names, at: location)  // CND-07: selectors must match
                }
                conditions.append(expression)
            } catch {
                errors.append(error)
            }
        }
        return (detections, conditions, texts.map(\.0))
    }

    /// Where the condition's text begins (after an opening quote).
    private func conditionStart(_ node: YAMLNode) -> SourceLocation {
        var location = node.location
        if let scalar = node.scalar, !scalar.isPlain {
            location.column += 1
        }
        return location
    }

    /// A search identifier's definition (DT-02..DT-09).
    mutating func parseDefinition(_ node: YAMLNode, name: String, location: SourceLocation) -> DetectionNode? {
        switch node.content {
        case .mapping(let pairs):
            // DT-02: map = AND of its items. DT-07: an empty map is an error.
            guard !pairs.isEmpty else {
                fail(
                    .invalidDetection, "search identifier '\(name)' is an empty map (Detection is empty)",
                    at: node.location)
                return nil
            }
            var items: [DetectionNode] = []
            for pair in pairs {
                if let item = parseItem(key: pair.key, keyLocation: pair.keyLocation, value: pair.value) {
                    items.append(.item(item))
                }
            }
            return items.count == 1 ? items[0] : .and(items)
        case .scalar:
            // DT-06: a single value is a keyword.
            guard let item = parseItem(key: nil, keyLocation: node.location, value: node) else { return nil }
            return .item(item)
        case .sequence(let elements):
            guard !elements.isEmpty else {
                fail(
                    .invalidDetection,
                    "search identifier '\(name)' is an empty list; a keyword list needs at least one value",
                    at: node.location)
                return nil
            }
            if elements.allSatisfy({ $0.scalar != nil }) {
                // DT-03/KW-01: a list of values is one keyword item, values OR-ed.
                guard let item = parseItem(key: nil, keyLocation: node.location, value: node) else { return nil }
                return .item(item)
            }
            // DT-04/DT-05: a list of maps (or mixed) is the OR of its elements.
            var children: [DetectionNode] = []
            for element in elements {
                if let child = parseDefinition(element, name: name, location: element.location) {
                    children.append(child)
                }
            }
            return .or(children)
        }
    }

    /// One `field|modifiers: value(s)` line (or a keyword), handed to the value builder.
    mutating func parseItem(key: String?, keyLocation: SourceLocation, value: YAMLNode) -> DetectionItem? {
        var field: String?
        var modifiers: [String] = []
        if let key {
            let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            field = parts[0].isEmpty ? nil : parts[0]
            modifiers = Array(parts.dropFirst())
        }
        let described = key.map { "'\($0)'" } ?? "the keyword list"
        var values: [RuleValue] = []
        var elements: [YAMLNode] = []
        switch value.content {
        case .scalar: elements = [value]
        case .sequence(let items): elements = items
        case .mapping:
            // DT-09
            fail(
                .invalidDetection,
                "the value of \(described) is a map; values must be single values or a list of them "
                    + "(use a separate selection for nested conditions)",
                at: value.location)
            return nil
        }
        for element in elements {
            guard let scalar = element.scalar else {
                fail(
                    .invalidDetection,
                    "the value list of \(described) contains \(element.kindDescription); nested lists and maps "
                        + "are not allowed as values",
                    at: element.location)
                return nil
            }
            guard let ruleScalar = ruleScalar(scalar, at: element.location) else { return nil }
            values.append(RuleValue(ruleScalar, at: element.location))
        }
        do {
            return try DetectionItemBuilder.build(
                field: field, modifiers: modifiers, values: values, location: keyLocation, placeholders: placeholders)
        } catch {
            errors.append(error)
            return nil
        }
    }

    /// A YAML scalar as a rule value (Y-03 consequences: dates and non-finite numbers are rejected).
    mutating func ruleScalar(_ scalar: YAMLScalar, at location: SourceLocation) -> RuleScalar? {
        switch scalar.value {
        case .string(let s): return .string(s)
        case .int(let i): return .int(i)
        case .float(let d):
            guard d.isFinite else {
                fail(
                    .invalidValue, "Invalid number '\(scalar.text)': infinity and NaN cannot be rule values",
                    at: location)
                return nil
            }
            return .float(d)
        case .bool(let b): return .bool(b)
        case .null: return .null
        case .date, .timestamp:
            fail(
                .invalidValue,
                "Unsupported type: '\(scalar.text)' is read as a YAML date; quote it ('\(scalar.text)') to use it "
                    + "as text",
                at: location)
            return nil
        }
    }
}
