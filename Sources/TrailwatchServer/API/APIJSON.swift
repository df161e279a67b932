import CloudTrail
import SigmaKit
import TrailwatchKit

/// The JSON documents of the API, rendered with TrailwatchKit's `JSONRecord` (RFC 8259 escaping on bytes).
enum APIJSON {
    static func string(_ value: String?) -> JSONRecord { value.map(JSONRecord.string) ?? .null }
    static func strings(_ values: [String]) -> JSONRecord { .array(values.map(JSONRecord.string)) }

    /// `{"error":{"message":…}}`, as Hummingbird's `HTTPError` writes it.
    static func error(_ message: String) -> JSONRecord {
        .object([("error", .object([("message", .string(message))]))])
    }

    static func summary(_ s: DetectionSummary, catalog: Catalog) -> JSONRecord {
        .object([
            ("id", .string(s.id)),
            ("title", .string(s.title)),
            ("format", .string("sigma")),
            ("level", string(s.level?.rawValue)),
            ("type", .string(s.type)),
            ("status", string(s.status?.rawValue)),
            ("tactics", .array(s.tactics.map { tactic(tactic: $0, catalog: catalog) })),
            ("techniques", .array(s.techniques.map { technique(id: $0, catalog: catalog) })),
            ("dataSources", strings(s.dataSources)),
            ("platforms", strings(s.platforms)),
            ("tags", strings(s.tags)),
            ("author", string(s.author)),
            ("date", string(s.date)),
            ("modified", string(s.modified)),
            ("description", string(s.description)),
            ("url", .string("/detections/" + FormValues.encode(s.id))),
        ])
    }

    static func tactic(tactic: String, catalog: Catalog) -> JSONRecord {
        let known = catalog.tactics[tactic]
        return .object([("shortName", .string(tactic)), ("id", string(known?.id)), ("name", string(known?.name))])
    }

    static func technique(id: String, catalog: Catalog) -> JSONRecord {
        .object([("id", .string(id)), ("name", string(catalog.techniques[id]))])
    }

    static func search(_ result: CatalogSearchResult, catalog: Catalog) -> JSONRecord {
        .object([
            ("total", .int(Int64(result.total))),
            ("page", .int(Int64(result.page))),
            ("pageCount", .int(Int64(result.pageCount))),
            ("pageSize", .int(Int64(result.pageSize))),
            ("sort", .string(result.sort.rawValue)),
            ("items", .array(result.items.map { summary($0, catalog: catalog) })),
            (
                "facets",
                .object(result.facets.map { facet, values in
                    (facet.rawValue, .array(values.map { value in
                        .object([
                            ("value", .string(value.value)), ("label", .string(value.label)),
                            ("count", .int(Int64(value.count))), ("selected", .bool(value.isSelected)),
                        ])
                    }))
                })
            ),
        ])
    }

    static func detail(_ detail: DetectionDetail) -> JSONRecord {
        guard case .object(var members) = summary(detail.summary, catalog: detail.catalog) else { return .null }
        let rule = detail.rule
        members += [
            ("references", strings(rule.metadata.references)),
            ("falsePositives", strings(rule.metadata.falsePositives)),
            ("logsource", .object([
                ("product", string(rule.logsource.product)), ("service", string(rule.logsource.service)),
                ("category", string(rule.logsource.category)),
            ])),
            ("detectionQuery", .string(detail.queryText)),
            ("conditions", strings(rule.conditionTexts)),
            ("filters", .array(detail.filters.map { filter in
                .object([
                    ("id", string(filter.metadata.id)), ("title", .string(filter.metadata.title)),
                    ("condition", .string(filter.conditionText)),
                ])
            })),
            ("fixtures", .array(detail.fixtures.map { item in
                .object([("name", .string(item.name)), ("passed", .bool(item.passed)), ("differences", strings(item.differences))])
            })),
            ("documentation", string(detail.documentationMarkdown)),
            ("sql", detail.sql.map { list in
                .array(list.map { .object([("dialect", .string($0.dialect)), ("sql", string($0.sql)), ("error", string($0.error))]) })
            } ?? .null),
            ("raw", .string(rule.origin.rawText)),
            ("path", .string(rule.origin.path)),
        ]
        return .object(members)
    }

    static func alert(_ a: StoredAlert, includeEvent: Bool) -> JSONRecord {
        var members: [(String, JSONRecord)] = [
            ("id", a.id.map { .int($0) } ?? .null),
            ("status", .string(a.status.rawValue)),
            ("receivedAt", .int(a.receivedAt)),
            ("source", .string(a.source)),
            ("ruleId", .string(a.ruleId)),
            ("title", .string(a.ruleTitle)),
            ("level", .string(a.level)),
            ("effectiveLevel", .string(a.effectiveLevel)),
            ("tags", strings(a.tagList)),
            ("eventTime", .string(a.eventTime)),
            ("eventId", string(a.eventId)),
            ("eventSource", string(a.eventSource)),
            ("eventName", string(a.eventName)),
            ("account", string(a.account)),
            ("region", string(a.region)),
            ("identity", string(a.identity)),
            ("identityType", string(a.identityType)),
            ("sourceIp", string(a.sourceIp)),
            ("userAgent", string(a.userAgent)),
            ("outcome", .string(a.outcome)),
            ("errorCode", string(a.errorCode)),
            ("errorMessage", string(a.errorMessage)),
            ("summary", string(a.summary)),
            ("origin", string(a.origin)),
            // Stored by us as JSON text; re-checked so a damaged row cannot break the document.
            ("enrichment", isJSON(a.enrichment) ? .raw(a.enrichment) : .object([])),
            ("url", .string("/alerts/\(a.id ?? 0)")),
        ]
        if includeEvent {
            members.append(("event", a.event.flatMap { isJSON($0) ? JSONRecord.raw($0) : nil } ?? .null))
        }
        return .object(members)
    }

    static func alerts(_ page: AlertPage) -> JSONRecord {
        .object([
            ("total", .int(Int64(page.total))),
            ("page", .int(Int64(page.page))),
            ("pageCount", .int(Int64(page.pageCount))),
            ("pageSize", .int(Int64(page.pageSize))),
            ("items", .array(page.items.map { alert($0, includeEvent: false) })),
        ])
    }

    static func issue(_ issue: InputIssue) -> JSONRecord {
        .object([
            ("code", .string(issue.code.rawValue)),
            ("message", .string(issue.message)),
            ("line", issue.line.map { .int(Int64($0)) } ?? .null),
            ("byteOffset", issue.byteOffset.map { .int(Int64($0)) } ?? .null),
        ])
    }

    static func isJSON(_ text: String) -> Bool {
        (try? JSONScanner().parse(text) { _ in true }) ?? false
    }
}
