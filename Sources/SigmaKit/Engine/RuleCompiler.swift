/// A test on one value, compiled from ``ValueTest``.
enum CompiledTest: Sendable {
    case pattern(CompiledPattern)
    /// Many case-insensitive ASCII literals OR-ed together (an equality list), hashed.
    case literalSet(FrozenByteKeyTable)
    case number(Double)
    case bool(Bool)
    case null
    case exists(Bool)
    case regex(SigmaRegex)
    case cidr(IPNetwork)
    case compare(ComparisonOperator, Double)
    case fieldRef(path: Int, mode: FieldRefMode, caseSensitive: Bool)
    case timePart(TimePart, ComparisonOperator, Int)
    case anyOf([CompiledTest])

    /// True for tests decided by the field's presence or by another field, not value by value.
    var isFieldLevel: Bool {
        switch self {
        case .null, .exists, .fieldRef: return true
        case .anyOf(let alternatives): return alternatives.contains(where: \.isFieldLevel)
        default: return false
        }
    }
}

/// A detection item ready to evaluate. A class, so the evaluator reads it by reference (a struct copy would
/// retain and release each of its arrays on every evaluation).
final class CompiledItem: Sendable {
    /// Index into the rule set's field paths; -1 for keywords.
    let path: Int
    let tests: [CompiledTest]
    let matchesAll: Bool
    let isNegated: Bool
    /// True when every test is a plain value test (so one pass over the field's values decides an OR item).
    let isSinglePass: Bool
    /// The item as loaded, for explanations and the index analysis.
    let source: DetectionItem

    init(path: Int, tests: [CompiledTest], matchesAll: Bool, isNegated: Bool, isSinglePass: Bool, source: DetectionItem) {
        self.path = path
        self.tests = tests
        self.matchesAll = matchesAll
        self.isNegated = isNegated
        self.isSinglePass = isSinglePass
        self.source = source
    }
}

/// Turns rules into programs over a shared item table, interning field paths.
struct RuleCompiler {
    var items: [CompiledItem] = []
    var paths: [FieldPath] = []
    private var pathIndex: [String: Int] = [:]

    /// Minimum number of plain literals in an OR item before they are hashed instead of compared one by one.
    static let literalSetThreshold = 4

    mutating func intern(_ field: String) -> Int {
        if let index = pathIndex[field] { return index }
        paths.append(FieldPath(field))
        pathIndex[field] = paths.count - 1
        return paths.count - 1
    }

    /// Compiles the OR of `conditions` over `detections`.
    mutating func compile(conditions: [ConditionExpression], detections: [Detection], location: SourceLocation)
        throws(RuleError) -> Program
    {
        let names = detections.map(\.name)
        var byName: [String: Detection] = [:]
        for detection in detections { byName[detection.name] = detection }
        var programs: [Program] = []
        var cache: [String: Program] = [:]
        for condition in conditions {
            let resolved = try condition.resolved(identifiers: names, at: location)
            programs.append(try compile(resolved, byName, &cache, location))
        }
        return programs.count == 1 ? programs[0] : .or(programs)
    }

    private mutating func compile(
        _ expression: ConditionExpression, _ detections: [String: Detection], _ cache: inout [String: Program],
        _ location: SourceLocation
    ) throws(RuleError) -> Program {
        switch expression {
        case .identifier(let name):
            if let program = cache[name] { return program }
            guard let detection = detections[name] else {
                throw RuleError(.invalidCondition, "the condition names '\(name)', which is not defined", at: location)
            }
            let program = try compile(detection.root)
            cache[name] = program
            return program
        case .not(let inner):
            return .not(try compile(inner, detections, &cache, location))
        case .and(let parts):
            var programs: [Program] = []
            for part in parts { programs.append(try compile(part, detections, &cache, location)) }
            return .and(programs)
        case .or(let parts):
            var programs: [Program] = []
            for part in parts { programs.append(try compile(part, detections, &cache, location)) }
            return .or(programs)
        case .selector(_, let pattern):
            throw RuleError(.invalidCondition, "unresolved selector '\(pattern)'", at: location)
        }
    }

    private mutating func compile(_ node: DetectionNode) throws(RuleError) -> Program {
        switch node {
        case .item(let item):
            items.append(try compile(item))
            return .item(items.count - 1)
        case .and(let nodes):
            var programs: [Program] = []
            for node in nodes { programs.append(try compile(node)) }
            return programs.count == 1 ? programs[0] : .and(programs)
        case .or(let nodes):
            var programs: [Program] = []
            for node in nodes { programs.append(try compile(node)) }
            return programs.count == 1 ? programs[0] : .or(programs)
        }
    }

    private mutating func compile(_ item: DetectionItem) throws(RuleError) -> CompiledItem {
        var tests: [CompiledTest] = []
        for test in item.tests { tests.append(try compile(test, at: item.location)) }
        // Hash long OR lists of case-insensitive ASCII literals (an `eventName:` list of 30 calls, say).
        if !item.matchesAll {
            var literals: [String] = []
            var others: [CompiledTest] = []
            for (test, source) in zip(tests, item.tests) {
                if case .pattern(let sigma, false) = source, let literal = sigma.plainLiteral,
                    literal.utf8.allSatisfy({ $0 < 0x80 })
                {
                    literals.append(literal)
                } else {
                    others.append(test)
                }
            }
            if literals.count >= RuleCompiler.literalSetThreshold {
                var table = ByteKeyTable()
                for literal in literals { table.insert(literal, 0) }
                tests = [.literalSet(FrozenByteKeyTable(table))] + others
            }
        }
        let path = item.field.map { intern($0) } ?? -1
        return CompiledItem(
            path: path, tests: tests, matchesAll: item.matchesAll, isNegated: item.isNegated,
            isSinglePass: !tests.contains(where: \.isFieldLevel), source: item)
    }

    private mutating func compile(_ test: ValueTest, at location: SourceLocation) throws(RuleError) -> CompiledTest {
        switch test {
        case .pattern(let string, let caseSensitive):
            for case .placeholder(let name) in string.parts {
                throw RuleError(
                    .unresolvedPlaceholder,
                    "placeholder '%\(name)%' has no configured values, so the rule cannot run "
                        + "(configure it with --placeholder \(name)=VALUE)", at: location)
            }
            return .pattern(CompiledPattern(string, caseSensitive: caseSensitive))
        case .number(let value): return .number(value)
        case .bool(let value): return .bool(value)
        case .null: return .null
        case .exists(let value): return .exists(value)
        case .regex(let regex):
            // Simple regexes (`^abc`, `abc$`, `abc`) are tested as patterns, without the regex machine.
            if let literal = regex.literalForm {
                let parts: [SigmaString.Part]
                switch literal.form {
                case .equals(let text): parts = [.literal(text)]
                case .prefix(let text): parts = [.literal(text), .wildcardMulti]
                case .suffix(let text): parts = [.wildcardMulti, .literal(text)]
                case .contains(let text): parts = [.wildcardMulti, .literal(text), .wildcardMulti]
                }
                return .pattern(CompiledPattern(SigmaString(parts: parts), caseSensitive: literal.caseSensitive))
            }
            return .regex(regex)
        case .cidr(let network): return .cidr(network)
        case .compare(let op, let value): return .compare(op, value)
        case .fieldRef(let field, let mode, let caseSensitive):
            return .fieldRef(path: intern(field), mode: mode, caseSensitive: caseSensitive)
        case .timePart(let part, let op, let value): return .timePart(part, op, value)
        case .anyOf(let alternatives):
            var compiled: [CompiledTest] = []
            for alternative in alternatives { compiled.append(try compile(alternative, at: location)) }
            return .anyOf(compiled)
        }
    }

    /// Case-folded literal values that `field` must take for `program` to be true, or nil when it is not
    /// constrained to a finite list. The result may be a superset (that only costs evaluations), never a subset.
    func requiredValues(of field: String, in program: Program) -> Set<String>? {
        switch program {
        case .item(let index):
            let item = items[index].source
            guard item.field == field, !item.isNegated, !item.tests.isEmpty else { return nil }
            var values: Set<String> = []
            for test in item.tests {
                guard let literals = RuleCompiler.literals(of: test) else { return nil }
                values.formUnion(literals)
            }
            return values
        case .and(let parts):
            // Any constrained conjunct is enough; keep the smallest.
            var best: Set<String>?
            for part in parts {
                if let values = requiredValues(of: field, in: part), values.count < (best?.count ?? Int.max) {
                    best = values
                }
            }
            return best
        case .or(let parts):
            var union: Set<String> = []
            for part in parts {
                guard let values = requiredValues(of: field, in: part) else { return nil }
                union.formUnion(values)
            }
            return union
        case .not:
            return nil
        case .constant(let value):
            return value ? nil : []
        }
    }

    private static func literals(of test: ValueTest) -> Set<String>? {
        switch test {
        case .pattern(let string, _):
            // Only ASCII literals: the index folds ASCII case, so a non-ASCII literal could be missed.
            guard let literal = string.plainLiteral, literal.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
            return [String(decoding: Array(literal.utf8).map(asciiLower), as: UTF8.self)]
        case .anyOf(let alternatives):
            var values: Set<String> = []
            for alternative in alternatives {
                guard let more = literals(of: alternative) else { return nil }
                values.formUnion(more)
            }
            return values
        default:
            return nil
        }
    }
}
