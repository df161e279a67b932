/// Options of the correlation engine: alerting mode, lateness and memory bounds.
public struct CorrelationOptions: Sendable, Hashable {
    /// When a correlation alerts for a group.
    public enum AlertMode: String, Sendable, Hashable {
        /// D11: one alert when the condition becomes true for a group; that group's window then starts afresh
        /// (every event up to the alert is forgotten for the group). The default.
        case oncePerGroup
        /// One alert per qualifying window (each anchoring event at which the condition holds), nothing reset:
        /// what the pySigma SQLite backend's SQL returns (COR-17). For comparisons with that reference.
        case everyWindow
    }

    /// Alerting mode (D11 by default).
    public var alertMode: AlertMode
    /// D12: how far (in milliseconds of event time) an observation may arrive behind the newest one seen and
    /// still be evaluated in order by the incremental API. Later ones are counted as late and not evaluated.
    public var maxLatenessMillis: Int64
    /// Live groups kept over all correlations. Above it, groups whose windows are over are dropped (exact),
    /// then the least recently active groups are evicted (counted).
    public var maxGroups: Int
    /// Events retained per group and window. Above it the oldest are evicted (counted). Raised automatically
    /// for a count condition that needs more (`gte: 5000` retains at least 5001).
    public var maxEventsPerGroup: Int
    /// Values taken from one multi-valued field (an array) of one event; group-by and value fields fan out
    /// over them (D2), up to `maxRowsPerEvent` combinations.
    public var maxValuesPerField: Int
    /// Combinations of group and value fields kept for one event.
    public var maxRowsPerEvent: Int

    /// The default lateness bound of D12: 15 minutes.
    public static let defaultMaxLatenessMillis: Int64 = 15 * 60 * 1000

    public init(
        alertMode: AlertMode = .oncePerGroup, maxLatenessMillis: Int64 = CorrelationOptions.defaultMaxLatenessMillis,
        maxGroups: Int = 200_000, maxEventsPerGroup: Int = 1_000, maxValuesPerField: Int = 16,
        maxRowsPerEvent: Int = 64
    ) {
        self.alertMode = alertMode
        self.maxLatenessMillis = maxLatenessMillis
        self.maxGroups = maxGroups
        self.maxEventsPerGroup = maxEventsPerGroup
        self.maxValuesPerField = maxValuesPerField
        self.maxRowsPerEvent = maxRowsPerEvent
    }
}

/// An event (or a child correlation's alert) as a correlation remembers it.
public struct CorrelationEventRef: Sendable, Hashable {
    /// The event's identity (the caller's event id, unique per event), or `c:<alert id>` for a chained alert.
    public var id: String
    /// Event time in milliseconds since the Unix epoch.
    public var time: Int64
    /// The caller's handle for the event (e.g. where it keeps the event's details), -1 when none.
    public var payload: Int64
    /// Field values ancestors of a chain read from this event (COR-18 propagation); nil when none are needed.
    var carry: CarriedFields?

    public init(id: String, time: Int64, payload: Int64 = -1) {
        self.id = id
        self.time = time
        self.payload = payload
        self.carry = nil
    }

    public static func == (a: CorrelationEventRef, b: CorrelationEventRef) -> Bool { a.id == b.id && a.time == b.time }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(time)
    }
}

/// Values of the fields a chain's outer correlations read from an inner correlation's events.
struct CarriedFields: Sendable {
    /// Field names (shared by every event of one rule).
    var names: [String]
    /// The values of each field (fanned out, nulls left out).
    var values: [[String]]

    func values(of name: String) -> [String]? {
        guard let index = names.firstIndex(of: name) else { return nil }
        return values[index]
    }
}

/// One (group, value) combination an event contributes to a correlation.
struct CorrelationRow: Sendable, Hashable {
    /// The group values, folded (case-insensitive, COR-10) and joined: the group's identity.
    var key: String
    /// The group values as written in the event, joined with U+001F.
    var display: String
    /// The value field's value (joined with U+001F for a field list), nil when the event has none.
    var value: String?
}

/// What an inner correlation's alert carries into its parent (COR-18).
final class ChainedEvidence: Sendable {
    /// The base events of the inner alert.
    let events: [CorrelationEventRef]
    /// The inner alert's id and those of the alerts it chained.
    let alerts: [String]

    init(events: [CorrelationEventRef], alerts: [String]) {
        self.events = events
        self.alerts = alerts
    }
}

/// One event's contribution to one correlation, extracted while the event was borrowed: small and owned,
/// so that workers can collect them and the engine can sort them by time.
public struct CorrelationObservation: Sendable {
    /// Index of the correlation in ``CorrelationPlan/nodes``.
    public var node: Int32
    /// Which of the correlation's `rules` the event matched; -1 for a context event (every event is one
    /// for a temporal condition with a purely negative clause such as `not ok`).
    public var slot: Int32
    /// The event.
    public var event: CorrelationEventRef
    /// The first (usually only) row, kept inline so that a one-row observation allocates no array.
    var firstRow: CorrelationRow
    var moreRows: [CorrelationRow]
    var chained: ChainedEvidence?

    /// `rows` must not be empty.
    init(node: Int32, slot: Int32, event: CorrelationEventRef, rows: [CorrelationRow], chained: ChainedEvidence?) {
        self.node = node
        self.slot = slot
        self.event = event
        self.firstRow = rows.first ?? CorrelationRow(key: "", display: "", value: nil)
        self.moreRows = rows.count > 1 ? Array(rows.dropFirst()) : []
        self.chained = chained
    }

    /// An observation with a single row (no array allocated).
    init(node: Int32, slot: Int32, event: CorrelationEventRef, row: CorrelationRow) {
        self.node = node
        self.slot = slot
        self.event = event
        self.firstRow = row
        self.moreRows = []
        self.chained = nil
    }

    var rowCount: Int { 1 + moreRows.count }
    func row(_ index: Int) -> CorrelationRow { index == 0 ? firstRow : moreRows[index - 1] }

    /// Event time in milliseconds.
    public var time: Int64 { event.time }

    /// Order used by the engine: time, then event id, then correlation and slot. Independent of the order in
    /// which files and records were read.
    public static func precedes(_ a: CorrelationObservation, _ b: CorrelationObservation) -> Bool {
        if a.event.time != b.event.time { return a.event.time < b.event.time }
        if a.event.id != b.event.id { return a.event.id < b.event.id }
        if a.node != b.node { return a.node < b.node }
        return a.slot < b.slot
    }
}

/// A correlation that became true for a group: the engine's output.
public struct CorrelationFiring: Sendable {
    /// Index of the correlation in ``CorrelationPlan/nodes``.
    public var node: Int
    /// Deterministic id of this alert (`<correlation id or name or title>#<n>`).
    public var alertID: String
    /// The group-by fields and the group's values as written in the anchoring event (empty without group-by).
    public var group: [(field: String, value: String)]
    /// Start of the window, in milliseconds: the anchor minus the timespan (COR-09), or the anchor itself for a
    /// forward window (a temporal condition with `not`).
    public var windowStart: Int64
    /// End of the window: the time of the event that completed the condition.
    public var windowEnd: Int64
    /// The measured value: the count, distinct values, sum, average or percentile, or distinct rules.
    public var metric: Double
    /// The base events that contributed, by time then id (inner correlations' events for a chain).
    public var events: [CorrelationEventRef]
    /// Ids of the inner correlations' alerts this alert chained (COR-18).
    public var childAlerts: [String]
    /// Whether this correlation reports its alerts (false when a `generate: false` correlation chains it).
    public var producesAlert: Bool
}

/// Counters of the engine, for the scan report.
public struct CorrelationStatistics: Sendable, Hashable {
    /// Observations evaluated.
    public var observations = 0
    /// Observations that arrived more than the lateness bound behind the newest and were not evaluated.
    public var lateObservations = 0
    /// Live groups evicted to stay under ``CorrelationOptions/maxGroups`` (their events were forgotten).
    public var groupsEvicted = 0
    /// Events evicted from a group to stay under ``CorrelationOptions/maxEventsPerGroup``.
    public var eventsEvicted = 0
    /// Groups dropped because their window was over (exact, not a loss).
    public var groupsExpired = 0
    /// Most live groups at any time.
    public var peakGroups = 0
    /// Forward windows (temporal `not` clauses) still open when the input ended, never evaluated.
    public var incompleteWindows = 0
    /// Alerts produced (including those of correlations that do not report their own).
    public var firings = 0

    public init() {}
}
