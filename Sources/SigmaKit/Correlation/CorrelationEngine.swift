/// Evaluates correlation rules over observations in event-time order (D12), with sliding windows anchored at
/// each event (COR-09), groups compared case-insensitively (COR-10) and bounded memory.
///
/// Two ways to use it:
/// - a finite input (a file scan): ``evaluate(plan:observations:options:)`` sorts every observation by time
///   and evaluates them, so the result does not depend on the order files and records were read in;
/// - a stream (continuous mode): ``add(_:)`` observations as they come; they are held in a reorder buffer
///   and evaluated once the newest time seen is more than ``CorrelationOptions/maxLatenessMillis`` past them.
///   Observations older than what was already evaluated are counted as late. ``finish()`` at the end.
///
/// Take alerts with ``takeFirings()``.
public struct CorrelationEngine: Sendable {
    public let plan: CorrelationPlan
    public let options: CorrelationOptions
    /// Counters so far.
    public private(set) var statistics = CorrelationStatistics()

    var nodes: [NodeState]
    var firings: [CorrelationFiring] = []
    /// Event time of the last batch evaluated (every observation at or before it is late).
    var frontier: Int64 = .min
    var newest: Int64 = .min
    var buffer = ObservationHeap()
    var touch: UInt64 = 0
    var liveGroups = 0
    var nextSweep = 4096
    /// Per node: how far behind the frontier its inputs can still arrive (inner forward windows).
    let delays: [Int64]
    /// Per node, during a batch: whether inner correlations' alerts were added to its inputs.
    var chainedInputs: [Bool] = []

    /// Creates an engine; `options` overrides the plan's for alerting, lateness and group caps.
    public init(plan: CorrelationPlan, options: CorrelationOptions? = nil) {
        self.plan = plan
        self.options = options ?? plan.options
        nodes = plan.nodes.map { NodeState(node: $0) }
        var delays = [Int64](repeating: 0, count: plan.nodes.count)
        for index in plan.order {
            var delay: Int64 = 0
            for source in plan.nodes[index].sources {
                if case .correlation(let child) = source {
                    let own = plan.nodes[child].condition.hasForwardClause ? plan.nodes[child].timespan : 0
                    delay = max(delay, delays[child] + own)
                }
            }
            delays[index] = delay
        }
        self.delays = delays
    }

    /// Evaluates a finite set of observations: sorts them by time (then event id) and runs them all.
    public static func evaluate(
        plan: CorrelationPlan, observations: [CorrelationObservation], options: CorrelationOptions? = nil
    ) -> (firings: [CorrelationFiring], statistics: CorrelationStatistics) {
        evaluate(plan: plan, parts: [observations], options: options)
    }

    /// Evaluates the observations of several collectors (e.g. one per worker) together, without merging them:
    /// an index is sorted by time, and only observations with equal times are compared field by field.
    public static func evaluate(
        plan: CorrelationPlan, parts: [[CorrelationObservation]], options: CorrelationOptions? = nil
    ) -> (firings: [CorrelationFiring], statistics: CorrelationStatistics) {
        var engine = CorrelationEngine(plan: plan, options: options)
        var keys: [(time: Int64, part: Int32, index: Int32)] = []
        keys.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for (part, list) in parts.enumerated() {
            for (index, observation) in list.enumerated() {
                keys.append((observation.time, Int32(part), Int32(truncatingIfNeeded: index)))
            }
        }
        keys.sort { $0.time < $1.time }
        // Observations go straight into the per-correlation input lists (one copy each).
        var inputs: [[CorrelationObservation]] = Array(repeating: [], count: plan.nodes.count)
        var start = 0
        while start < keys.count {
            var end = start + 1
            while end < keys.count && keys[end].time == keys[start].time { end += 1 }
            for key in keys[start..<end] {
                let observation = parts[Int(key.part)][Int(key.index)]
                inputs[Int(observation.node)].append(observation)
            }
            if end - start > 1 {
                for node in inputs.indices where inputs[node].count > 1 {
                    inputs[node].sort(by: CorrelationObservation.precedes)
                }
            }
            engine.process(inputs: &inputs, count: end - start, at: keys[start].time)
            start = end
        }
        engine.finish()
        return (engine.takeFirings(), engine.statistics)
    }

    // MARK: - Incremental API

    /// Adds one observation (continuous mode). It is evaluated once the input has moved more than the lateness
    /// bound past it; one at or before the last evaluated time is late: counted, not evaluated.
    public mutating func add(_ observation: CorrelationObservation) {
        if frontier != .min && observation.time <= frontier {
            statistics.lateObservations += 1
            return
        }
        buffer.push(observation)
        if observation.time > newest { newest = observation.time }
        release(before: Self.subtract(newest, options.maxLatenessMillis))
    }

    /// Adds observations in any order.
    public mutating func add(contentsOf observations: [CorrelationObservation]) {
        for observation in observations { add(observation) }
    }

    /// Moves event time forward without an observation (e.g. to the wall clock in continuous mode), releasing
    /// what is older than `time` minus the lateness bound.
    public mutating func advance(to time: Int64) {
        if time > newest { newest = time }
        release(before: Self.subtract(newest, options.maxLatenessMillis))
    }

    /// Evaluates everything still buffered, then the forward windows that the input completed. Windows still
    /// open are counted in ``CorrelationStatistics/incompleteWindows``.
    public mutating func finish() {
        release(before: .max)
        if frontier != .min { process(batch: [], at: frontier) }
        for state in nodes { statistics.incompleteWindows += state.pendingCount }
    }

    /// The alerts produced so far (and forgets them).
    public mutating func takeFirings() -> [CorrelationFiring] {
        defer { firings.removeAll() }
        return firings
    }

    /// Live groups now.
    public var liveGroupCount: Int { liveGroups }

    static func subtract(_ a: Int64, _ b: Int64) -> Int64 {
        let (value, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? .min : value
    }

    mutating func release(before limit: Int64) {
        while let first = buffer.peek, first.time < limit {
            let time = first.time
            var batch: [CorrelationObservation] = []
            while let next = buffer.peek, next.time == time {
                batch.append(buffer.pop())
            }
            process(batch: batch[...], at: time)
        }
    }

    // MARK: - Batches

    /// Evaluates every observation at time `time` (sorted by ``CorrelationObservation/precedes(_:_:)``), node by
    /// node in dependency order, so that an inner correlation's alert at `time` reaches its parent at `time`.
    mutating func process(batch: ArraySlice<CorrelationObservation>, at time: Int64) {
        var inputs: [[CorrelationObservation]] = Array(repeating: [], count: nodes.count)
        for observation in batch { inputs[Int(observation.node)].append(observation) }
        process(inputs: &inputs, count: batch.count, at: time)
    }

    /// Evaluates the observations at `time`, already split by correlation (each list sorted); empties the lists
    /// (keeping their capacity) for the next batch.
    mutating func process(inputs: inout [[CorrelationObservation]], count: Int, at time: Int64) {
        frontier = max(frontier, time)
        statistics.observations += count
        if chainedInputs.count != nodes.count {
            chainedInputs = Array(repeating: false, count: nodes.count)
        } else {
            for node in chainedInputs.indices where chainedInputs[node] { chainedInputs[node] = false }
        }
        for node in plan.order {
            var list: [CorrelationObservation] = []
            swap(&list, &inputs[node])
            let hasDue = nodes[node].hasDue(upTo: time)
            if list.isEmpty && !hasDue { continue }
            // Inner correlations' alerts were appended after the batch's (sorted) observations and may be older
            // than `time` (forward windows): restore the order, evaluating older ones first.
            if chainedInputs[node] { list.sort(by: CorrelationObservation.precedes) }
            var start = 0
            while start < list.count {
                var end = start + 1
                while end < list.count && list[end].time == list[start].time { end += 1 }
                step(node, at: list[start].time, inputs: list[start..<end], into: &inputs)
                start = end
            }
            if nodes[node].hasDue(upTo: time) { step(node, at: time, inputs: [], into: &inputs) }
            list.removeAll(keepingCapacity: true)
            swap(&list, &inputs[node])
        }
        if liveGroups > options.maxGroups || liveGroups >= nextSweep { sweep() }
    }

    /// One node at one time: close forward windows that ended before, add the inputs, evaluate the touched
    /// groups' backward windows, then close forward windows ending now.
    mutating func step(
        _ node: Int, at time: Int64, inputs: ArraySlice<CorrelationObservation>,
        into pending: inout [[CorrelationObservation]]
    ) {
        touch &+= 1
        resolveForward(node, through: time, inclusive: false, into: &pending)
        let definition = plan.nodes[node]
        var touched: [Int32] = []
        for observation in inputs {
            for index in 0..<observation.rowCount {
                let row = observation.row(index)
                let group = groupIndex(node, row)
                if nodes[node].groups[Int(group)].lastTouch != touch {
                    nodes[node].groups[Int(group)].lastTouch = touch
                    touched.append(group)
                }
                // Alerts show the group as written in the latest event (the key is folded).
                nodes[node].groups[Int(group)].display = row.display
                nodes[node].insert(
                    group: Int(group), observation: observation, value: row.value, definition: definition,
                    options: options)
                nodes[node].registerAnchor(
                    group: Int(group), slot: Int(observation.slot), time: time, definition: definition)
            }
        }
        if touched.count > 1 {
            touched.sort { nodes[node].groups[Int($0)].key < nodes[node].groups[Int($1)].key }
        }
        for group in touched {
            let evicted = nodes[node].prune(
                group: Int(group), before: Self.subtract(time, definition.timespan),
                limit: max(options.maxEventsPerGroup, definition.retainMinimum))
            statistics.eventsEvicted += evicted
            if let firing = evaluateBackward(node, group: Int(group), at: time) {
                emit(firing, node: node, group: Int(group), into: &pending)
            }
        }
        resolveForward(node, through: time, inclusive: true, into: &pending)
    }

    mutating func groupIndex(_ node: Int, _ row: CorrelationRow) -> Int32 {
        if let index = nodes[node].index[row.key] { return index }
        liveGroups += 1
        if liveGroups > statistics.peakGroups { statistics.peakGroups = liveGroups }
        return nodes[node].makeGroup(key: row.key, display: row.display, definition: plan.nodes[node])
    }

    /// Forward windows (`not` clauses) whose end is before (or at) `time`.
    mutating func resolveForward(
        _ node: Int, through time: Int64, inclusive: Bool, into pending: inout [[CorrelationObservation]]
    ) {
        while let due = nodes[node].nextDue(through: time, inclusive: inclusive) {
            if let firing = evaluateForward(node, group: Int(due.group), anchor: due.anchor) {
                emit(firing, node: node, group: Int(due.group), into: &pending)
            }
        }
    }

    /// Records an alert, resets the group (D11) and hands the alert to the correlations that chain it.
    mutating func emit(
        _ firing: CorrelationFiring, node: Int, group: Int, into pending: inout [[CorrelationObservation]]
    ) {
        statistics.firings += 1
        firings.append(firing)
        if options.alertMode == .oncePerGroup { nodes[node].reset(group: group, through: firing.windowEnd) }
        let definition = plan.nodes[node]
        for (parent, slot) in definition.parents {
            if let observation = chainedObservation(firing, child: node, parent: parent, slot: slot) {
                pending[parent].append(observation)
                chainedInputs[parent] = true
            }
        }
    }

    /// COR-18: an inner alert as an event of its parent, at the time of the event that completed it. A parent
    /// field that is one of the child's group-by fields takes the group's value; the child's type name (or
    /// `sigma_metric`) takes the metric; any other field comes from the child's events.
    func chainedObservation(
        _ firing: CorrelationFiring, child: Int, parent: Int, slot: Int
    ) -> CorrelationObservation? {
        let inner = plan.nodes[child]
        let outer = plan.nodes[parent]
        let metricText = Self.text(firing.metric)
        func lookup(_ name: String, _ event: CorrelationEventRef?) -> [String] {
            if let index = inner.correlation.groupBy.firstIndex(of: name), index < firing.group.count {
                return [firing.group[index].value]
            }
            if name == inner.correlation.type.rawValue || name == "sigma_metric" { return [metricText] }
            return event?.carry?.values(of: name) ?? []
        }
        let names = outer.groupFields[slot]
        let valueNames = outer.valueFields[slot]
        let ownOnly = (names + valueNames).allSatisfy { name in
            inner.correlation.groupBy.contains(name) || name == inner.correlation.type.rawValue
                || name == "sigma_metric"
        }
        let sources: [CorrelationEventRef?] = ownOnly || firing.events.isEmpty ? [nil] : firing.events.map { $0 }
        var rows: [CorrelationRow] = []
        for event in sources {
            let made = plan.rows(groups: names.map { lookup($0, event) }, values: valueNames.map { lookup($0, event) })
            for row in made where !rows.contains(row) && rows.count < options.maxRowsPerEvent { rows.append(row) }
        }
        guard !rows.isEmpty else { return nil }
        return CorrelationObservation(
            node: Int32(parent), slot: Int32(slot),
            event: CorrelationEventRef(id: "c:" + firing.alertID, time: firing.windowEnd),
            rows: rows, chained: ChainedEvidence(events: firing.events, alerts: [firing.alertID] + firing.childAlerts))
    }

    static func text(_ value: Double) -> String {
        if value.rounded() == value && abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    // MARK: - Memory bounds

    /// Drops groups whose window is over (exact), then, above the cap, the least recently active ones (counted).
    mutating func sweep() {
        for node in nodes.indices {
            let horizon = Self.subtract(
                Self.subtract(frontier, delays[node]), plan.nodes[node].timespan)
            let expired = nodes[node].removeExpired(notAfter: horizon)
            liveGroups -= expired
            statistics.groupsExpired += expired
        }
        if liveGroups > options.maxGroups {
            var candidates: [(touch: UInt64, node: Int, group: Int32)] = []
            candidates.reserveCapacity(liveGroups)
            for node in nodes.indices {
                for (index, group) in nodes[node].groups.enumerated() where group.alive {
                    candidates.append((group.lastTouch, node, Int32(index)))
                }
            }
            candidates.sort { ($0.touch, $0.node, $0.group) < ($1.touch, $1.node, $1.group) }
            let target = max(0, options.maxGroups - options.maxGroups / 8)
            var index = 0
            while liveGroups > target && index < candidates.count {
                nodes[candidates[index].node].remove(group: Int(candidates[index].group))
                liveGroups -= 1
                statistics.groupsEvicted += 1
                index += 1
            }
        }
        nextSweep = max(4096, liveGroups * 2)
    }
}

/// A binary min-heap of observations ordered by ``CorrelationObservation/precedes(_:_:)``: the reorder buffer.
struct ObservationHeap: Sendable {
    private var items: [CorrelationObservation] = []

    var peek: CorrelationObservation? { items.first }
    var count: Int { items.count }

    mutating func push(_ item: CorrelationObservation) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard CorrelationObservation.precedes(items[child], items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> CorrelationObservation {
        let top = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < items.count && CorrelationObservation.precedes(items[left], items[smallest]) {
                    smallest = left
                }
                if right < items.count && CorrelationObservation.precedes(items[right], items[smallest]) {
                    smallest = right
                }
                if smallest == parent { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}
