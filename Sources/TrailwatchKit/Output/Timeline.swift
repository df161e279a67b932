import SigmaKit

/// The human timeline of `trailwatch scan`: one line per alert (time, level, title, who, what, where, outcome),
/// an optional enrichment line under it, then summaries per rule, level and identity.
public struct TimelineRenderer: Sendable {
    public var useColor: Bool
    /// Maximum characters for the title and identity columns (longer values end in `…`).
    public var titleWidth = 44
    public var identityWidth = 30

    public init(useColor: Bool) { self.useColor = useColor }

    public func line(for alert: Alert) -> String {
        let time = TimelineRenderer.displayTime(alert.eventTime)
        let levelText = alert.effectiveLevel == alert.level
            ? alert.level.rawValue : "\(alert.effectiveLevel.rawValue)↑"
        let level = colored(TimelineRenderer.pad(levelText, 9), alert.effectiveLevel)
        let title = TimelineRenderer.pad(TimelineRenderer.truncate(alert.ruleTitle, titleWidth), titleWidth)
        let who = TimelineRenderer.pad(
            TimelineRenderer.truncate(TimelineRenderer.shortIdentity(alert), identityWidth), identityWidth)
        let service = alert.eventSource.map { $0.replacingSuffix(".amazonaws.com", with: "") } ?? "-"
        let what = alert.correlation.map { "correlation/\($0.type.rawValue)" } ?? "\(service):\(alert.eventName ?? "-")"
        var whereText = alert.region ?? "-"
        if let ip = alert.sourceIP { whereText += " " + ip }
        let outcome = alert.errorCode.map { useColor ? "\u{1B}[31mfailed: \($0)\u{1B}[0m" : "failed: \($0)" }
            ?? "succeeded"
        let whatColumn = TimelineRenderer.pad(what, 40)
        let whereColumn = TimelineRenderer.pad(whereText, 26)
        var text = "\(time)  \(level)  \(title)  \(who)  \(whatColumn)  \(whereColumn)  \(outcome)"
        if let summary = alert.summary { text += "\n    ↳ " + summary }
        return text
    }

    /// The principal without the ARN's fixed prefix: `user/alice`, `assumed-role/deploy/ci`, `root`; the
    /// identity type when there is no ARN.
    static func shortIdentity(_ alert: Alert) -> String {
        guard let arn = alert.identity else { return alert.identityType ?? "-" }
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn" else { return arn }
        return String(parts[5])
    }

    /// `2018-03-05T14:22:01Z` shown as `2018-03-05 14:22:01Z`.
    static func displayTime(_ time: String) -> String {
        var text = time
        if text.count >= 20, let t = text.firstIndex(of: "T") { text.replaceSubrange(t...t, with: " ") }
        return pad(text, 20)
    }

    static func truncate(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    func colored(_ text: String, _ level: Level) -> String {
        guard useColor else { return text }
        let code: String
        switch level {
        case .critical: code = "1;35"
        case .high: code = "1;31"
        case .medium: code = "33"
        case .low: code = "36"
        case .informational: code = "2"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    /// The summary block: counts per rule, per level and per identity (top 10).
    public func summary(for alerts: [Alert]) -> String {
        var out = ""
        if alerts.isEmpty { return "No detections.\n" }
        var perRule: [String: (title: String, level: Level, count: Int)] = [:]
        var perLevel: [Level: Int] = [:]
        var perIdentity: [String: Int] = [:]
        for alert in alerts {
            perRule[alert.ruleID, default: (alert.ruleTitle, alert.level, 0)].count += 1
            perLevel[alert.effectiveLevel, default: 0] += 1
            perIdentity[alert.identity ?? alert.identityType ?? "-", default: 0] += 1
        }
        out += "Detections by rule:\n"
        for (_, entry) in perRule.sorted(by: { ($0.value.count, $1.value.title) > ($1.value.count, $0.value.title) }) {
            out += "  \(TimelineRenderer.padLeft(String(entry.count), 7))  "
                + "\(colored(TimelineRenderer.pad(entry.level.rawValue, 13), entry.level))  \(entry.title)\n"
        }
        out += "Detections by level:\n"
        for level in Level.allCases.reversed() {
            guard let count = perLevel[level] else { continue }
            out += "  \(TimelineRenderer.padLeft(String(count), 7))  \(colored(level.rawValue, level))\n"
        }
        out += "Detections by identity (top 10):\n"
        for (identity, count) in perIdentity.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }).prefix(10) {
            out += "  \(TimelineRenderer.padLeft(String(count), 7))  \(identity)\n"
        }
        return out
    }

    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}

extension String {
    func replacingSuffix(_ suffix: String, with replacement: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) + replacement : self
    }
}
