/// One event (or chained alert) retained in a group's window.
struct WindowEntry: Sendable {
    var time: Int64
    /// Slot in the correlation's `rules`; -1 for a context event.
    var slot: Int32
    var event: CorrelationEventRef
    var value: String?
    /// The value read as a number (COR-15), for value_sum/avg/percentile/median.
    var number: Double?
    /// First entry of this event in the group (event_count counts these, COR-11).
    var newEvent: Bool
    /// First entry of this (event, value) pair (value types count these once).
    var newValue: Bool
    var chained: ChainedEvidence?
}

/// A forward window waiting for its end (a temporal clause with `not`).
struct DueAnchor: Sendable {
    var end: Int64
    var group: Int32
    var generation: UInt32
    var anchor: Int64
}

/// The state of one group of one correlation.
struct GroupState: Sendable {
    var key: String
    var display: String
    var entries: [WindowEntry] = []
    var head = 0
    var distinctEvents = 0
    var slotCounts: [Int32]
    var valueCounts: [String: Int32] = [:]
    /// Pending forward anchors (time and the forward clauses they anchor), in time order.
    var anchors: [(time: Int64, mask: UInt64)] = []
    var anchorHead = 0
    var newest: Int64 = .min
    var lastTouch: UInt64 = 0
    var generation: UInt32 = 0
    var alive = true
    var fired = 0

    var retained: Int { entries.count - head }
    var pendingAnchors: Int { anchors.count - anchorHead }
}

/// The groups of one correlation.
struct NodeState: Sendable {
    var index: [String: Int32] = [:]
    var groups: [GroupState] = []
    var free: [Int32] = []
    var due: [DueAnchor] = []
    var dueHead = 0
    var fired = 0
    let slotCount: Int
    let tracksSlots: Bool
    let tracksValues: Bool
    let needsNumbers: Bool
    /// Per slot: the forward clauses an event of that slot anchors (bit i = forward clause i).
    let forwardMask: [UInt64]
    /// Forward clauses anchored by context events (no positive rule).
    let contextMask: UInt64
    let timespan: Int64

    init(node: CorrelationPlan.Node) {
        slotCount = node.sources.count
        let type = node.correlation.type
        var extended = false
        var masks = [UInt64](repeating: 0, count: node.sources.count)
        var contextMask: UInt64 = 0
        if case .extended = node.condition.kind {
            extended = true
            for (bit, clause) in node.condition.forwardClauses.enumerated() where bit < 64 {
                if clause.positive.isEmpty { contextMask |= 1 << UInt64(bit) }
                for slot in clause.positive where slot >= 0 && slot < masks.count { masks[slot] |= 1 << UInt64(bit) }
            }
        }
        tracksSlots = extended || type == .temporal || type == .temporalOrdered
        tracksValues = type == .valueCount
        needsNumbers = [.valueSum, .valueAvg, .valuePercentile, .valueMedian].contains(type)
        forwardMask = masks
        self.contextMask = contextMask
        timespan = node.timespan
    }

    var pendingCount: Int { groups.reduce(0) { $0 + ($1.alive ? $1.pendingAnchors : 0) } }

    mutating func makeGroup(key: String, display: String, definition: CorrelationPlan.Node) -> Int32 {
        let group = GroupState(
            key: key, display: display, slotCounts: tracksSlots ? Array(repeating: 0, count: slotCount) : [])
        let index: Int32
        if let reused = free.popLast() {
            index = reused
            let generation = groups[Int(index)].generation
            groups[Int(index)] = group
            groups[Int(index)].generation = generation
        } else {
            index = Int32(groups.count)
            groups.append(group)
        }
        self.index[key] = index
        return index
    }

    mutating func remove(group index: Int) {
        self.index.removeValue(forKey: groups[index].key)
        let generation = groups[index].generation &+ 1
        groups[index] = GroupState(key: "", display: "", slotCounts: [])
        groups[index].generation = generation
        groups[index].alive = false
        free.append(Int32(index))
    }

    /// Adds one row of an observation; duplicates of the same (event, slot, value) are ignored.
    mutating func insert(
        group index: Int, observation: CorrelationObservation, value: String?, definition: CorrelationPlan.Node,
        options: CorrelationOptions
    ) {
        let slot = observation.slot
        let time = observation.time
        var newEvent = slot >= 0
        var newValue = slot >= 0
        var j = groups[index].entries.count - 1
        while j >= groups[index].head && groups[index].entries[j].time == time {
            let other = groups[index].entries[j]
            if other.event.id == observation.event.id && (other.slot >= 0) == (slot >= 0) {
                if slot < 0 || (other.slot == slot && other.value == value) { return }
                newEvent = false
                if other.value == value { newValue = false }
            }
            j -= 1
        }
        let number = needsNumbers ? value.flatMap(CorrelationValues.number) : nil
        groups[index].entries.append(
            WindowEntry(
                time: time, slot: slot, event: observation.event, value: value, number: number, newEvent: newEvent,
                newValue: newValue, chained: observation.chained))
        if time > groups[index].newest { groups[index].newest = time }
        guard slot >= 0 else { return }
        if newEvent { groups[index].distinctEvents += 1 }
        if tracksSlots && Int(slot) < slotCount { groups[index].slotCounts[Int(slot)] += 1 }
        if tracksValues && newValue, let value {
            groups[index].valueCounts[CorrelationPlan.fold(value), default: 0] += 1
        }
    }

    /// Records a forward anchor (`not` clauses) for an event of `slot` at `time`.
    mutating func registerAnchor(group index: Int, slot: Int, time: Int64, definition: CorrelationPlan.Node) {
        let mask = slot >= 0 ? (slot < forwardMask.count ? forwardMask[slot] : 0) : contextMask
        guard mask != 0 else { return }
        if groups[index].pendingAnchors > 0, let last = groups[index].anchors.last, last.time == time {
            groups[index].anchors[groups[index].anchors.count - 1].mask |= mask
            return
        }
        groups[index].anchors.append((time, mask))
        due.append(
            DueAnchor(
                end: CorrelationEngine.add(time, timespan), group: Int32(index),
                generation: groups[index].generation, anchor: time))
    }

    func hasDue(upTo time: Int64) -> Bool { dueHead < due.count && due[dueHead].end <= time }

    /// The next forward window that ends before `time` (or at it, when `inclusive`), removed from the queue.
    mutating func nextDue(through time: Int64, inclusive: Bool) -> (group: Int32, anchor: (time: Int64, mask: UInt64))?
    {
        while dueHead < due.count {
            let next = due[dueHead]
            guard next.end < time || (inclusive && next.end == time) else { return nil }
            dueHead += 1
            if dueHead > 1024 && dueHead * 2 > due.count {
                due.removeFirst(dueHead)
                dueHead = 0
            }
            let g = Int(next.group)
            guard g < groups.count, groups[g].alive, groups[g].generation == next.generation,
                groups[g].pendingAnchors > 0, groups[g].anchors[groups[g].anchorHead].time == next.anchor
            else { continue }
            let anchor = groups[g].anchors[groups[g].anchorHead]
            groups[g].anchorHead += 1
            if groups[g].anchorHead == groups[g].anchors.count {
                groups[g].anchors.removeAll(keepingCapacity: true)
                groups[g].anchorHead = 0
            }
            return (next.group, anchor)
        }
        return nil
    }

    /// Forgets entries older than `lower` and, above `limit`, the oldest ones. Returns how many were evicted
    /// by the limit (not counting those that left the window).
    mutating func prune(group index: Int, before lower: Int64, limit: Int) -> Int {
        while groups[index].head < groups[index].entries.count && groups[index].entries[groups[index].head].time < lower
        {
            dropFront(index)
        }
        var evicted = 0
        while groups[index].retained > limit {
            dropFront(index)
            evicted += 1
        }
        compact(index)
        return evicted
    }

    private mutating func dropFront(_ index: Int) {
        let entry = groups[index].entries[groups[index].head]
        groups[index].head += 1
        guard entry.slot >= 0 else { return }
        if entry.newEvent { groups[index].distinctEvents -= 1 }
        if tracksSlots && Int(entry.slot) < slotCount { groups[index].slotCounts[Int(entry.slot)] -= 1 }
        if tracksValues && entry.newValue, let value = entry.value {
            let key = CorrelationPlan.fold(value)
            let left = (groups[index].valueCounts[key] ?? 1) - 1
            groups[index].valueCounts[key] = left > 0 ? left : nil
        }
    }

    private mutating func compact(_ index: Int) {
        let head = groups[index].head
        if head == groups[index].entries.count {
            groups[index].entries.removeAll(keepingCapacity: groups[index].entries.capacity <= 16)
            groups[index].head = 0
        } else if head > 32 && head * 2 > groups[index].entries.count {
            groups[index].entries.removeFirst(head)
            groups[index].head = 0
        }
    }

    /// D11: after an alert, the group forgets everything up to it and starts afresh.
    mutating func reset(group index: Int, through time: Int64) {
        while groups[index].head < groups[index].entries.count && groups[index].entries[groups[index].head].time <= time
        {
            dropFront(index)
        }
        compact(index)
        while groups[index].pendingAnchors > 0 && groups[index].anchors[groups[index].anchorHead].time <= time {
            groups[index].anchorHead += 1
        }
        if groups[index].anchorHead == groups[index].anchors.count {
            groups[index].anchors.removeAll()
            groups[index].anchorHead = 0
        }
    }

    /// Removes the groups whose newest event is at or before `horizon` and that wait for no forward window.
    mutating func removeExpired(notAfter horizon: Int64) -> Int {
        var removed = 0
        for index in groups.indices
        where groups[index].alive && groups[index].newest <= horizon && groups[index].pendingAnchors == 0 {
            remove(group: index)
            removed += 1
        }
        return removed
    }
}

/// Reading correlation values.
enum CorrelationValues {
    /// A number as the SQL reference reads one (COR-15): a JSON number, possibly inside a string with
    /// surrounding whitespace; anything else (including `abc`, `0x10`, `+5`, `.5`) is not a number.
    static func number(_ text: String) -> Double? {
        var bytes = Array(text.utf8)
        while let last = bytes.last, last == 0x20 || last == 0x09 || last == 0x0A || last == 0x0D { bytes.removeLast() }
        var start = 0
        while start < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[start]) { start += 1 }
        guard start < bytes.count else { return nil }
        var i = start
        func digits() -> Int {
            let from = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            return i - from
        }
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count else { return nil }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else if digits() == 0 {
            return nil
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { return nil }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return nil }
        }
        guard i == bytes.count else { return nil }
        guard let value = Double(String(decoding: bytes[start..<i], as: UTF8.self)), value.isFinite else { return nil }
        return value
    }

    /// Linear interpolation at position (n − 1)·p/100, as the SQL reference and rsigma compute it (COR-16).
    static func percentile(_ sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let position = Double(sorted.count - 1) * (p / 100)
        let floor = Int(position)
        let fraction = position - Double(floor)
        var result = sorted[floor] * (1 - fraction)
        if floor + 1 < sorted.count { result += sorted[floor + 1] * fraction }
        return result
    }
}
