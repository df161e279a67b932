import CloudTrail
import SigmaKit

/// What a correlation alert carries besides the usual alert fields: the group, the window, the measured value
/// and the contributing events.
public struct CorrelationDetails: Sendable, Hashable {
    /// One group-by field and its value (as written in the latest event of the group).
    public struct GroupValue: Sendable, Hashable {
        public var field: String
        public var value: String

        public init(field: String, value: String) {
            self.field = field
            self.value = value
        }
    }

    /// Deterministic id of the alert (`<correlation id>#<n>`); a chained alert lists its inner alerts' ids.
    public var alertID: String
    public var type: CorrelationType
    public var group: [GroupValue]
    /// Window bounds (RFC 3339): the end is the time of the event that completed the condition, the start is
    /// the end minus the timespan (or, for a `not` clause, the anchor, with the end one timespan later).
    public var windowStart: String
    public var windowEnd: String
    public var timespanSeconds: Int
    /// The count, number of distinct values, sum, average, percentile or number of distinct rules.
    public var metric: Double
    /// Ids of the contributing events, oldest first (all of them; the count is `eventIDs.count`).
    public var eventIDs: [String]
    /// Ids of the inner correlation alerts this alert chained.
    public var childAlertIDs: [String]
    /// The contributing events' JSON, only with `--include-event`.
    public var events: [String]?

    /// The `correlation` member of an alert's JSON record.
    public var jsonRecord: JSONRecord {
        var members: [(String, JSONRecord)] = [
            ("alertId", .string(alertID)),
            ("type", .string(type.rawValue)),
            ("group", .object(group.map { ($0.field, JSONRecord.string($0.value)) })),
            ("windowStart", .string(windowStart)),
            ("windowEnd", .string(windowEnd)),
            ("timespanSeconds", .int(Int64(timespanSeconds))),
            ("metric", metric.rounded() == metric && abs(metric) < 1e15 ? .int(Int64(metric)) : .double(metric)),
            ("eventCount", .int(Int64(eventIDs.count))),
            ("eventIds", .array(eventIDs.map(JSONRecord.string))),
        ]
        if !childAlertIDs.isEmpty { members.append(("childAlertIds", .array(childAlertIDs.map(JSONRecord.string)))) }
        return .object(members)
    }

    /// The one-line summary shown under the alert: the measured value, the window and the group.
    public var summary: String {
        let value = metric.rounded() == metric && abs(metric) < 1e15 ? String(Int64(metric)) : String(metric)
        let measured: String
        switch type {
        case .eventCount: measured = "\(value) events"
        case .valueCount: measured = "\(value) distinct values"
        case .temporal, .temporalOrdered:
            measured = "\(value) rules matched" + (type == .temporalOrdered ? " in order" : "")
        case .valueSum: measured = "sum \(value)"
        case .valueAvg: measured = "average \(value)"
        case .valuePercentile, .valueMedian: measured = "\(type == .valueMedian ? "median" : "percentile") \(value)"
        }
        var text =
            "\(measured) within \(Self.duration(timespanSeconds)) (\(eventIDs.count) events, "
            + "\(Self.clock(windowStart))–\(Self.clock(windowEnd)))"
        if !group.isEmpty { text += " for " + group.map { "\($0.field)=\($0.value)" }.joined(separator: ", ") }
        return text
    }

    static func duration(_ seconds: Int) -> String {
        if seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
        if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }

    /// `2024-05-15T02:15:31Z` → `02:15:31`.
    static func clock(_ time: String) -> String {
        guard let t = time.firstIndex(of: "T") else { return time }
        return String(time[time.index(after: t)...].prefix(8))
    }

    /// Milliseconds as RFC 3339, without fractional seconds when they are zero (as CloudTrail writes times).
    static func timeText(_ milliseconds: Int64) -> String {
        let text = Timestamp.format(milliseconds)
        return text.hasSuffix(".000Z") ? String(text.dropLast(5)) + "Z" : text
    }
}
