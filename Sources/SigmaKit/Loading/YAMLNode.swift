/// A YAML scalar after YAML 1.1 typing (Y-03), as PyYAML (and so pySigma) would see it.
enum YAMLScalarValue: Sendable, Hashable {
    case string(String)
    case int(Int64)
    case float(Double)
    case bool(Bool)
    case null
    /// A YAML 1.1 date (`2024-01-01`), kept as written (impossible dates are refused while typing).
    case date(String)
    /// A YAML 1.1 timestamp with a time part (`2024-01-01 10:00:00`), kept as written.
    case timestamp(String)
}

/// A node of a parsed document, with the position it was written at. Aliases are expanded (within the
/// loader's node budget), merge keys (`<<`) are applied, and keys are plain strings.
struct YAMLNode: Sendable {
    enum Content: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    var content: Content
    var location: SourceLocation

    var scalar: YAMLScalar? {
        if case .scalar(let s) = content { return s }
        return nil
    }

    var sequence: [YAMLNode]? {
        if case .sequence(let s) = content { return s }
        return nil
    }

    var mapping: [YAMLPair]? {
        if case .mapping(let m) = content { return m }
        return nil
    }

    /// The value of `key` in a mapping node.
    subscript(key: String) -> YAMLNode? {
        mapping?.first { $0.key == key }?.value
    }

    /// The pair (with the key's position) for `key` in a mapping node.
    func pair(_ key: String) -> YAMLPair? {
        mapping?.first { $0.key == key }
    }

    /// True for a null scalar (`~`, `null`, or nothing at all).
    var isNull: Bool { scalar?.value == .null }

    /// The string value when the node is a YAML string (quoted, block, or a plain scalar typed as string).
    var string: String? {
        if case .string(let s)? = scalar?.value { return s }
        return nil
    }

    /// A word for the node's kind, for messages ("a list", "a map", "the number 3").
    var kindDescription: String {
        switch content {
        case .sequence: return "a list"
        case .mapping: return "a map"
        case .scalar(let s):
            switch s.value {
            case .string: return "a string"
            case .int, .float: return "the number \(s.text)"
            case .bool: return "the boolean \(s.text)"
            case .null: return "null"
            case .date, .timestamp: return "the date \(s.text)"
            }
        }
    }
}

/// A scalar: its text as written (escapes resolved) and its YAML 1.1 type.
struct YAMLScalar: Sendable, Hashable {
    var text: String
    var value: YAMLScalarValue
    /// Plain (unquoted, not a block scalar): only these are typed by Y-03.
    var isPlain: Bool
}

/// One entry of a mapping.
struct YAMLPair: Sendable {
    var key: String
    var keyLocation: SourceLocation
    var value: YAMLNode
}

extension YAMLNode {
    /// Renders the node in YAML flow style, for custom attributes and messages.
    var flowText: String {
        switch content {
        case .scalar(let s):
            if case .string = s.value, !s.isPlain { return "'" + s.text.replacingAll("'", with: "''") + "'" }
            return s.text
        case .sequence(let items): return "[" + items.map(\.flowText).joined(separator: ", ") + "]"
        case .mapping(let pairs):
            return "{" + pairs.map { "\($0.key): \($0.value.flowText)" }.joined(separator: ", ") + "}"
        }
    }

    /// Converts to the model's generic value (custom attributes, MD-11).
    var modelValue: YAMLValue {
        switch content {
        case .scalar(let s):
            switch s.value {
            case .string(let text): return .scalar(.string(text))
            case .int(let i): return .scalar(.int(i))
            case .float(let d): return .scalar(.float(d))
            case .bool(let b): return .scalar(.bool(b))
            case .null: return .scalar(.null)
            case .date(let text), .timestamp(let text): return .scalar(.string(text))
            }
        case .sequence(let items): return .sequence(items.map(\.modelValue))
        case .mapping(let pairs): return .mapping(pairs.map { (key: $0.key, value: $0.value.modelValue) })
        }
    }
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation needed).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var out = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            out += rest[..<range.lowerBound]
            out += replacement
            rest = rest[range.upperBound...]
        }
        out += rest
        return out
    }
}
