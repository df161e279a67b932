extension RuleSet {
    /// Scratch space reused between events by one worker, so that an event that matches nothing allocates
    /// nothing.
    public struct Scratch: Sendable {
        var candidates: [Int32] = []
        public init() {}
    }

    /// Appends to `result` (after clearing it) the indices in ``rules`` of the rules that match `event`,
    /// in ascending order.
    ///
    /// - Complexity: proportional to the rules filed under the event's index values plus the unindexed rules,
    ///   not to the size of the rule set.
    public func matchingRules<E: SigmaEvent>(_ event: E, scratch: inout Scratch, into result: inout [Int]) {
        result.removeAll(keepingCapacity: true)
        scratch.candidates.removeAll(keepingCapacity: true)
        indexLookups.withUnsafeBufferPointer { lookups in
            for lookup in lookups {
                let table = lookup.table
                _ = lookup.path._withUnsafeGuaranteedRef { path in
                    event.anyValue(at: path) { value in
                        // Any non-null value: patterns compare numbers, booleans and objects by their text (D1, D3).
                        if value.kind != .null {
                            _ = table._withUnsafeGuaranteedRef {
                                $0.appendValues(of: value.bytes, to: &scratch.candidates)
                            }
                        }
                        return false
                    }
                }
            }
        }
        scratch.candidates.append(contentsOf: unindexed)
        if scratch.candidates.isEmpty { return }
        if scratch.candidates.count > 1 { scratch.candidates.sort() }
        var previous: Int32 = -1
        for candidate in scratch.candidates where candidate != previous {
            previous = candidate
            if evaluate(node: rules[Int(candidate)].root, event) { result.append(Int(candidate)) }
        }
    }

    /// Convenience for tests and slow paths: the rules matching `event`.
    public func matchingRules<E: SigmaEvent>(_ event: E) -> [CompiledRule] {
        var scratch = Scratch()
        var result: [Int] = []
        matchingRules(event, scratch: &scratch, into: &result)
        return result.map { rules[$0] }
    }

    /// Evaluates one rule against an event, bypassing the index (for `rules test` and explanations).
    public func evaluate<E: SigmaEvent>(rule index: Int, on event: E) -> Bool {
        evaluate(node: rules[index].root, event)
    }

    /// Evaluates a lowered program node; short-circuits (CND-12).
    func evaluate<E: SigmaEvent>(node index: Int32, _ event: E) -> Bool {
        let node = nodes.withUnsafeBufferPointer { $0[Int(index)] }
        switch node.operation {
        case .item:
            return itemRefs.withUnsafeBufferPointer { $0[Int(node.first)] }._withUnsafeGuaranteedRef {
                evaluate($0, event)
            }
        case .and:
            for k in 0..<Int(node.count) {
                let child = children.withUnsafeBufferPointer { $0[Int(node.first) + k] }
                if !evaluate(node: child, event) { return false }
            }
            return true
        case .or:
            for k in 0..<Int(node.count) {
                let child = children.withUnsafeBufferPointer { $0[Int(node.first) + k] }
                if evaluate(node: child, event) { return true }
            }
            return false
        case .not:
            return !evaluate(node: node.first, event)
        case .constant:
            return node.first != 0
        }
    }

    func evaluate<E: SigmaEvent>(_ item: CompiledItem, _ event: E) -> Bool {
        let result: Bool
        if item.path < 0 {
            // Keywords (KW-02/03): each test is searched over every leaf; with `all`, each may hit another leaf.
            if item.matchesAll {
                result = item.tests.allSatisfy { test in event.anyLeaf { matches(test, $0) } }
            } else {
                result = event.anyLeaf { value in item.tests.contains { matches($0, value) } }
            }
        } else {
            let path = paths[item.path]
            if item.matchesAll {
                result = item.tests.allSatisfy { fieldSatisfies($0, path, event) }
            } else if item.isSinglePass {
                // One walk over the field's values for the whole OR list.
                result = event.anyValue(at: path) { value in item.tests.contains { matches($0, value) } }
            } else {
                result = item.tests.contains { fieldSatisfies($0, path, event) }
            }
        }
        return item.isNegated ? !result : result
    }

    /// A test against a whole field: presence tests look at presence, value tests at any value (EV-02).
    func fieldSatisfies<E: SigmaEvent>(_ test: CompiledTest, _ path: FieldPath, _ event: E) -> Bool {
        switch test {
        case .null:
            return event.presence(of: path) != .present
        case .exists(let expected):
            return (event.presence(of: path) != .missing) == expected
        case .fieldRef(let otherIndex, let mode, let caseSensitive):
            // Collect the other field's values once, then compare every pair (case-insensitive by default).
            var others: [[UInt8]] = []
            _ = event.anyValue(at: paths[otherIndex]) { value in
                if value.kind != .null { others.append(Array(value.bytes)) }
                return false
            }
            if others.isEmpty { return false }
            return event.anyValue(at: path) { value in
                guard value.kind != .null else { return false }
                return others.contains { other in
                    RuleSet.compareFieldRef(value.bytes, other, mode, caseSensitive)
                }
            }
        case .anyOf(let alternatives):
            return alternatives.contains { fieldSatisfies($0, path, event) }
        default:
            return event.anyValue(at: path) { matches(test, $0) }
        }
    }

    static func compareFieldRef(
        _ value: UnsafeBufferPointer<UInt8>, _ other: [UInt8], _ mode: FieldRefMode, _ caseSensitive: Bool
    ) -> Bool {
        var pattern: [SigmaString.Part] = []
        let text = String(decoding: other, as: UTF8.self)
        switch mode {
        case .equals: pattern = [.literal(text)]
        case .contains: pattern = [.wildcardMulti, .literal(text), .wildcardMulti]
        case .startswith: pattern = [.literal(text), .wildcardMulti]
        case .endswith: pattern = [.wildcardMulti, .literal(text)]
        }
        return CompiledPattern(SigmaString(parts: pattern), caseSensitive: caseSensitive).matches(value)
    }

    /// A value test against one value of the event.
    func matches(_ test: CompiledTest, _ value: FieldValue) -> Bool {
        switch test {
        case .pattern(let pattern):
            return value.kind != .null && pattern.matches(value.bytes)
        case .literalSet(let table):
            return value.kind != .null && table.contains(value.bytes)
        case .number(let expected):
            guard value.kind == .number || value.kind == .string else { return false }
            return ValueParsing.number(value.bytes) == expected
        case .bool(let expected):
            guard value.kind == .bool || value.kind == .string else { return false }
            let word: [UInt8] = expected ? Array("true".utf8) : Array("false".utf8)
            return value.bytes.count == word.count && bytesEqual(value.bytes, 0, word, true)
        case .regex(let regex):
            return value.kind != .null && regex.matches(value.bytes)
        case .cidr(let network):
            return value.kind == .string && network.contains(value.text)
        case .compare(let op, let threshold):
            guard value.kind == .number || value.kind == .string, let number = ValueParsing.number(value.bytes)
            else { return false }
            return op.holds(number, threshold)
        case .timePart(let part, let op, let expected):
            guard value.kind == .string, let parts = ValueParsing.timeParts(value.bytes) else { return false }
            let actual: Int
            switch part {
            case .minute: actual = parts.minute
            case .hour: actual = parts.hour
            case .day: actual = parts.day
            case .week: actual = parts.isoWeek
            case .month: actual = parts.month
            case .year: actual = parts.year
            }
            return op.holds(actual, expected)
        case .anyOf(let alternatives):
            return alternatives.contains { matches($0, value) }
        case .null, .exists, .fieldRef:
            // Field-level tests never reach here for field items; as keywords they cannot occur (the builder
            // rejects them), so a leaf never satisfies them.
            return false
        }
    }
}
