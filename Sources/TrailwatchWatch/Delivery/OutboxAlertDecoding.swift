import CloudTrail
import Foundation
import SigmaKit
import TrailwatchKit

extension OutboxRow {
    /// The alert back from its JSON line, for sinks that need its fields (the alert store, the timeline): every
    /// field of the line; correlation details stay in the line (their summary is kept).
    public var alert: Alert? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any],
            let ruleID = object["ruleId"] as? String, let title = object["title"] as? String,
            let level = (object["level"] as? String).flatMap(Level.init(rawValue:))
        else { return nil }
        func text(_ key: String) -> String? { object[key] as? String }
        let eventTime = text("eventTime") ?? ""
        var alert = Alert(
            ruleID: ruleID, ruleTitle: title, level: level, status: text("status").flatMap(Status.init(rawValue:)),
            tags: object["tags"] as? [String] ?? [], eventTime: eventTime,
            eventTimeMillis: Timestamp.milliseconds(eventTime))
        alert.effectiveLevel = text("effectiveLevel").flatMap(Level.init(rawValue:)) ?? level
        alert.eventID = text("eventId")
        alert.eventSource = text("eventSource")
        alert.eventName = text("eventName")
        alert.account = text("account")
        alert.region = text("region")
        alert.identity = text("identity")
        alert.identityType = text("identityType")
        alert.sourceIP = text("sourceIp")
        alert.userAgent = text("userAgent")
        alert.errorCode = text("errorCode")
        alert.errorMessage = text("errorMessage")
        alert.summary = text("summary")
        alert.origin = text("origin")
        if let enrichment = object["enrichment"] as? [String: Any] {
            alert.enrichment = enrichment.keys.sorted().map { ($0, Self.record(enrichment[$0] as Any)) }
        }
        if let event = object["event"],
            let data = try? JSONSerialization.data(withJSONObject: event, options: [.withoutEscapingSlashes])
        {
            alert.rawEvent = String(decoding: data, as: UTF8.self)
        }
        return alert
    }

    /// A Foundation JSON value as a ``JSONRecord``.
    static func record(_ value: Any) -> JSONRecord {
        switch value {
        case let text as String: return .string(text)
        case let flag as Bool where type(of: value) == Bool.self || "\(type(of: value))".contains("Bool"):
            return .bool(flag)
        case let number as NSNumber:
            let double = number.doubleValue
            return double == double.rounded() && abs(double) < 1e15 ? .int(number.int64Value) : .double(double)
        case let array as [Any]: return .array(array.map(record))
        case let object as [String: Any]: return .object(object.keys.sorted().map { ($0, record(object[$0] as Any)) })
        default: return .null
        }
    }
}
