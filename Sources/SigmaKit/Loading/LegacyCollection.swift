/// Legacy multi-document collections (Y-04, decision D10): `action: global`, `reset` and `repeat`, with
/// pySigma 2.0.1's semantics. The state lives for one file.
struct LegacyCollectionState {
    enum Step {
        /// Nothing to parse (a `global` or `reset` document).
        case none
        /// A detection rule, already merged with the global document.
        case rule(YAMLNode)
        case correlation(YAMLNode)
        case filter(YAMLNode)
    }

    private var global: YAMLNode?
    private var previous: YAMLNode?
    /// After `global`, pySigma's "previous rule" is the global document itself, so a `repeat` edits it.
    private var previousIsGlobal = false

    mutating func next(_ document: YAMLNode) throws(RuleError) -> Step {
        if let actionPair = document.pair("action") {
            let action = actionPair.value
            switch action.string {
            case "global":
                let template = document.removing("action")
                global = template
                previous = template
                previousIsGlobal = true
                return .none
            case "reset":
                global = nil
                return .none
            case "repeat":
                // The repeat document's values win over the previous rule's (pySigma: update(prev, doc)).
                let base = previous ?? YAMLNode(content: .mapping([]), location: document.location)
                let merged = Self.deepMerge(into: base, from: document.removing("action"))
                previous = merged
                if previousIsGlobal { global = merged }
                return .rule(merged)
            default:
                throw RuleError(
                    .unsupported,
                    "unknown collection action \(action.scalar.map { "'\($0.text)'" } ?? action.kindDescription) "
                        + "(supported: global, reset, repeat)",
                    at: action.location)
            }
        }
        if document.pair("correlation") != nil { return .correlation(document) }  // never merged with global
        if document.pair("filter") != nil { return .filter(document) }
        let merged = global.map { Self.deepMerge(into: document, from: $0) } ?? document
        previous = merged
        previousIsGlobal = false
        return .rule(merged)
    }

    /// pySigma's `deep_dict_update(dest, src)`: maps merge recursively, anything else in `src` replaces
    /// (so scalars and lists of `src` win).
    static func deepMerge(into dest: YAMLNode, from src: YAMLNode) -> YAMLNode {
        guard let srcPairs = src.mapping else { return src }
        var pairs = dest.mapping ?? []
        for pair in srcPairs {
            if let index = pairs.firstIndex(where: { $0.key == pair.key }) {
                if pair.value.mapping != nil {
                    let base =
                        pairs[index].value.mapping != nil
                        ? pairs[index].value : YAMLNode(content: .mapping([]), location: pair.value.location)
                    pairs[index].value = deepMerge(into: base, from: pair.value)
                } else {
                    pairs[index].value = pair.value
                }
            } else if pair.value.mapping != nil {
                var copy = pair
                copy.value = deepMerge(
                    into: YAMLNode(content: .mapping([]), location: pair.value.location), from: pair.value)
                pairs.append(copy)
            } else {
                pairs.append(pair)
            }
        }
        return YAMLNode(content: .mapping(pairs), location: dest.mapping != nil ? dest.location : src.location)
    }
}

extension YAMLNode {
    /// The mapping without `key`.
    func removing(_ key: String) -> YAMLNode {
        guard let pairs = mapping else { return self }
        return YAMLNode(content: .mapping(pairs.filter { $0.key != key }), location: location)
    }
}
