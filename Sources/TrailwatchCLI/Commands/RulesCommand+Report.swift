import SigmaKit

/// Output format of the `rules` commands.
public enum RulesOutputFormat: String, Sendable, CaseIterable {
    case text, json
}

/// What a `rules` command prints and how it exits. The ArgumentParser commands only forward to these
/// functions, so tests call them directly.
public struct RulesReport: Sendable, Equatable {
    /// Text for standard output.
    public var output: String
    /// Text for standard error (problems, when the output is a listing).
    public var errorOutput: String
    /// The process exit code: 0 clean, 1 when a document was rejected (or, with `strict`, warned about).
    public var exitCode: Int32

    /// Creates a report.
    public init(output: String, errorOutput: String = "", exitCode: Int32) {
        self.output = output
        self.errorOutput = errorOutput
        self.exitCode = exitCode
    }

    /// `trailwatch rules lint`: loads the paths, lints what loaded, prints one line per problem
    /// (`path:line:col: error|warning: message [code]`) and a summary.
    public static func lint(
        paths: [String], format: RulesOutputFormat = .text, strict: Bool = false, options: LoaderOptions = .init()
    ) -> RulesReport {
        let collection = RuleLoader(options: options).load(paths: paths)
        return lint(collection, format: format, strict: strict)
    }

    /// Lints an already loaded collection (see `lint(paths:format:strict:options:)`).
    public static func lint(_ collection: RuleCollection, format: RulesOutputFormat, strict: Bool) -> RulesReport {
        var diagnostics = collection.diagnostics
        diagnostics += RuleLinter().lint(collection)
        diagnostics = diagnostics.sorted { a, b in
            switch (a.location, b.location) {
            case (let x?, let y?) where x != y: return x < y
            case (nil, _?): return true
            default: return false
            }
        }
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        let failed = collection.documentsRejected > 0 || errors > 0 || (strict && warnings > 0)
        let code: Int32 = failed ? 1 : 0
        switch format {
        case .text:
            var out = diagnostics.map { "\($0)\n" }.joined()
            out +=
                "\(plural(collection.filesRead, "file")) read: "
                + "\(plural(collection.rules.count, "rule")), \(plural(collection.correlations.count, "correlation")), "
                + "\(plural(collection.filters.count, "filter")) loaded; "
                + "\(plural(collection.documentsRejected, "document")) rejected, "
                + "\(plural(errors, "error")), \(plural(warnings, "warning"))\n"
            return RulesReport(output: out, exitCode: code)
        case .json:
            let json = JSONText()
            json.object {
                json.key("diagnostics")
                json.array(diagnostics) { diagnostic in json.diagnostic(diagnostic) }
                json.key("summary")
                json.object {
                    json.field("files", collection.filesRead)
                    json.field("rules", collection.rules.count)
                    json.field("correlations", collection.correlations.count)
                    json.field("filters", collection.filters.count)
                    json.field("documentsRejected", collection.documentsRejected)
                    json.field("errors", errors)
                    json.field("warnings", warnings)
                }
            }
            return RulesReport(output: json.text + "\n", exitCode: code)
        }
    }

    /// `trailwatch rules list`: one aligned line per loaded document (id, level, status, title, logsource);
    /// load errors go to standard error.
    public static func list(paths: [String], format: RulesOutputFormat = .text, options: LoaderOptions = .init())
        -> RulesReport
    {
        list(RuleLoader(options: options).load(paths: paths), format: format)
    }

    /// Lists an already loaded collection.
    public static func list(_ collection: RuleCollection, format: RulesOutputFormat) -> RulesReport {
        struct Row {
            var kind, id, name, level, status, title, logsource, path: String
            var line: Int
            var source: LogSource?
        }
        var rows: [Row] = []
        for rule in collection.rules {
            rows.append(
                Row(
                    kind: "rule", id: rule.metadata.id ?? "-", name: rule.metadata.name ?? "",
                    level: rule.metadata.level?.rawValue ?? "-", status: rule.metadata.status?.rawValue ?? "-",
                    title: rule.metadata.title, logsource: describe(rule.logsource), path: rule.origin.path,
                    line: rule.origin.location.line, source: rule.logsource))
        }
        for correlation in collection.correlations {
            rows.append(
                Row(
                    kind: "correlation", id: correlation.metadata.id ?? "-", name: correlation.metadata.name ?? "",
                    level: correlation.metadata.level?.rawValue ?? "-",
                    status: correlation.metadata.status?.rawValue ?? "-", title: correlation.metadata.title,
                    logsource: "correlation:\(correlation.type.rawValue)", path: correlation.origin.path,
                    line: correlation.origin.location.line, source: nil))
        }
        for filter in collection.filters {
            rows.append(
                Row(
                    kind: "filter", id: filter.metadata.id ?? "-", name: filter.metadata.name ?? "", level: "-",
                    status: "-", title: filter.metadata.title, logsource: "filter " + describe(filter.logsource),
                    path: filter.origin.path, line: filter.origin.location.line, source: filter.logsource))
        }
        let problems = collection.errors.map { "\($0)\n" }.joined()
        let code: Int32 = collection.documentsRejected > 0 ? 1 : 0
        switch format {
        case .text:
            let idWidth = rows.map(\.id.count).max() ?? 2
            let levelWidth = max(5, rows.map(\.level.count).max() ?? 0)
            let statusWidth = max(6, rows.map(\.status.count).max() ?? 0)
            let titleWidth = min(100, rows.map(\.title.count).max() ?? 0)
            func pad(_ s: String, _ n: Int) -> String {
                s.count >= n ? s : s + String(repeating: " ", count: n - s.count)
            }
            var out = ""
            for row in rows {
                out +=
                    [
                        pad(row.id, idWidth), pad(row.level, levelWidth), pad(row.status, statusWidth),
                        pad(row.title, titleWidth), row.logsource,
                    ].joined(separator: "  ") + "\n"
            }
            return RulesReport(output: out, errorOutput: problems, exitCode: code)
        case .json:
            let json = JSONText()
            json.array(rows) { row in
                json.object {
                    json.field("kind", row.kind)
                    json.field("id", row.id == "-" ? nil : row.id)
                    json.field("name", row.name.isEmpty ? nil : row.name)
                    json.field("level", row.level == "-" ? nil : row.level)
                    json.field("status", row.status == "-" ? nil : row.status)
                    json.field("title", row.title)
                    if let source = row.source {
                        json.key("logsource")
                        json.object {
                            json.field("category", source.category)
                            json.field("product", source.product)
                            json.field("service", source.service)
                        }
                    }
                    json.field("path", row.path)
                    json.field("line", row.line)
                }
            }
            return RulesReport(output: json.text + "\n", errorOutput: problems, exitCode: code)
        }
    }

    static func describe(_ source: LogSource) -> String {
        var parts: [String] = []
        if let product = source.product { parts.append("product=\(product)") }
        if let service = source.service { parts.append("service=\(service)") }
        if let category = source.category { parts.append("category=\(category)") }
        return parts.joined(separator: " ")
    }

    static func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
}

/// A small JSON writer (deterministic key order, no Foundation).
final class JSONText {
    private(set) var text = ""
    init() {}
    private var needsComma = [false]

    private func separator() {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
    }

    func object(_ body: () -> Void) {
        separator()
        text += "{"
        needsComma.append(false)
        body()
        needsComma.removeLast()
        text += "}"
    }

    func array<T>(_ items: [T], _ body: (T) -> Void) {
        separator()
        text += "["
        needsComma.append(false)
        for item in items { body(item) }
        needsComma.removeLast()
        text += "]"
    }

    /// Writes a key; the next value written belongs to it.
    func key(_ name: String) {
        separator()
        text += Self.quote(name) + ":"
        needsComma[needsComma.count - 1] = false
    }

    func field(_ name: String, _ value: String?) {
        separator()
        text += Self.quote(name) + ":" + (value.map(Self.quote) ?? "null")
    }

    func field(_ name: String, _ value: Int) {
        separator()
        text += Self.quote(name) + ":" + String(value)
    }

    func diagnostic(_ d: Diagnostic) {
        object {
            field("path", d.location?.path)
            if let location = d.location {
                field("line", location.line)
                field("column", location.column)
            }
            field("severity", d.severity.rawValue)
            field("code", d.code)
            field("message", d.message)
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
