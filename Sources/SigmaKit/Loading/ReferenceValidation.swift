/// Gathers per-file results and validates what only a whole load can check: unique names (MD-03),
/// correlation references by id or name (COR-03, COR-07, COR-20) and correlation cycles (COR-18).
struct Accumulator {
    var rules: [PendingRule] = []
    var correlations: [PendingCorrelation] = []
    var filters: [SigmaFilter] = []
    var diagnostics: [Diagnostic] = []
    var filesRead = 0
    var documentsRejected = 0
    /// Ids and names of documents rejected while parsing, for clearer "not found" messages.
    var rejectedIdentities: Set<String> = []

    mutating func add(_ file: FileResult) {
        filesRead += 1
        rules += file.rules
        correlations += file.correlations
        filters += file.filters
        diagnostics += file.diagnostics
        documentsRejected += file.documentsRejected
        rejectedIdentities.formUnion(file.rejectedIdentities)
    }

    mutating func finish() -> RuleCollection {
        checkUniqueNames()
        checkCorrelationReferences()
        return RuleCollection(
            rules: rules.map(\.rule), correlations: correlations.map(\.correlation), filters: filters,
            diagnostics: RuleCollection.sorted(diagnostics), filesRead: filesRead,
            documentsRejected: documentsRejected)
    }

    private mutating func reject(_ error: RuleError, identity: RuleMetadata) {
        diagnostics.append(Diagnostic(error))
        documentsRejected += 1
        if let id = identity.id { rejectedIdentities.insert(id) }
        if let name = identity.name { rejectedIdentities.insert(name) }
    }

    /// MD-03: a `name` may be used once; later documents reusing it are rejected.
    private mutating func checkUniqueNames() {
        var seen: [String: SourceLocation] = [:]
        var keptRules: [PendingRule] = []
        for pending in rules {
            if let name = pending.rule.metadata.name {
                if let first = seen[name] {
                    reject(
                        RuleError(
                            .invalidAttribute, "name '\(name)' is already used by the document at \(first)",
                            at: pending.nameLocation), identity: RuleMetadata(title: ""))
                    continue
                }
                seen[name] = pending.nameLocation
            }
            keptRules.append(pending)
        }
        rules = keptRules
        var keptCorrelations: [PendingCorrelation] = []
        for pending in correlations {
            if let name = pending.correlation.metadata.name {
                if let first = seen[name] {
                    reject(
                        RuleError(
                            .invalidAttribute, "name '\(name)' is already used by the document at \(first)",
                            at: pending.nameLocation), identity: RuleMetadata(title: ""))
                    continue
                }
                seen[name] = pending.nameLocation
            }
            keptCorrelations.append(pending)
        }
        correlations = keptCorrelations
    }

    private enum Target: Hashable {
        case rule(Int)
        case correlation(Int)
    }

    /// COR-03: resolve every reference; COR-18: no cycles. Rejecting a correlation can break another one
    /// that references it, so this repeats until nothing changes.
    private mutating func checkCorrelationReferences() {
        var changed = true
        while changed && !correlations.isEmpty {
            changed = false
            var byID: [String: Target] = [:]
            var byName: [String: Target] = [:]
            var titles: Set<String> = []
            for (i, pending) in rules.enumerated() {
                if let id = pending.rule.metadata.id { byID[id] = byID[id] ?? .rule(i) }
                if let name = pending.rule.metadata.name { byName[name] = .rule(i) }
                titles.insert(pending.rule.metadata.title)
            }
            for (i, pending) in correlations.enumerated() {
                if let id = pending.correlation.metadata.id { byID[id] = byID[id] ?? .correlation(i) }
                if let name = pending.correlation.metadata.name { byName[name] = .correlation(i) }
                titles.insert(pending.correlation.metadata.title)
            }
            func resolve(_ reference: String) -> Target? {
                if let id = RuleIdentifier.normalizedUUID(reference) { return byID[id] }  // a UUID: by id only
                return byName[reference]
            }

            var failures: [Int: RuleError] = [:]
            var edges: [Int: [Int]] = [:]
            for (i, pending) in correlations.enumerated() {
                let title = pending.correlation.metadata.title
                for (reference, location) in pending.sites.rules + pending.sites.aliases {
                    guard let target = resolve(reference) else {
                        var message = "correlation '\(title)' references '\(reference)', which is not a loaded rule"
                        if rejectedIdentities.contains(reference)
                            || RuleIdentifier.normalizedUUID(reference).map(rejectedIdentities.contains) == true
                        {
                            message = "correlation '\(title)' references '\(reference)', which failed to load"
                        } else if titles.contains(reference) {
                            message += " id or name (titles are not resolved; reference the rule by its id or name)"
                        } else {
                            message += " id or name"
                        }
                        failures[i] = failures[i] ?? RuleError(.invalidCorrelation, message, at: location)
                        continue
                    }
                    if case .correlation(let j) = target { edges[i, default: []].append(j) }
                }
            }
            for (i, path) in Self.cycles(edges: edges, count: correlations.count) where failures[i] == nil {
                let names = path.map {
                    correlations[$0].correlation.metadata.name ?? correlations[$0].correlation.metadata.title
                }
                failures[i] = RuleError(
                    .invalidCorrelation,
                    "correlation '\(correlations[i].correlation.metadata.title)' is part of a reference cycle: "
                        + names.joined(separator: " -> "),
                    at: correlations[i].sites.rules.first?.location ?? correlations[i].correlation.origin.location)
            }
            guard !failures.isEmpty else { break }
            changed = true
            var kept: [PendingCorrelation] = []
            for (i, pending) in correlations.enumerated() {
                if let error = failures[i] {
                    reject(error, identity: pending.correlation.metadata)
                } else {
                    kept.append(pending)
                }
            }
            correlations = kept
        }
    }

    /// Nodes that lie on a cycle, each with one cycle through it (start ... start).
    private static func cycles(edges: [Int: [Int]], count: Int) -> [(Int, [Int])] {
        var result: [(Int, [Int])] = []
        for start in 0..<count where edges[start] != nil {
            // Breadth-first search back to `start`, remembering parents to print the cycle.
            var parent: [Int: Int] = [:]
            var queue = edges[start] ?? []
            for next in queue { parent[next] = start }
            var found = false
            var head = 0
            while head < queue.count {
                let node = queue[head]
                head += 1
                if node == start {
                    found = true
                    break
                }
                for next in edges[node] ?? [] where parent[next] == nil {
                    parent[next] = node
                    queue.append(next)
                }
            }
            guard found else { continue }
            var path = [start]
            var node = parent[start] ?? start
            var guardCount = 0
            while node != start && guardCount <= count {
                path.append(node)
                node = parent[node] ?? start
                guardCount += 1
            }
            path.append(start)
            result.append((start, Array(path.reversed())))
        }
        return result
    }
}
