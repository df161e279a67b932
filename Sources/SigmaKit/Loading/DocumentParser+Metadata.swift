/// Turns one composed YAML document into a rule, a correlation or a filter, collecting every error it finds
/// (pySigma's `collect_errors`), each positioned at the offending key or value.
struct DocumentParser {
    var path: String
    var origin: RuleOrigin
    var placeholders: PlaceholderValues
    /// Errors found so far; any error rejects the document.
    var errors: [RuleError] = []

    init(path: String, origin: RuleOrigin, placeholders: PlaceholderValues) {
        self.path = path
        self.origin = origin
        self.placeholders = placeholders
    }

    mutating func fail(_ code: RuleError.Code, _ message: String, at location: SourceLocation) {
        errors.append(RuleError(code, message, at: location))
    }

    /// Top-level keys shared by rules, correlations and filters (pySigma's `SigmaRuleBase`).
    static let commonKeys: Set<String> = [
        "title", "id", "name", "taxonomy", "related", "status", "description", "license", "references", "tags",
        "author", "date", "modified", "fields", "falsepositives", "level", "scope",
    ]

    // MARK: - Metadata (MD-01..MD-12)

    /// Reads the attributes common to every document; keys outside `known` become custom attributes.
    mutating func parseMetadata(_ root: YAMLNode, known: Set<String>) -> RuleMetadata {
        var meta = RuleMetadata(title: "")
        let start = root.location

        // MD-01 title
        if let node = root["title"], !node.isNull {
            if let title = node.string {
                if title.count > 256 {
                    fail(
                        .invalidAttribute,
                        "'title' is \(title.count) characters long; at most 256 are allowed", at: node.location)
                }
                meta.title = title
            } else {
                fail(.invalidAttribute, "'title' must be a string, not \(node.kindDescription)", at: node.location)
            }
        } else {
            fail(
                .missingAttribute, "the document has no 'title' (every Sigma rule needs one)",
                at: root.pair("title")?.keyLocation ?? start)
        }

        // MD-02 id
        if let node = root["id"], !node.isNull {
            if let text = node.string, let id = RuleIdentifier.normalizedUUID(text) {
                meta.id = id
            } else {
                fail(
                    .invalidAttribute,
                    "'id' must be a UUID such as 929a690e-bef0-4204-a928-ef5e620d6fcc, not \(quoted(node))",
                    at: node.location)
            }
        }

        // MD-03 name
        if let node = root["name"], !node.isNull {
            if let name = node.string {
                if name.isEmpty {
                    fail(.invalidAttribute, "'name' must not be empty", at: node.location)
                } else {
                    meta.name = name
                }
            } else {
                fail(.invalidAttribute, "'name' must be a string, not \(node.kindDescription)", at: node.location)
            }
        }

        // MD-04 status, MD-05 level: case-insensitive, as pySigma.
        if let node = root["status"], !node.isNull {
            if let text = node.string, let status = Status(rawValue: text.lowercased()) {
                meta.status = status
            } else {
                let allowed = Status.allCases.map(\.rawValue).joined(separator: ", ")
                fail(.invalidAttribute, "'status' must be one of \(allowed), not \(quoted(node))", at: node.location)
            }
        }
        if let node = root["level"], !node.isNull {
            if let text = node.string, let level = Level(rawValue: text.lowercased()) {
                meta.level = level
            } else {
                let allowed = Level.allCases.map(\.rawValue).joined(separator: ", ")
                fail(.invalidAttribute, "'level' must be one of \(allowed), not \(quoted(node))", at: node.location)
            }
        }

        // MD-06 date, modified
        meta.date = parseDate(root, "date")
        meta.modified = parseDate(root, "modified")

        // MD-07 tags
        if let node = root["tags"], !node.isNull {
            if let items = node.sequence {
                for item in items {
                    guard let tag = item.string else {
                        fail(
                            .invalidAttribute, "each tag must be a string, not \(item.kindDescription)",
                            at: item.location)
                        continue
                    }
                    guard tag.contains(".") else {
                        fail(
                            .invalidAttribute,
                            "tag '\(tag)' has no namespace: write it as namespace.name (for example attack.t1190)",
                            at: item.location)
                        continue
                    }
                    meta.tags.append(tag)
                }
            } else {
                fail(.invalidAttribute, "'tags' must be a list, not \(node.kindDescription)", at: node.location)
            }
        }

        // MD-08 related
        if let node = root["related"], !node.isNull {
            if let items = node.sequence {
                for item in items { if let related = parseRelated(item) { meta.related.append(related) } }
            } else {
                fail(
                    .invalidAttribute, "'related' must be a list of {id, type} maps, not \(node.kindDescription)",
                    at: node.location)
            }
        }

        // MD-09 lists and strings
        meta.references = stringList(root, "references")
        meta.falsePositives = stringList(root, "falsepositives")
        meta.fields = stringList(root, "fields")
        meta.scope = stringList(root, "scope")
        meta.author = string(root, "author")
        meta.description = string(root, "description")
        meta.license = string(root, "license")

        // MD-10 taxonomy
        if let node = root["taxonomy"], !node.isNull {
            if let taxonomy = node.string, !taxonomy.isEmpty {
                meta.taxonomy = taxonomy
            } else {
                fail(.invalidAttribute, "'taxonomy' must be a non-empty string", at: node.location)
            }
        }

        // MD-11 custom attributes
        for pair in root.mapping ?? [] where !known.contains(pair.key) {
            meta.customAttributes.append((key: pair.key, value: pair.value.modelValue))
        }
        return meta
    }

    private mutating func parseRelated(_ item: YAMLNode) -> RelatedRule? {
        guard item.mapping != nil else {
            fail(
                .invalidAttribute, "each 'related' entry must be a map with an 'id' and a 'type'",
                at: item.location)
            return nil
        }
        guard let idNode = item["id"] else {
            fail(.missingAttribute, "a 'related' entry needs an 'id'", at: item.location)
            return nil
        }
        guard let typeNode = item["type"] else {
            fail(.missingAttribute, "a 'related' entry needs a 'type'", at: item.location)
            return nil
        }
        guard let idText = idNode.string, let id = RuleIdentifier.normalizedUUID(idText) else {
            fail(.invalidAttribute, "a 'related' id must be a UUID, not \(quoted(idNode))", at: idNode.location)
            return nil
        }
        guard let typeText = typeNode.string, let kind = RelatedRule.Kind(rawValue: typeText.lowercased()) else {
            let allowed = RelatedRule.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            fail(
                .invalidAttribute, "a 'related' type must be one of \(allowed), not \(quoted(typeNode))",
                at: typeNode.location)
            return nil
        }
        return RelatedRule(id: id, type: kind)
    }

    /// MD-06: `YYYY-MM-DD` (or a YAML date), and pySigma's legacy `YYYY/M/D`; normalised to `YYYY-MM-DD`.
    private mutating func parseDate(_ root: YAMLNode, _ key: String) -> String? {
        guard let node = root[key], !node.isNull, let scalar = node.scalar else {
            if let node = root[key], !node.isNull {
                fail(
                    .invalidAttribute, "'\(key)' must be a date written YYYY-MM-DD, not \(node.kindDescription)",
                    at: node.location)
            }
            return nil
        }
        let text: String
        switch scalar.value {
        case .date(let t): text = t
        case .timestamp(let t): text = String(t.prefix { $0 != "T" && $0 != "t" && $0 != " " && $0 != "\t" })
        default: text = scalar.text
        }
        if let date = Self.parseDateText(text) {
            guard YAML11Typing.isValidDate(year: date.0, month: date.1, day: date.2) else {
                fail(.invalidAttribute, "'\(key)' \(text) is not a real date", at: node.location)
                return nil
            }
            return Self.pad(date.0, 4) + "-" + Self.pad(date.1, 2) + "-" + Self.pad(date.2, 2)
        }
        fail(.invalidAttribute, "'\(key)' must be a date written YYYY-MM-DD, not '\(text)'", at: node.location)
        return nil
    }

    /// pySigma's accepted forms: `[1-3]DDD-[01]D-[0-3]D` and `[1-3]DDD/[01]?D/[0-3]?D`.
    static func parseDateText(_ text: String) -> (Int, Int, Int)? {
        for separator: Character in ["-", "/"] {
            let parts = text.split(separator: separator, omittingEmptySubsequences: false)
            guard parts.count == 3,
                parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
            else { continue }
            let (y, m, d) = (parts[0], parts[1], parts[2])
            guard y.count == 4, ("1"..."3").contains(y.first ?? "0") else { continue }
            let lengths = separator == "-" ? (2...2) : (1...2)
            guard lengths.contains(m.count), lengths.contains(d.count), m.first ?? "9" <= "1",
                d.count == 1 || d.first ?? "9" <= "3"
            else { continue }
            if let year = Int(y), let month = Int(m), let day = Int(d) { return (year, month, day) }
        }
        return nil
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// MD-09: a list (of scalars); null means absent.
    private mutating func stringList(_ root: YAMLNode, _ key: String) -> [String] {
        guard let node = root[key], !node.isNull else { return [] }
        guard let items = node.sequence else {
            fail(
                .invalidAttribute,
                "'\(key)' must be a list, not \(node.kindDescription) (write each entry on its own '- ' line)",
                at: node.location)
            return []
        }
        var out: [String] = []
        for item in items {
            if let scalar = item.scalar {
                if scalar.value != .null { out.append(scalar.text) }
            } else {
                fail(
                    .invalidAttribute, "the entries of '\(key)' must be single values, not \(item.kindDescription)",
                    at: item.location)
            }
        }
        return out
    }

    /// MD-09: a string; null means absent.
    private mutating func string(_ root: YAMLNode, _ key: String) -> String? {
        guard let node = root[key], !node.isNull else { return nil }
        guard let text = node.string else {
            fail(.invalidAttribute, "'\(key)' must be a string, not \(node.kindDescription)", at: node.location)
            return nil
        }
        return text
    }

    func quoted(_ node: YAMLNode) -> String {
        if let scalar = node.scalar { return "'\(scalar.text)'" }
        return node.kindDescription
    }

    // MARK: - Logsource (LS-01, LS-02)

    mutating func parseLogSource(_ root: YAMLNode, documentKind: String) -> LogSource {
        guard let node = root["logsource"], !node.isNull else {
            fail(
                .missingAttribute, "the \(documentKind) has no 'logsource'",
                at: root.pair("logsource")?.keyLocation ?? root.location)
            return LogSource()
        }
        guard let pairs = node.mapping else {
            fail(
                .invalidAttribute,
                "'logsource' must be a map (category, product, service), not \(node.kindDescription)",
                at: node.location)
            return LogSource()
        }
        var source = LogSource()
        for pair in pairs {
            let value = pair.value
            switch pair.key {
            case "category", "product", "service", "definition":
                if value.isNull { continue }
                guard let text = value.string else {
                    fail(
                        .invalidAttribute, "logsource '\(pair.key)' must be a string, not \(value.kindDescription)",
                        at: value.location)
                    continue
                }
                switch pair.key {
                case "category": source.category = text
                case "product": source.product = text
                case "service": source.service = text
                default: source.definition = text
                }
            default:
                source.custom[pair.key] = value.scalar?.text ?? value.flowText
            }
        }
        let named = pairs.contains { ["category", "product", "service"].contains($0.key) && !$0.value.isNull }
        if !named {
            fail(
                .invalidAttribute, "'logsource' must name at least one of category, product or service",
                at: node.location)
        }
        return source
    }
}
