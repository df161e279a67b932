/// Options for compiling a rule set.
public struct RuleSetOptions: Sendable {
    /// The log source the events come from. A rule runs only if each of its category/product/service is unset
    /// or equal to the target's (LS-03); the others are set aside with a reason. Nil runs every rule.
    public var target: LogSource?
    /// Fields to index rules on, in order of preference (for CloudTrail: `eventName`, then `eventSource`). A rule
    /// whose condition requires literal values of one of them is only tried on events carrying one of those
    /// values. A rule pinned on none of them is filed under any other field it requires literal values of;
    /// only rules with no such field run on every event.
    public var indexFields: [String]
    /// Filters (by id or name) not to apply, e.g. the pack's "successful calls only" filter under
    /// `--include-failed`.
    public var disabledFilters: Set<String>

    public init(target: LogSource? = nil, indexFields: [String] = [], disabledFilters: Set<String> = []) {
        self.target = target
        self.indexFields = indexFields
        self.disabledFilters = disabledFilters
    }
}

/// A rule ready to run.
public struct CompiledRule: Sendable {
    public let rule: SigmaRule
    /// The filters applied to this rule (FLT-04: ANDed with its condition).
    public let filters: [SigmaFilter]
    /// The index key the rule was filed under (field name and literal values), nil when it runs on every event.
    public let indexKey: (field: String, values: [String])?
    let program: Program
    /// Root of the program lowered into ``RuleSet/nodes`` (what evaluation walks).
    var root: Int32 = 0
}

/// A rule that was loaded but will not run here, and why.
public struct SetAsideRule: Sendable {
    public let rule: SigmaRule
    public let reason: String
}

/// One node of a lowered program: flat, so evaluation walks an array without reference counting.
struct ProgramNode: Sendable {
    enum Operation: UInt8, Sendable { case item, and, or, not, constant }
    var operation: Operation
    /// item: the item index; and/or: first child in ``RuleSet/children``; not: the child node; constant: 0 or 1.
    var first: Int32
    /// and/or: number of children.
    var count: Int32
}

/// Boolean program over compiled detection items (the compiler's form; lowered to ``ProgramNode``s).
indirect enum Program: Sendable {
    case item(Int)
    case and([Program])
    case or([Program])
    case not(Program)
    case constant(Bool)
}

/// An immutable, shareable set of compiled rules with an index on literal field values (§4.5 of the style guide).
/// Build it once, share it across tasks, and call ``matchingRules(_:into:)`` for every event.
public struct RuleSet: Sendable {
    /// Rules that run, in load order; match results are indices into this array.
    public let rules: [CompiledRule]
    /// Rules that cannot apply to the target log source.
    public let setAside: [SetAsideRule]
    /// Rules that failed to compile (e.g. a condition naming an unknown identifier), with the reason.
    public let diagnostics: [Diagnostic]

    let items: [CompiledItem]
    /// The same items, unretained (`items` keeps them alive): evaluated per event without reference counting.
    let itemRefs: [Unmanaged<CompiledItem>]
    let paths: [FieldPath]
    /// Lowered programs of every rule, and the child lists of their and/or nodes.
    let nodes: [ProgramNode]
    let children: [Int32]
    /// One table per index field: folded literal → rule indices.
    let indexes: [(path: FieldPath, table: FrozenByteKeyTable)]
    /// The same, unretained (`indexes` keeps them alive): read for every event without reference counting.
    let indexLookups: [IndexLookup]

    struct IndexLookup: @unchecked Sendable {  // references owned by `indexes`
        let path: Unmanaged<FieldPath>
        let table: Unmanaged<FrozenByteKeyTable>
    }
    /// Rules that run on every event.
    let unindexed: [Int32]

    /// Compiles `rules` with the `filters` that apply to them (FLT-02/03/07).
    public init(rules: [SigmaRule], filters: [SigmaFilter] = [], options: RuleSetOptions = .init()) {
        var compiler = RuleCompiler()
        var compiled: [CompiledRule] = []
        var setAside: [SetAsideRule] = []
        var diagnostics: [Diagnostic] = []
        let activeFilters = filters.filter { filter in
            !(filter.metadata.id.map(options.disabledFilters.contains) ?? false)
                && !(filter.metadata.name.map(options.disabledFilters.contains) ?? false)
        }
        var filterPrograms: [Int: Program] = [:]
        for rule in rules {
            if let target = options.target, !RuleSet.applies(rule.logsource, to: target) {
                setAside.append(SetAsideRule(rule: rule, reason: RuleSet.logsourceReason(rule.logsource, target)))
                continue
            }
            do {
                var program = try compiler.compile(
                    conditions: rule.conditions, detections: rule.detections, location: rule.origin.location)
                var applied: [SigmaFilter] = []
                for (index, filter) in activeFilters.enumerated() where RuleSet.filter(filter, appliesTo: rule) {
                    if filterPrograms[index] == nil {
                        filterPrograms[index] = try compiler.compile(
                            conditions: [filter.condition], detections: filter.detections,
                            location: filter.origin.location)
                    }
                    if let filterProgram = filterPrograms[index] {
                        program = .and([program, filterProgram])
                        applied.append(filter)
                    }
                }
                compiled.append(CompiledRule(rule: rule, filters: applied, indexKey: nil, program: program))
            } catch {
                diagnostics.append(Diagnostic(error))
            }
        }
        // File each rule under the first index field whose literal values its program requires.
        var indexes = options.indexFields.map { (path: FieldPath($0), table: ByteKeyTable()) }
        var unindexed: [Int32] = []
        for (ruleIndex, rule) in compiled.enumerated() {
            var filed = false
            for i in indexes.indices {
                guard let values = compiler.requiredValues(of: indexes[i].path.name, in: rule.program) else {
                    continue
                }
                let sorted = values.sorted()
                for value in sorted { indexes[i].table.insert(value, Int32(ruleIndex)) }
                compiled[ruleIndex] = CompiledRule(
                    rule: rule.rule, filters: rule.filters, indexKey: (indexes[i].path.name, sorted),
                    program: rule.program)
                filed = true
                break
            }
            if !filed {
                // Not pinned on a preferred field: file it under any other field whose literal values it requires
                // (`userIdentity.type: Root`, `userAgent: TruffleHog`), the one with the fewest values. One hash
                // lookup per event then replaces evaluating the rule on every event.
                var best: (field: String, values: Set<String>)?
                for path in compiler.paths {
                    if let values = compiler.requiredValues(of: path.name, in: rule.program),
                        values.count < (best?.values.count ?? Int.max)
                    {
                        best = (path.name, values)
                    }
                }
                if let best {
                    let sorted = best.values.sorted()
                    var tableIndex = indexes.firstIndex { $0.path.name == best.field }
                    if tableIndex == nil {
                        indexes.append((path: FieldPath(best.field), table: ByteKeyTable()))
                        tableIndex = indexes.count - 1
                    }
                    if let tableIndex {
                        for value in sorted { indexes[tableIndex].table.insert(value, Int32(ruleIndex)) }
                    }
                    compiled[ruleIndex] = CompiledRule(
                        rule: rule.rule, filters: rule.filters, indexKey: (best.field, sorted), program: rule.program)
                    filed = true
                }
            }
            if !filed { unindexed.append(Int32(ruleIndex)) }
        }
        // A field no rule is filed under costs a lookup per event for nothing.
        indexes.removeAll { $0.table.count == 0 }
        var lowering = ProgramLowering()
        for index in compiled.indices { compiled[index].root = lowering.lower(compiled[index].program) }
        self.nodes = lowering.nodes
        self.children = lowering.children
        self.rules = compiled
        self.setAside = setAside
        self.diagnostics = diagnostics
        self.items = compiler.items
        itemRefs = compiler.items.map { Unmanaged.passUnretained($0) }
        self.paths = compiler.paths
        let frozen = indexes.map { (path: $0.path, table: FrozenByteKeyTable($0.table)) }
        self.indexes = frozen
        indexLookups = frozen.map {
            IndexLookup(path: Unmanaged.passUnretained($0.path), table: Unmanaged.passUnretained($0.table))
        }
        self.unindexed = unindexed
    }

    /// LS-03: every attribute the rule sets must equal the target's.
    static func applies(_ source: LogSource, to target: LogSource) -> Bool {
        (source.category == nil || source.category == target.category)
            && (source.product == nil || source.product == target.product)
            && (source.service == nil || source.service == target.service)
    }

    static func logsourceReason(_ source: LogSource, _ target: LogSource) -> String {
        var parts: [String] = []
        if let category = source.category, category != target.category { parts.append("category \(category)") }
        if let product = source.product, product != target.product { parts.append("product \(product)") }
        if let service = source.service, service != target.service { parts.append("service \(service)") }
        return "logsource \(parts.joined(separator: ", ")) does not apply to these events"
    }

    /// FLT-02/03: the filter names the rule by id or name (a UUID-looking reference only by id), or targets any
    /// rule; and every logsource attribute the filter sets equals the rule's.
    public static func filter(_ filter: SigmaFilter, appliesTo rule: SigmaRule) -> Bool {
        guard filter.logsource.isContained(in: rule.logsource) else { return false }
        switch filter.target {
        case .anyRule:
            return true
        case .rules(let references):
            return references.contains { reference in
                if looksLikeUUID(reference) { return rule.metadata.id == reference.lowercased() }
                return rule.metadata.name == reference || rule.metadata.id == reference
            }
        }
    }

    static func looksLikeUUID(_ text: String) -> Bool {
        let hex = text.lowercased().filter { $0 != "-" && $0 != "{" && $0 != "}" }
        return hex.count == 32 && hex.allSatisfy(\.isHexDigit)
    }
}

/// Lowers ``Program`` trees into one flat node array.
struct ProgramLowering {
    var nodes: [ProgramNode] = []
    var children: [Int32] = []

    mutating func lower(_ program: Program) -> Int32 {
        switch program {
        case .item(let index):
            return append(ProgramNode(operation: .item, first: Int32(index), count: 0))
        case .constant(let value):
            return append(ProgramNode(operation: .constant, first: value ? 1 : 0, count: 0))
        case .not(let inner):
            let child = lower(inner)
            return append(ProgramNode(operation: .not, first: child, count: 0))
        case .and(let parts), .or(let parts):
            let lowered = parts.map { lower($0) }
            let first = Int32(children.count)
            children.append(contentsOf: lowered)
            let operation: ProgramNode.Operation
            if case .and = program { operation = .and } else { operation = .or }
            return append(ProgramNode(operation: operation, first: first, count: Int32(lowered.count)))
        }
    }

    private mutating func append(_ node: ProgramNode) -> Int32 {
        nodes.append(node)
        return Int32(nodes.count - 1)
    }
}
