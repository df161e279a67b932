/// Correlation rules compiled against a ``RuleSet``: every reference resolved, the fields to extract from
/// each matching event known in advance, the correlations in dependency order.
///
/// Build it once per scan and share it; call ``observe(_:matchedRules:time:eventID:payload:into:)`` for
/// each event while it is borrowed, and hand the observations to a ``CorrelationEngine``.
public struct CorrelationPlan: Sendable {
    /// What one entry of a correlation's `rules` resolves to.
    public enum Source: Sendable, Hashable {
        /// A detection rule: its index in ``RuleSet/rules``.
        case rule(Int)
        /// Another correlation (COR-18): its index in ``CorrelationPlan/nodes``.
        case correlation(Int)
    }

    /// A correlation ready to run (a class: the engine reads it for every observation, copying a reference).
    public final class Node: Sendable {
        /// The correlation as loaded.
        public let correlation: SigmaCorrelation
        /// One source per entry of `correlation.rules`, in order.
        public let sources: [Source]
        /// False when a running correlation with `generate: false` chains this one (COR-08).
        public let producesAlerts: Bool
        /// A name for alert ids: id, else name, else title.
        public let identity: String
        let timespan: Int64
        let condition: CompiledCorrelationCondition
        /// Per slot: the event fields (after aliases) holding each group-by value and the value field(s).
        let groupFields: [[String]]
        let valueFields: [[String]]
        let groupPaths: [[FieldPath]]
        let valuePaths: [[FieldPath]]
        /// Group-by field lists under which every event is a context (pure negative clauses), else empty.
        let contextFields: [[FieldPath]]
        /// Where this correlation's alerts go: (parent node, slot in the parent).
        let parents: [(node: Int, slot: Int)]
        /// Events a group must retain for the condition to be reachable (a count threshold of n needs n + 1).
        let retainMinimum: Int

        init(
            correlation: SigmaCorrelation, sources: [Source], producesAlerts: Bool, identity: String, timespan: Int64,
            condition: CompiledCorrelationCondition, groupFields: [[String]], valueFields: [[String]],
            groupPaths: [[FieldPath]], valuePaths: [[FieldPath]], contextFields: [[FieldPath]],
            parents: [(node: Int, slot: Int)], retainMinimum: Int
        ) {
            self.correlation = correlation
            self.sources = sources
            self.producesAlerts = producesAlerts
            self.identity = identity
            self.timespan = timespan
            self.condition = condition
            self.groupFields = groupFields
            self.valueFields = valueFields
            self.groupPaths = groupPaths
            self.valuePaths = valuePaths
            self.contextFields = contextFields
            self.parents = parents
            self.retainMinimum = retainMinimum
        }
    }

    /// The correlations that run, in load order.
    public let nodes: [Node]
    /// Node indices in dependency order (inner correlations before the ones that chain them).
    public let order: [Int]
    /// Correlations that cannot run here, with the reason (a referenced rule set aside, ignored or broken).
    public let setAside: [(correlation: SigmaCorrelation, reason: String)]
    /// Per rule of the rule set: false when a running `generate: false` correlation uses it (COR-08: the
    /// rule only feeds the correlation and raises no alert of its own).
    public let ruleProducesAlerts: [Bool]
    /// True when some correlation needs every event as context (a temporal `not` clause with no positive
    /// rule); then ``observeContext(_:time:eventID:payload:into:)`` must be called for every event.
    public let needsEveryEvent: Bool
    /// The options the plan was built with (extraction limits).
    public let options: CorrelationOptions

    /// Per rule index: (node, slot) it feeds.
    let feeds: [[(node: Int, slot: Int)]]
    /// Per rule index: fields chained correlations read from its events (COR-18 propagation).
    let carryNames: [[String]]
    let carryPaths: [[FieldPath]]

    /// True when at least one correlation runs.
    public var isEmpty: Bool { nodes.isEmpty }

    /// Whether rule `index` of the rule set feeds any correlation.
    public func feedsCorrelations(rule index: Int) -> Bool { index < feeds.count && !feeds[index].isEmpty }

    /// Compiles `correlations` against the rules of `ruleSet`.
    ///
    /// - Parameters:
    ///   - absentReasons: why a rule or correlation reference that does not resolve here is absent, by id or
    ///     name (e.g. "ignored by --ignore-rule"); used in the set-aside reasons.
    public init(
        correlations: [SigmaCorrelation], ruleSet: RuleSet, options: CorrelationOptions = .init(),
        absentReasons: [String: String] = [:]
    ) {
        self.options = options
        var ruleByID: [String: Int] = [:]
        var ruleByName: [String: Int] = [:]
        for (index, compiled) in ruleSet.rules.enumerated() {
            if let id = compiled.rule.metadata.id { ruleByID[id] = ruleByID[id] ?? index }
            if let name = compiled.rule.metadata.name { ruleByName[name] = ruleByName[name] ?? index }
        }
        var setAsideRuleReasons: [String: String] = [:]
        for aside in ruleSet.setAside {
            if let id = aside.rule.metadata.id { setAsideRuleReasons[id] = aside.reason }
            if let name = aside.rule.metadata.name { setAsideRuleReasons[name] = aside.reason }
        }
        var correlationByID: [String: Int] = [:]
        var correlationByName: [String: Int] = [:]
        for (index, correlation) in correlations.enumerated() {
            if let id = correlation.metadata.id { correlationByID[id] = correlationByID[id] ?? index }
            if let name = correlation.metadata.name {
                correlationByName[name] = correlationByName[name] ?? index
            }
        }
        enum Resolved {
            case rule(Int)
            case correlation(Int)
            case missing(String)
        }
        func resolve(_ reference: String) -> Resolved {
            let key: String
            let rule: Int?
            let correlation: Int?
            if let id = RuleIdentifier.normalizedUUID(reference) {  // a UUID: by id only (COR-03)
                key = id
                rule = ruleByID[id]
                correlation = correlationByID[id]
            } else {
                key = reference
                rule = ruleByName[reference]
                correlation = correlationByName[reference]
            }
            if let rule { return .rule(rule) }
            if let correlation { return .correlation(correlation) }
            let reason =
                absentReasons[key] ?? absentReasons[reference] ?? setAsideRuleReasons[key].map { "set aside: \($0)" }
                ?? "not a loaded rule that runs here"
            return .missing(reason)
        }

        // Resolve; a correlation with a missing reference, or chaining one that cannot run, is set aside.
        var resolved: [[Resolved]] = correlations.map { $0.rules.map(resolve) }
        var reasons: [Int: String] = [:]
        for (index, references) in resolved.enumerated() {
            for (offset, target) in references.enumerated() {
                if case .missing(let why) = target {
                    reasons[index] = "references '\(correlations[index].rules[offset])', which is \(why)"
                    break
                }
            }
        }
        var changed = true
        while changed {
            changed = false
            for (index, references) in resolved.enumerated() where reasons[index] == nil {
                for (offset, target) in references.enumerated() {
                    if case .correlation(let child) = target, child == index || reasons[child] != nil {
                        let why = child == index ? "itself" : "a correlation that cannot run"
                        reasons[index] = "references '\(correlations[index].rules[offset])', \(why)"
                        changed = true
                        break
                    }
                }
            }
        }
        // Cycles are rejected by the loader; a collection built by hand could still have one.
        var state = [UInt8](repeating: 0, count: correlations.count)  // 0 new, 1 visiting, 2 done
        var topo: [Int] = []
        func visit(_ index: Int) -> Bool {
            if state[index] == 2 { return true }
            if state[index] == 1 { return false }
            state[index] = 1
            for target in resolved[index] {
                if case .correlation(let child) = target, reasons[child] == nil, !visit(child) {
                    reasons[index] = reasons[index] ?? "is part of a reference cycle"
                }
            }
            state[index] = 2
            if reasons[index] == nil { topo.append(index) }
            return reasons[index] == nil
        }
        for index in correlations.indices where reasons[index] == nil { _ = visit(index) }
        // A late cycle discovery can strand correlations already ordered; drop those that now chain a rejected one.
        topo = topo.filter { index in
            resolved[index].allSatisfy { target in
                if case .correlation(let child) = target { return reasons[child] == nil }
                return true
            }
        }
        let running = Set(topo)
        for index in correlations.indices where !running.contains(index) && reasons[index] == nil {
            reasons[index] = "chains a correlation that cannot run"
        }

        var nodeOf: [Int: Int] = [:]
        let runningInLoadOrder = correlations.indices.filter { running.contains($0) }
        for (node, index) in runningInLoadOrder.enumerated() { nodeOf[index] = node }
        self.setAside = correlations.indices.compactMap { index in
            reasons[index].map { (correlations[index], $0) }
        }
        for index in correlations.indices {
            resolved[index] = resolved[index].map { target in
                if case .correlation(let child) = target, let node = nodeOf[child] { return .correlation(node) }
                return target
            }
        }

        // Parents and COR-08.
        var parents: [[(node: Int, slot: Int)]] = Array(repeating: [], count: runningInLoadOrder.count)
        var silencedRules = Set<Int>()
        var silencedNodes = Set<Int>()
        for (node, index) in runningInLoadOrder.enumerated() {
            let correlation = correlations[index]
            for (slot, target) in resolved[index].enumerated() {
                switch target {
                case .rule(let rule): if !correlation.generate { silencedRules.insert(rule) }
                case .correlation(let child):
                    parents[child].append((node, slot))
                    if !correlation.generate { silencedNodes.insert(child) }
                case .missing: break
                }
            }
        }

        // Build the nodes.
        var nodes: [Node] = []
        for (node, index) in runningInLoadOrder.enumerated() {
            let correlation = correlations[index]
            let sources: [Source] = resolved[index].compactMap { target in
                switch target {
                case .rule(let rule): return .rule(rule)
                case .correlation(let child): return .correlation(child)
                case .missing: return nil
                }
            }
            var groupFields: [[String]] = []
            var valueFields: [[String]] = []
            for slot in sources.indices {
                let mapping = Self.aliasMapping(
                    correlation, slot: slot, source: sources[slot], ruleSet: ruleSet,
                    correlations: runningInLoadOrder.map { correlations[$0] })
                groupFields.append(correlation.groupBy.map { mapping[$0] ?? $0 })
                valueFields.append(Self.valueFieldNames(correlation).map { mapping[$0] ?? $0 })
            }
            let condition = CompiledCorrelationCondition(correlation, sources: sources)
            var retain = 0
            if case .threshold(_, let count) = condition.kind, count.isFinite, count < 1e9 {
                retain = max(0, Int(count.rounded(.up)) + 1)
            }
            nodes.append(
                Node(
                    correlation: correlation, sources: sources, producesAlerts: !silencedNodes.contains(node),
                    identity: correlation.metadata.id ?? correlation.metadata.name ?? correlation.metadata.title,
                    timespan: Int64(correlation.timespan) * 1000, condition: condition, groupFields: groupFields,
                    valueFields: valueFields, groupPaths: groupFields.map { $0.map(FieldPath.init) },
                    valuePaths: valueFields.map { $0.map(FieldPath.init) }, contextFields: [], parents: parents[node],
                    retainMinimum: retain))
        }
        // Context field lists (every event is a potential anchor) for pure negative clauses.
        func contexts(_ node: Int, _ fields: [String]) -> [[String]] {
            var out: [[String]] = []
            for (slot, source) in nodes[node].sources.enumerated() {
                let mapping = Self.aliasMapping(
                    nodes[node].correlation, slot: slot, source: source, ruleSet: ruleSet,
                    correlations: nodes.map(\.correlation))
                let mapped = fields.map { mapping[$0] ?? $0 }
                switch source {
                case .rule: if !out.contains(mapped) { out.append(mapped) }
                case .correlation(let child):
                    for list in contexts(child, mapped) where !out.contains(list) { out.append(list) }
                }
            }
            return out
        }
        var needsEveryEvent = false
        for node in nodes.indices where nodes[node].condition.hasPureNegativeClause {
            let lists = contexts(node, nodes[node].correlation.groupBy)
            let old = nodes[node]
            nodes[node] = Node(
                correlation: old.correlation, sources: old.sources, producesAlerts: old.producesAlerts,
                identity: old.identity, timespan: old.timespan, condition: old.condition,
                groupFields: old.groupFields, valueFields: old.valueFields, groupPaths: old.groupPaths,
                valuePaths: old.valuePaths, contextFields: lists.map { $0.map(FieldPath.init) }, parents: old.parents,
                retainMinimum: old.retainMinimum)
            needsEveryEvent = true
        }

        // Feeds and carried fields (COR-18: a parent's field missing from the child's group-by comes from the
        // child's events).
        var feeds: [[(node: Int, slot: Int)]] = Array(repeating: [], count: ruleSet.rules.count)
        for (node, entry) in nodes.enumerated() {
            for (slot, source) in entry.sources.enumerated() {
                if case .rule(let rule) = source { feeds[rule].append((node, slot)) }
            }
        }
        var propagated: [Set<String>] = Array(repeating: [], count: nodes.count)
        for (node, entry) in nodes.enumerated() {
            for (slot, source) in entry.sources.enumerated() {
                guard case .correlation(let child) = source else { continue }
                let childOwn = Set(nodes[child].correlation.groupBy)
                    .union([nodes[child].correlation.type.rawValue, "sigma_metric"])
                for name in entry.groupFields[slot] + entry.valueFields[slot] where !childOwn.contains(name) {
                    propagated[child].insert(name)
                }
            }
        }
        var carry: [Set<String>] = Array(repeating: [], count: ruleSet.rules.count)
        func descend(_ node: Int, _ names: Set<String>) {
            for source in nodes[node].sources {
                switch source {
                case .rule(let rule): carry[rule].formUnion(names)
                case .correlation(let child): descend(child, names)
                }
            }
        }
        for node in nodes.indices where !propagated[node].isEmpty { descend(node, propagated[node]) }

        self.nodes = nodes
        self.order = topo.compactMap { nodeOf[$0] }
        self.ruleProducesAlerts = ruleSet.rules.indices.map { !silencedRules.contains($0) }
        self.needsEveryEvent = needsEveryEvent
        self.feeds = feeds
        self.carryNames = carry.map { $0.sorted() }
        self.carryPaths = carry.map { $0.sorted().map(FieldPath.init) }
    }

    /// The value field(s) of a value_* correlation (empty for the others).
    static func valueFieldNames(_ correlation: SigmaCorrelation) -> [String] {
        switch correlation.condition {
        case .threshold(_, _, let field, _), .notEqual(_, let field, _): return field
        case .expression: return []
        }
    }

    /// COR-07: alias → field for one referenced rule. An alias entry applies when its key is the reference
    /// as written, or the referenced document's name or id.
    static func aliasMapping(
        _ correlation: SigmaCorrelation, slot: Int, source: Source, ruleSet: RuleSet, correlations: [SigmaCorrelation]
    ) -> [String: String] {
        guard !correlation.aliases.isEmpty else { return [:] }
        let metadata: RuleMetadata
        switch source {
        case .rule(let rule): metadata = ruleSet.rules[rule].rule.metadata
        case .correlation(let node): metadata = correlations[node].metadata
        }
        let written = correlation.rules[slot]
        var mapping: [String: String] = [:]
        for (alias, targets) in correlation.aliases {
            for (reference, field) in targets {
                let matches =
                    reference == written || (metadata.name != nil && reference == metadata.name)
                    || (metadata.id != nil && RuleIdentifier.normalizedUUID(reference) == metadata.id)
                if matches { mapping[alias] = field }
            }
        }
        return mapping
    }

    // MARK: - Extraction

    /// Appends the observations `event` makes for the correlations fed by `matchedRules` (indices in the
    /// rule set), extracting group-by and value fields now, while the event is borrowed.
    ///
    /// - Parameters:
    ///   - time: the event's time in milliseconds since the epoch.
    ///   - eventID: an identity unique per event (COR-11 counts distinct events by it).
    ///   - payload: a handle the caller can use later to find the event's details (-1 for none).
    /// - Returns: the number of (event, correlation) pairs dropped because a group-by field was missing
    ///   (COR-10).
    @discardableResult
    public func observe<E: SigmaEvent>(
        _ event: E, matchedRules: [Int], time: Int64, eventID: String, payload: Int64 = -1,
        into observations: inout [CorrelationObservation]
    ) -> Int {
        var dropped = 0
        for rule in matchedRules where rule < feeds.count && !feeds[rule].isEmpty {
            var reference = CorrelationEventRef(id: eventID, time: time, payload: payload)
            if !carryPaths[rule].isEmpty {
                reference.carry = CarriedFields(
                    names: carryNames[rule], values: carryPaths[rule].map { texts(event, $0) })
            }
            for (node, slot) in feeds[rule] {
                let entry = nodes[node]
                // Fast path: one group field and at most one value field, each with a single value (the usual
                // case): one row, no intermediate arrays.
                if entry.groupPaths[slot].count == 1 && entry.valuePaths[slot].count <= 1 {
                    let group = singleText(event, entry.groupPaths[slot][0])
                    if group.multiple == false {
                        guard let text = group.text else {
                            dropped += 1
                            continue
                        }
                        var value: String?
                        var single = true
                        if let path = entry.valuePaths[slot].first {
                            let read = singleText(event, path)
                            value = read.text
                            single = !read.multiple
                        }
                        if single {
                            observations.append(
                                CorrelationObservation(
                                    node: Int32(node), slot: Int32(slot), event: reference,
                                    row: CorrelationRow(key: Self.fold(text), display: text, value: value)))
                            continue
                        }
                    }
                }
                let rows = rows(
                    groups: entry.groupPaths[slot].map { texts(event, $0) },
                    values: entry.valuePaths[slot].map { texts(event, $0) })
                if rows.isEmpty {
                    dropped += 1
                    continue
                }
                observations.append(
                    CorrelationObservation(
                        node: Int32(node), slot: Int32(slot), event: reference, rows: rows, chained: nil))
            }
        }
        return dropped
    }

    /// Appends the context observations of `event` (only when ``needsEveryEvent``): every event is a
    /// potential anchor of a purely negative temporal clause (`not ok`), as in the SQL reference.
    public func observeContext<E: SigmaEvent>(
        _ event: E, time: Int64, eventID: String, payload: Int64 = -1, into observations: inout [CorrelationObservation]
    ) {
        guard needsEveryEvent else { return }
        for (node, entry) in nodes.enumerated() where !entry.contextFields.isEmpty {
            var all: [CorrelationRow] = []
            for paths in entry.contextFields {
                for row in rows(groups: paths.map { texts(event, $0) }, values: []) where !all.contains(row) {
                    all.append(row)
                }
            }
            guard !all.isEmpty else { continue }
            observations.append(
                CorrelationObservation(
                    node: Int32(node), slot: -1, event: CorrelationEventRef(id: eventID, time: time, payload: payload),
                    rows: all, chained: nil))
        }
    }

    /// The only non-null value at `path` as text, or `multiple` when there are several distinct ones.
    func singleText<E: SigmaEvent>(_ event: E, _ path: FieldPath) -> (text: String?, multiple: Bool) {
        var first: String?
        var multiple = false
        _ = event.anyValue(at: path) { value in
            guard value.kind != .null else { return false }
            if let first {
                if first.utf8.elementsEqual(value.bytes) { return false }
                multiple = true
                return true
            }
            first = value.text
            return false
        }
        return (first, multiple)
    }

    /// Every non-null value at `path` as text (arrays fanned out, D2; objects as D1 text), deduplicated.
    func texts<E: SigmaEvent>(_ event: E, _ path: FieldPath) -> [String] {
        var out: [String] = []
        let limit = options.maxValuesPerField
        _ = event.anyValue(at: path) { value in
            guard value.kind != .null else { return false }
            let text = value.text
            if !out.contains(text) { out.append(text) }
            return out.count >= limit
        }
        return out
    }

    /// The (group, value) combinations of one event: the product of the group fields' values and of the
    /// value fields' values. Empty when a group-by field has no value (the event is dropped, COR-10).
    func rows(groups: [[String]], values: [[String]]) -> [CorrelationRow] {
        for list in groups where list.isEmpty { return [] }
        let limit = options.maxRowsPerEvent
        var keys: [(key: String, display: String)] = [("", "")]
        for (index, list) in groups.enumerated() {
            var next: [(key: String, display: String)] = []
            for prefix in keys {
                for value in list where next.count < limit {
                    // The first field's value is used as is, so that key and display can share its storage.
                    next.append(
                        index == 0
                            ? (Self.fold(value), value)
                            : (prefix.key + "\u{1F}" + Self.fold(value), prefix.display + "\u{1F}" + value))
                }
            }
            keys = next
        }
        var valueTexts: [String?] = [nil]
        if !values.isEmpty {
            if values.contains(where: \.isEmpty) {
                valueTexts = [nil]  // a tuple with a missing member is no value (COR-12)
            } else {
                var tuples: [String] = [""]
                for (index, list) in values.enumerated() {
                    var next: [String] = []
                    for prefix in tuples {
                        for value in list where next.count < limit {
                            next.append(index == 0 ? value : prefix + "\u{1F}" + value)
                        }
                    }
                    tuples = next
                }
                valueTexts = tuples
            }
        }
        var rows: [CorrelationRow] = []
        for key in keys {
            for value in valueTexts where rows.count < limit {
                let row = CorrelationRow(key: key.key, display: key.display, value: value)
                if !rows.contains(row) { rows.append(row) }
            }
        }
        return rows
    }

    /// Case-insensitive group identity (COR-10, D4: Unicode case folding). Already-folded text is returned as is
    /// (sharing its storage); ASCII text is lower-cased byte by byte, without Foundation.
    static func fold(_ text: String) -> String {
        var upper = false
        var ascii = true
        for byte in text.utf8 {
            if byte >= 0x80 {
                ascii = false
                break
            }
            if byte &- 0x41 < 26 { upper = true }
        }
        if !ascii { return foldCase(text) }
        if !upper { return text }
        var bytes = Array(text.utf8)
        for i in bytes.indices where bytes[i] &- 0x41 < 26 { bytes[i] |= 0x20 }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A correlation condition, ready to evaluate.
struct CompiledCorrelationCondition: Sendable {
    enum Comparison: Sendable {
        case gt, gte, lt, lte, eq, neq

        func holds(_ lhs: Double, _ rhs: Double) -> Bool {
            switch self {
            case .gt: return lhs > rhs
            case .gte: return lhs >= rhs
            case .lt: return lhs < rhs
            case .lte: return lhs <= rhs
            case .eq: return lhs == rhs
            case .neq: return lhs != rhs
            }
        }
    }

    /// One conjunction of the extended condition in disjunctive normal form: these slots present, those absent.
    struct Clause: Sendable, Hashable {
        var positive: [Int]
        var negative: [Int]
    }

    enum Kind: Sendable {
        case threshold(Comparison, Double)
        case extended([Clause])
    }

    let kind: Kind
    let type: CorrelationType
    let percentile: Double
    /// temporal_ordered with gt/gte: the number of rules that must match in order.
    let orderedRequired: Int?

    init(_ correlation: SigmaCorrelation, sources: [Source]) {
        type = correlation.type
        var percentile = 50.0
        switch correlation.condition {
        case .threshold(let op, let count, _, let p):
            let comparison: Comparison
            switch op {
            case .greater: comparison = .gt
            case .greaterOrEqual: comparison = .gte
            case .less: comparison = .lt
            case .lessOrEqual: comparison = .lte
            case .equal: comparison = .eq
            }
            kind = .threshold(comparison, count)
            if correlation.type == .valuePercentile, let p { percentile = p }
        case .notEqual(let count, _, let p):
            kind = .threshold(.neq, count)
            if correlation.type == .valuePercentile, let p { percentile = p }
        case .expression(let expression):
            var slotOf: [String: Int] = [:]
            for (slot, reference) in correlation.rules.enumerated() { slotOf[reference] = slotOf[reference] ?? slot }
            kind = .extended(Self.clauses(expression, negative: false, slotOf: slotOf))
        }
        self.percentile = percentile
        if correlation.type == .temporalOrdered, case .threshold(let op, let count) = kind {
            switch op {
            case .gt: orderedRequired = max(0, Int(count.rounded(.down)) + 1)
            case .gte: orderedRequired = max(0, Int(count.rounded(.up)))
            default: orderedRequired = nil
            }
        } else {
            orderedRequired = nil
        }
    }

    typealias Source = CorrelationPlan.Source

    /// Whether a clause has no positive rule (then every event is an anchor).
    var hasPureNegativeClause: Bool {
        guard case .extended(let clauses) = kind else { return false }
        return clauses.contains { $0.positive.isEmpty && !$0.negative.isEmpty }
    }

    /// Disjunctive normal form with negations pushed to the rules; contradictory conjunctions are dropped.
    static func clauses(_ expression: ConditionExpression, negative: Bool, slotOf: [String: Int]) -> [Clause] {
        switch expression {
        case .identifier(let name):
            let slot = slotOf[name] ?? -1
            return [negative ? Clause(positive: [], negative: [slot]) : Clause(positive: [slot], negative: [])]
        case .not(let inner):
            return clauses(inner, negative: !negative, slotOf: slotOf)
        case .selector:
            return []
        case .and(let parts), .or(let parts):
            var isConjunction = false
            if case .and = expression { isConjunction = true }
            if negative { isConjunction.toggle() }
            let children = parts.map { clauses($0, negative: negative, slotOf: slotOf) }
            if !isConjunction { return children.flatMap { $0 } }
            var result = [Clause(positive: [], negative: [])]
            for child in children {
                var next: [Clause] = []
                for a in result {
                    for c in child {
                        let positive = Set(a.positive).union(c.positive)
                        let negative = Set(a.negative).union(c.negative)
                        if positive.isDisjoint(with: negative) {
                            next.append(Clause(positive: positive.sorted(), negative: negative.sorted()))
                        }
                    }
                }
                result = next
            }
            return result
        }
    }
}
