import Yams

/// Parses one YAML document with Yams (libyaml) and turns it into a `YAMLNode` tree with file positions.
///
/// Besides Yams' own checks this enforces the loader's limits: a node budget (aliases are expanded into a
/// tree here, so an alias bomb stops at `maxNodes`), a size limit per scalar, and no alias as a mapping key
/// (Yams hashes keys while composing, which would walk an aliased structure exponentially).
struct YAMLComposer {
    var path: String
    var maxNodes: Int
    var maxScalarBytes: Int

    /// Parses the document; nil when it is empty (no content, or a null root).
    func compose(_ doc: YAMLDocumentSource) throws(RuleError) -> YAMLNode? {
        if doc.isEmpty { return nil }
        let lineOffset = doc.firstLine - 1
        func location(_ mark: Mark?) -> SourceLocation {
            guard let mark else { return SourceLocation(path: path, line: doc.firstLine, column: 1) }
            return SourceLocation(path: path, line: mark.line + lineOffset, column: mark.column)
        }
        if let (line, column) = YAMLAliasKeyScanner.aliasKeyPosition(in: doc.text) {
            throw RuleError(
                .unsupported, "a YAML alias is used as a map key; Sigma keys must be written out",
                at: SourceLocation(path: path, line: line + lineOffset, column: column))
        }
        // Yams allocates every node before we can count them: bound the count from the text first, so that
        // a 16 MiB file of `[a,a,a,...]` cannot make it allocate millions of nodes.
        let estimate = Self.nodeCountUpperBound(doc.text)
        if estimate > maxNodes * 2 {
            throw RuleError(
                .resourceLimit,
                "the document holds up to \(estimate) YAML nodes, more than the limit of \(maxNodes) "
                    + "(LoaderOptions.maxNodes)",
                at: location(nil))
        }
        let root: Node?
        do {
            root = try Self.parse(doc.text)
        } catch let error as YamlError {
            throw describe(error, text: doc.text, location: location)
        } catch {
            throw RuleError(.yamlSyntax, "the YAML could not be parsed (\(error))", at: location(nil))
        }
        guard let root else { return nil }
        var converter = YAMLNodeConverter(
            path: path, lineOffset: lineOffset, budget: maxNodes, maxNodes: maxNodes, maxScalarBytes: maxScalarBytes,
            documentLocation: location(nil))
        let node = try converter.convert(root, depth: 0)
        if node.isNull { return nil }
        return node
    }

    /// An upper bound of the nodes a text can hold: every node but the first needs a line break, a comma, a
    /// bracket, a brace, a dash or a question mark before it, and a line holds at most a key and a value.
    static func nodeCountUpperBound(_ text: String) -> Int {
        var count = 2
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\n"): count += 2
            case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "-"), UInt8(ascii: "?"),
                UInt8(ascii: ":"):
                count += 1
            default: break
            }
        }
        return count
    }

    static func parse(_ text: String) throws -> Node? {
        try Parser(yaml: text, resolver: .basic, constructor: .default, encoding: .utf8).singleRoot()
    }

    /// Maps a Yams error to a positioned, readable `RuleError`.
    private func describe(_ error: YamlError, text: String, location: (Mark?) -> SourceLocation) -> RuleError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context {
                let at = location(context.mark)
                message += " (\(context.text) started at line \(at.line), column \(at.column))"
            }
            if problem.contains("Maximum nesting level") {
                return RuleError(
                    .resourceLimit, "the YAML is nested too deeply (libyaml allows 1,000 levels)",
                    at: location(mark))
            }
            return RuleError(.yamlSyntax, message, at: location(mark))
        case .reader(let problem, let offset, _, _):
            return RuleError(
                .unreadable, "the file cannot be read as YAML: \(problem) (character \(offset ?? 0))",
                at: location(nil))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.sorted().first ?? "?"
            let first = location(context.mark)
            let second = YAMLDuplicateKeyLocator.secondOccurrence(of: key, firstMark: context.mark, in: text)
            let message = "duplicate key '\(key)': it is already defined at line \(first.line), column \(first.column)"
            let at = second.map {
                SourceLocation(path: path, line: $0.line + first.line - context.mark.line, column: $0.column)
            }
            return RuleError(.duplicateKey, message, at: at ?? first)
        default:
            return RuleError(.yamlSyntax, "the YAML could not be parsed (\(error))", at: location(nil))
        }
    }
}

/// Converts Yams nodes to `YAMLNode`, applying YAML 1.1 typing, tags, merge keys and the limits.
struct YAMLNodeConverter {
    var path: String
    var lineOffset: Int
    var budget: Int
    var maxNodes: Int
    var maxScalarBytes: Int
    var documentLocation: SourceLocation

    /// Deeper than this is no Sigma rule (libyaml stops at 1,000; this keeps our own recursion shallow).
    static let maxDepth = 256

    func location(_ mark: Mark?) -> SourceLocation {
        guard let mark else { return documentLocation }
        return SourceLocation(path: path, line: mark.line + lineOffset, column: mark.column)
    }

    mutating func convert(_ node: Node, depth: Int) throws(RuleError) -> YAMLNode {
        budget -= 1
        let here = location(node.mark)
        if budget < 0 {
            throw RuleError(
                .resourceLimit,
                "the document expands to more than \(maxNodes) YAML nodes (an alias bomb, or far too large "
                    + "for a rule); the limit is LoaderOptions.maxNodes",
                at: documentLocation)
        }
        if depth > Self.maxDepth {
            throw RuleError(.resourceLimit, "the YAML is nested more than \(Self.maxDepth) levels deep", at: here)
        }
        switch node {
        case .scalar(let scalar):
            return YAMLNode(content: .scalar(try convertScalar(scalar, at: here)), location: here)
        case .sequence(let seq):
            let tag = Tag.Name(rawValue: seq.tag.rawValue)
            guard tag == .implicit || tag == .seq || tag == .nonSpecific else {
                throw unsupportedTag(tag, at: here)
            }
            var items: [YAMLNode] = []
            items.reserveCapacity(seq.count)
            for item in seq { items.append(try convert(item, depth: depth + 1)) }
            return YAMLNode(content: .sequence(items), location: here)
        case .mapping(let map):
            let tag = Tag.Name(rawValue: map.tag.rawValue)
            guard tag == .implicit || tag == .map || tag == .nonSpecific else {
                throw unsupportedTag(tag, at: here)
            }
            var explicit: [YAMLPair] = []
            var merged: [YAMLPair] = []
            for (keyNode, valueNode) in map {
                guard case .scalar(let keyScalar) = keyNode else {
                    throw RuleError(
                        .invalidAttribute, "a map key must be a single value, not a list or a map",
                        at: location(keyNode.mark))
                }
                budget -= 1
                let keyLocation = location(keyScalar.mark)
                let value = try convert(valueNode, depth: depth + 1)
                // (Yams resolves key tags in place while checking duplicates, so only the style tells a plain `<<`.)
                if keyScalar.string == "<<", keyScalar.style == .plain {
                    // YAML 1.1 merge key (PyYAML applies it): earlier sources win, explicit keys win over all.
                    let sources = value.sequence ?? [value]
                    for source in sources {
                        guard let pairs = source.mapping else {
                            throw RuleError(
                                .invalidAttribute, "a merge key ('<<') needs a map or a list of maps", at: keyLocation)
                        }
                        for pair in pairs where !merged.contains(where: { $0.key == pair.key }) {
                            merged.append(pair)
                        }
                    }
                    continue
                }
                explicit.append(YAMLPair(key: keyScalar.string, keyLocation: keyLocation, value: value))
            }
            if !merged.isEmpty {
                let own = Set(explicit.map(\.key))
                explicit = merged.filter { !own.contains($0.key) } + explicit
            }
            return YAMLNode(content: .mapping(explicit), location: here)
        case .alias:
            throw RuleError(.unsupported, "unresolved YAML alias", at: here)
        }
    }

    private func unsupportedTag(_ tag: Tag.Name, at location: SourceLocation) -> RuleError {
        RuleError(.unsupported, "the YAML tag '\(tag.rawValue)' is not supported in Sigma rules", at: location)
    }

    private func convertScalar(_ scalar: Node.Scalar, at here: SourceLocation) throws(RuleError) -> YAMLScalar {
        let text = scalar.string
        if text.utf8.count > maxScalarBytes {
            throw RuleError(
                .resourceLimit,
                "a value of \(text.utf8.count) bytes is larger than the limit of \(maxScalarBytes) bytes "
                    + "(LoaderOptions.maxScalarBytes)",
                at: here)
        }
        let tag = Tag.Name(rawValue: scalar.tag.rawValue)
        do {
            switch tag {
            case .implicit:
                if scalar.style == .plain {
                    return YAMLScalar(text: text, value: try YAML11Typing.resolve(plain: text), isPlain: true)
                }
                return YAMLScalar(text: text, value: .string(text), isPlain: false)
            case .str, .nonSpecific:
                return YAMLScalar(text: text, value: .string(text), isPlain: false)
            case .int, .float, .bool, .null, .timestamp:
                // An explicit tag types the text even when it is quoted, as PyYAML does.
                let typed = try YAML11Typing.resolve(plain: text)
                let ok: Bool
                switch (tag, typed) {
                case (.int, .int), (.float, .float), (.bool, .bool), (.null, .null), (.timestamp, .date),
                    (.timestamp, .timestamp):
                    ok = true
                case (.float, .int(let i)):
                    return YAMLScalar(text: text, value: .float(Double(i)), isPlain: false)
                default: ok = false
                }
                guard ok else {
                    throw RuleError(
                        .invalidValue, "'\(text)' cannot be read as \(tag.rawValue.split(separator: ":").last ?? "")",
                        at: here)
                }
                return YAMLScalar(text: text, value: typed, isPlain: false)
            default:
                throw unsupportedTag(tag, at: here)
            }
        } catch let failure as YAML11Typing.Failure {
            throw RuleError(.invalidValue, failure.reason, at: here)
        } catch let error as RuleError {
            throw error
        } catch {
            throw RuleError(.invalidValue, "'\(text)' cannot be read", at: here)
        }
    }
}
