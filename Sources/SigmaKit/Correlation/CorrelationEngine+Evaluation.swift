extension CompiledCorrelationCondition {
    /// Clauses without `not`: checked at each anchoring event over [t − timespan, t].
    var backwardClauses: [Clause] {
        if case .extended(let clauses) = kind { return clauses.filter { $0.negative.isEmpty } }
        return []
    }

    /// Clauses with `not`: checked over [t, t + timespan] once the input has passed its end, as the SQL
    /// reference does (absence needs a complete window).
    var forwardClauses: [Clause] {
        if case .extended(let clauses) = kind { return clauses.filter { !$0.negative.isEmpty } }
        return []
    }

    var hasForwardClause: Bool { !forwardClauses.isEmpty }
}

extension CorrelationEngine {
    static func add(_ a: Int64, _ b: Int64) -> Int64 {
        let (value, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : value
    }

    /// COR-09: the window [t − timespan, t] of a group, evaluated at the anchoring time `t` (its entries were
    /// pruned to that window just before).
    func evaluateBackward(_ node: Int, group: Int, at time: Int64) -> CorrelationFiring? {
        let definition = plan.nodes[node]
        let state = nodes[node].groups[group]
        let range = state.head..<state.entries.count
        let start = Self.subtract(time, definition.timespan)
        switch definition.condition.kind {
        case .threshold(let op, let count):
            guard let metric = thresholdMetric(definition, state, range) else { return nil }
            let holds: Bool
            if definition.correlation.type == .temporalOrdered {
                let longest = Self.longestOrderedChain(state.entries, range, slots: nodes[node].slotCount)
                if let required = definition.condition.orderedRequired {
                    holds = longest >= required && op.holds(metric, count)
                } else {
                    holds = Double(longest) == metric && op.holds(metric, count)
                }
            } else {
                holds = op.holds(metric, count)
            }
            guard holds else { return nil }
            let evidence = thresholdEvidence(definition, state, range, from: start, to: time)
            return makeFiring(node, group: group, entries: evidence, metric: metric, start: start, end: time)
        case .extended:
            var evidence = Set<Int>()
            var any = false
            for clause in definition.condition.backwardClauses {
                guard clause.positive.allSatisfy({ state.slotCounts[$0] > 0 }) else { continue }
                if definition.correlation.type == .temporalOrdered {
                    guard let chain = Self.chain(state.entries, range, clause.positive, from: start, to: time)
                    else { continue }
                    evidence.formUnion(chain)
                } else {
                    for i in range where clause.positive.contains(Int(state.entries[i].slot)) { evidence.insert(i) }
                }
                any = true
            }
            guard any else { return nil }
            let metric = Double(state.slotCounts.filter { $0 > 0 }.count)
            return makeFiring(node, group: group, entries: evidence.sorted(), metric: metric, start: start, end: time)
        }
    }

    /// A forward window [anchor, anchor + timespan] of the clauses with `not`: the positive rules present, the
    /// negated ones absent (and, for temporal_ordered, the positive ones in order).
    func evaluateForward(_ node: Int, group: Int, anchor: (time: Int64, mask: UInt64)) -> CorrelationFiring? {
        let definition = plan.nodes[node]
        let state = nodes[node].groups[group]
        let start = anchor.time
        let end = Self.add(anchor.time, definition.timespan)
        var lower = state.head
        while lower < state.entries.count && state.entries[lower].time < start { lower += 1 }
        var upper = lower
        while upper < state.entries.count && state.entries[upper].time <= end { upper += 1 }
        let range = lower..<upper
        var present = Set<Int>()
        for i in range where state.entries[i].slot >= 0 { present.insert(Int(state.entries[i].slot)) }
        var evidence = Set<Int>()
        var any = false
        for (bit, clause) in definition.condition.forwardClauses.enumerated() where bit < 64 {
            guard anchor.mask & (1 << UInt64(bit)) != 0 else { continue }
            guard clause.positive.allSatisfy(present.contains), !clause.negative.contains(where: present.contains)
            else { continue }
            if clause.positive.isEmpty {
                // A purely negative clause: the evidence is the context at the anchor (as in the SQL reference).
                for i in range where state.entries[i].slot < 0 && state.entries[i].time == start { evidence.insert(i) }
            } else if definition.correlation.type == .temporalOrdered {
                guard let chain = Self.chain(state.entries, range, clause.positive, from: start, to: end) else {
                    continue
                }
                evidence.formUnion(chain)
            } else {
                for i in range where clause.positive.contains(Int(state.entries[i].slot)) { evidence.insert(i) }
            }
            any = true
        }
        guard any else { return nil }
        return makeFiring(
            node, group: group, entries: evidence.sorted(), metric: Double(present.count), start: start, end: end)
    }

    /// The aggregate of a threshold condition over the window, nil when undefined (no numeric value).
    func thresholdMetric(_ definition: CorrelationPlan.Node, _ state: GroupState, _ range: Range<Int>) -> Double? {
        switch definition.correlation.type {
        case .eventCount:
            return Double(state.distinctEvents)
        case .valueCount:
            return Double(state.valueCounts.count)
        case .temporal, .temporalOrdered:
            return Double(state.slotCounts.filter { $0 > 0 }.count)
        case .valueSum, .valueAvg:
            var sum = 0.0
            var count = 0
            for i in range where state.entries[i].newValue {
                if let number = state.entries[i].number {
                    sum += number
                    count += 1
                }
            }
            guard count > 0 else { return nil }
            return definition.correlation.type == .valueSum ? sum : sum / Double(count)
        case .valuePercentile, .valueMedian:
            var numbers: [Double] = []
            for i in range where state.entries[i].newValue {
                if let number = state.entries[i].number { numbers.append(number) }
            }
            numbers.sort()
            return CorrelationValues.percentile(numbers, definition.condition.percentile)
        }
    }

    /// The entries an alert lists: every event of the window, only those with a numeric value for the
    /// numeric types, and the ordered chains for temporal_ordered.
    func thresholdEvidence(
        _ definition: CorrelationPlan.Node, _ state: GroupState, _ range: Range<Int>, from start: Int64, to end: Int64
    ) -> [Int] {
        switch definition.correlation.type {
        case .eventCount, .valueCount, .temporal:
            return range.filter { state.entries[$0].slot >= 0 }
        case .valueSum, .valueAvg, .valuePercentile, .valueMedian:
            return range.filter { state.entries[$0].slot >= 0 && state.entries[$0].number != nil }
        case .temporalOrdered:
            let slots = definition.sources.count
            var evidence = Set<Int>()
            if let required = definition.condition.orderedRequired {
                if required == 0 { return range.filter { state.entries[$0].slot >= 0 } }
                // Every ordered subset of `required` rules that completes contributes its chain (SQL reference).
                var tried = 0
                for subset in Self.combinations(slots, required) {
                    tried += 1
                    if tried > 4096 { break }
                    if let chain = Self.chain(state.entries, range, subset, from: start, to: end) {
                        evidence.formUnion(chain)
                    }
                }
            } else {
                let present = (0..<slots).filter { state.slotCounts[$0] > 0 }
                if let chain = Self.chain(state.entries, range, present, from: start, to: end) {
                    evidence.formUnion(chain)
                }
            }
            return evidence.sorted()
        }
    }

    /// The greedy earliest chain through `slots` in order, each at a strictly later time (COR-14): the indices
    /// of the entries at the chosen times, or nil when a slot cannot follow.
    static func chain(
        _ entries: [WindowEntry], _ range: Range<Int>, _ slots: [Int], from start: Int64, to end: Int64
    ) -> [Int]? {
        var previous: Int64?
        var chosen: [(slot: Int, time: Int64)] = []
        for slot in slots {
            var found: Int64?
            for i in range {
                let entry = entries[i]
                guard Int(entry.slot) == slot, entry.time >= start, entry.time <= end else { continue }
                if let previous, entry.time <= previous { continue }
                found = entry.time
                break
            }
            guard let found else { return nil }
            chosen.append((slot, found))
            previous = found
        }
        return range.filter { i in chosen.contains { $0.slot == Int(entries[i].slot) && $0.time == entries[i].time } }
    }

    /// Length of the longest sequence of distinct rules, in the order of `rules`, matched at strictly
    /// increasing times inside the window.
    static func longestOrderedChain(_ entries: [WindowEntry], _ range: Range<Int>, slots: Int) -> Int {
        guard slots > 0 else { return 0 }
        var best = [Int](repeating: 0, count: slots)
        var i = range.lowerBound
        while i < range.upperBound {
            let time = entries[i].time
            var j = i
            // Prefix maxima from strictly earlier times only: equal times cannot follow each other.
            var prefix = [Int](repeating: 0, count: slots + 1)
            for s in 0..<slots { prefix[s + 1] = max(prefix[s], best[s]) }
            var updated = best
            while j < range.upperBound && entries[j].time == time {
                let slot = Int(entries[j].slot)
                if slot >= 0 && slot < slots { updated[slot] = max(updated[slot], prefix[slot] + 1) }
                j += 1
            }
            best = updated
            i = j
        }
        return best.max() ?? 0
    }

    /// The k-subsets of 0..<n in lexicographic order.
    static func combinations(_ n: Int, _ k: Int) -> [[Int]] {
        guard k <= n, k > 0 else { return k == 0 ? [[]] : [] }
        var result: [[Int]] = []
        var current = Array(0..<k)
        while true {
            result.append(current)
            if result.count > 4096 { return result }
            var i = k - 1
            while i >= 0 && current[i] == n - k + i { i -= 1 }
            if i < 0 { return result }
            current[i] += 1
            for j in (i + 1)..<k { current[j] = current[j - 1] + 1 }
        }
    }

    /// Builds the alert: base events (an inner alert's events for a chain) by time then id, the chained alerts.
    func makeFiring(
        _ node: Int, group: Int, entries indices: [Int], metric: Double, start: Int64, end: Int64
    ) -> CorrelationFiring {
        let definition = plan.nodes[node]
        let state = nodes[node].groups[group]
        var events: [CorrelationEventRef] = []
        var seen = Set<String>()
        var children = Set<String>()
        for i in indices {
            let entry = state.entries[i]
            if let chained = entry.chained {
                children.formUnion(chained.alerts)
                for event in chained.events where seen.insert(event.id).inserted { events.append(event) }
            } else if seen.insert(entry.event.id).inserted {
                events.append(entry.event)
            }
        }
        events.sort { ($0.time, $0.id) < ($1.time, $1.id) }
        let values = state.display.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        let fields = definition.correlation.groupBy
        var group: [(field: String, value: String)] = []
        for (index, field) in fields.enumerated() { group.append((field, index < values.count ? values[index] : "")) }
        return CorrelationFiring(
            node: node, alertID: "\(definition.identity)#\(statistics.firings + 1)", group: group, windowStart: start,
            windowEnd: end, metric: metric, events: events, childAlerts: children.sorted(),
            producesAlert: definition.producesAlerts)
    }
}
