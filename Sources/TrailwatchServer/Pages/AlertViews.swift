import CloudTrail
import Foundation
import SigmaKit
import TrailwatchKit

/// The alert list's filters as URL parameters: `rule`, `level` (repeatable), `identity`, `account`, `from`,
/// `to` (a date or an RFC 3339 instant), `status` (repeatable), `page`, `per`.
struct AlertParameters {
    var query: AlertQuery
    /// The form's values as typed, to show them back.
    var form: FormValues
    /// A problem with a value (a time that does not parse); the filter is then left out.
    var error: String?

    init(_ form: FormValues) {
        var query = AlertQuery()
        var problems: [String] = []
        query.ruleID = form["rule"]
        query.levels = Set(form.all("level").compactMap(Level.init(rawValue:)))
        query.identity = form["identity"].map { String($0.prefix(300)) }
        query.account = form["account"].map { String($0.prefix(100)) }
        if let from = form["from"] {
            query.from = InputOptions.parseTimeBound(from, isUpperBound: false)
            if query.from == nil { problems.append("From '\(from)' is not a date (YYYY-MM-DD) or an RFC 3339 instant.") }
        }
        if let to = form["to"] {
            query.to = InputOptions.parseTimeBound(to, isUpperBound: true)
            if query.to == nil { problems.append("To '\(to)' is not a date (YYYY-MM-DD) or an RFC 3339 instant.") }
        }
        query.statuses = Set(form.all("status").compactMap(AlertStatus.init(rawValue:)))
        query.page = form["page"].flatMap { Int($0) }.map { max(1, $0) } ?? 1
        query.pageSize = form["per"].flatMap { Int($0) }.map { min(max(1, $0), AlertQuery.maxPageSize) } ?? 50
        self.query = query
        self.error = problems.isEmpty ? nil : problems.joined(separator: " ")
        // Keep only the parameters this page knows, in a canonical order.
        var canonical = FormValues()
        for key in ["rule", "level", "identity", "account", "from", "to", "status", "page", "per"] {
            for value in form.all(key) { canonical.append(key, String(value.prefix(300))) }
        }
        self.form = canonical
    }

    /// `/alerts?…` with `change` applied to the parameters.
    func href(_ change: (inout FormValues) -> Void = { _ in }) -> String {
        var copy = form
        change(&copy)
        let encoded = copy.encoded
        return encoded.isEmpty ? "/alerts" : "/alerts?" + encoded
    }
}

extension FormValues {
    /// Removes every value of `key`.
    mutating func remove(_ key: String) {
        self = FormValues(pairs.filter { $0.key != key })
    }

    /// Replaces every value of `key` by `value` (none when nil).
    mutating func set(_ key: String, _ value: String?) {
        remove(key)
        if let value { append(key, value) }
    }
}

struct AlertsView {
    struct Tab {
        var label: String
        var count: String
        var href: String
        var current: Bool
    }
    struct Row {
        var alertID: Int64
        var href: String
        var time: String
        var level: String
        var levelClass: String
        var levelTitle: String
        var raised: Bool
        var ruleTitle: String
        var eventName: String
        var summaryText: String?
        var identityText: String
        var identityFull: String
        var accountText: String
        var regionText: String
        var statusValue: String
    }

    var chrome: Chrome
    var statusTabs: [Tab]
    var statusHidden: [String]
    var ruleOptions: [Option]
    var levelOptions: [Option]
    var identity: String
    var account: String
    var from: String
    var to: String
    var formError: String?
    var totalText: String
    var hasFilters: Bool
    var isEmpty: Bool
    var emptyText: String
    var rows: [Row]
    var pager: Pager

    init(
        parameters: AlertParameters, page: AlertPage, ruleCounts: [(ruleID: String, title: String, count: Int)],
        statusCounts: [AlertStatus: Int], footer: String
    ) {
        chrome = Chrome(title: "Alerts", isAlerts: true, footer: footer)
        let form = parameters.form
        let selectedStatuses = Set(form.all("status"))
        let total = statusCounts.values.reduce(0, +)
        statusTabs = [Tab(label: "All", count: Format.count(total), href: parameters.href { $0.remove("status"); $0.remove("page") },
                          current: selectedStatuses.isEmpty)]
            + AlertStatus.allCases.map { status in
                Tab(
                    label: status.rawValue.prefix(1).uppercased() + status.rawValue.dropFirst(),
                    count: Format.count(statusCounts[status] ?? 0),
                    href: parameters.href { $0.set("status", status.rawValue); $0.remove("page") },
                    current: selectedStatuses == [status.rawValue])
            }
        statusHidden = form.all("status")
        let rule = form["rule"]
        var options = ruleCounts.map { Option(value: $0.ruleID, label: "\($0.title) (\($0.count))", selected: $0.ruleID == rule) }
        if let rule, !options.contains(where: \.selected) {
            options.append(Option(value: rule, label: rule, selected: true))
        }
        ruleOptions = options
        let levels = Set(form.all("level"))
        levelOptions = Level.allCases.reversed().map { Option(value: $0.rawValue, label: $0.rawValue, selected: levels.contains($0.rawValue)) }
        identity = form["identity"] ?? ""
        account = form["account"] ?? ""
        from = form["from"] ?? ""
        to = form["to"] ?? ""
        formError = parameters.error
        totalText = Format.plural(page.total, "alert")
        hasFilters = !form.pairs.filter { $0.key != "page" && $0.key != "per" }.isEmpty
        isEmpty = page.items.isEmpty
        emptyText = total == 0 ? "No alerts stored yet." : "No alert matches these filters."
        let back = parameters.form.encoded
        rows = page.items.map { alert in
            let id = alert.id ?? 0
            return Row(
                alertID: id, href: "/alerts/\(id)" + (back.isEmpty ? "" : "?" + back),
                time: Format.eventTime(alert.eventTime), level: alert.effectiveLevel, levelClass: alert.effectiveLevel,
                levelTitle: alert.isRaised ? "raised from \(alert.level) by enrichment" : "level",
                raised: alert.isRaised, ruleTitle: alert.ruleTitle,
                eventName: [alert.eventSource?.replacingOccurrences(of: ".amazonaws.com", with: ""), alert.eventName]
                    .compactMap { $0 }.joined(separator: ":"),
                summaryText: alert.summary, identityText: Format.shortIdentity(alert.identity, type: alert.identityType),
                identityFull: alert.identity ?? alert.identityType ?? "", accountText: alert.account ?? "-",
                regionText: alert.region ?? "",
                statusValue: alert.status.rawValue)
        }
        pager = Pager(page: page.page, pageCount: page.pageCount) { number in
            parameters.href { $0.set("page", String(number)) }
        }
    }
}

struct AlertView {
    struct Fact {
        var key: String
        var value: String
    }
    struct RuleInfo {
        var ruleHref: String
        var ruleName: String
        var ruleLevel: String
        var ruleLevelClass: String
        var ruleType: String
        var ruleTypeClass: String
        var ruleDescription: String?
        var hasRuleAttack: Bool
        var ruleAttack: [String]
    }

    var chrome: Chrome
    var backHref: String
    var backState: String
    var alertID: Int64
    var ruleTitle: String
    var ruleID: String
    var effectiveLevel: String
    var levelClass: String
    var levelTitle: String
    var isRaised: Bool
    var statusValue: String
    var message: String?
    var summaryText: String?
    var isAlarming: Bool
    var isRaisedNote: String?
    var facts: [Fact]
    var enrichmentHTML: String?
    var rule: RuleInfo?
    var eventJSON: String?
    var formAction: String
    var statusOptions: [Option]
    var jsonHref: String

    init(alert: StoredAlert, back: FormValues, message: String?, catalog: DetectionCatalog, footer: String) {
        let id = alert.id ?? 0
        chrome = Chrome(title: "Alert #\(id): \(alert.ruleTitle)", isAlerts: true, footer: footer)
        backState = back.encoded
        backHref = backState.isEmpty ? "/alerts" : "/alerts?" + backState
        alertID = id
        ruleTitle = alert.ruleTitle
        ruleID = alert.ruleId
        effectiveLevel = alert.effectiveLevel
        levelClass = alert.effectiveLevel
        isRaised = alert.isRaised
        levelTitle = alert.isRaised ? "raised from \(alert.level) by enrichment" : "level"
        statusValue = alert.status.rawValue
        self.message = message
        summaryText = alert.summary
        isAlarming = alert.isRaised || (alert.summary?.contains("OPEN TO THE INTERNET") ?? false)
        isRaisedNote = alert.isRaised
            ? "Level raised from \(alert.level) (the rule's own) to \(alert.effectiveLevel) by enrichment." : nil
        var facts: [Fact] = [
            Fact(key: "Event time", value: alert.eventTime),
            Fact(key: "Event", value: [alert.eventSource, alert.eventName].compactMap { $0 }.joined(separator: " · ")),
            Fact(key: "Outcome", value: alert.outcome),
        ]
        func add(_ key: String, _ value: String?) {
            if let value, !value.isEmpty { facts.append(Fact(key: key, value: value)) }
        }
        add("Error message", alert.errorMessage)
        add("Identity", alert.identity)
        add("Identity type", alert.identityType)
        add("Account", alert.account)
        add("Region", alert.region)
        add("Source IP", alert.sourceIp)
        add("User agent", alert.userAgent)
        add("Event ID", alert.eventId)
        add("Read from", alert.origin)
        add("Stored", Self.timestamp(alert.receivedAt) + " by " + alert.source)
        self.facts = facts
        enrichmentHTML = JSONRendering.enrichmentHTML(alert.enrichment)
        if let summary = catalog.summary(id: alert.ruleId) {
            let attack = summary.tactics.map(catalog.catalog.tacticLabel) + summary.techniques.map(catalog.catalog.techniqueLabel)
            rule = RuleInfo(
                ruleHref: "/detections/" + FormValues.encode(summary.id), ruleName: summary.title,
                ruleLevel: summary.level?.rawValue ?? "unset", ruleLevelClass: summary.level?.rawValue ?? "unset",
                ruleType: summary.type, ruleTypeClass: summary.type.lowercased(),
                ruleDescription: summary.description?.trimmingCharacters(in: .whitespacesAndNewlines),
                hasRuleAttack: !attack.isEmpty, ruleAttack: attack)
        }
        eventJSON = alert.event.flatMap(JSONRendering.pretty)
        formAction = "/alerts/\(id)/status"
        statusOptions = AlertStatus.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == alert.status) }
        jsonHref = "/api/alerts/\(id)"
    }

    /// `2024-05-15 02:15:31Z` from milliseconds since the epoch.
    static func timestamp(_ millis: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return Format.eventTime(formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000)))
    }
}
