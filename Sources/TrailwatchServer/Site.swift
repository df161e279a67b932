import CloudTrail
import Foundation
import Mustache
import SigmaKit
import TrailwatchKit

/// One convert dialect's SQL for a detection, as the detection page shows it.
public struct DetectionSQL: Sendable, Hashable {
    /// `Trino`, `Spark SQL`, `DuckDB`…
    public var dialect: String
    /// The query, nil when the rule cannot be converted for this dialect.
    public var sql: String?
    /// Why it cannot, when `sql` is nil.
    public var error: String?

    public init(dialect: String, sql: String?, error: String? = nil) {
        self.dialect = dialect
        self.sql = sql
        self.error = error
    }
}

/// Converts a rule to SQL for every dialect (plugged in by the command when a converter is available; the
/// detection page's SQL section says so when none is).
public typealias DetectionSQLProvider = @Sendable (SigmaRule) -> [DetectionSQL]

/// Everything the server serves, built once at start: the catalog, the compiled rules, the alert store, the
/// fixture results, the rendered documentation and the templates. Immutable and shared by every request.
public struct Site: Sendable {
    public let catalog: DetectionCatalog
    /// The catalog's rules compiled for CloudTrail, for ingestion.
    public let ruleSet: RuleSet
    public let evaluator: EventEvaluator
    public let store: AlertStore
    public let fixtures: FixtureResults
    /// Largest request body accepted, in bytes.
    public let maxBodyBytes: Int
    /// Load problems (rejected documents are errors).
    public let diagnostics: [Diagnostic]
    let token: BearerToken
    let templates: MustacheLibrary
    let sqlProvider: DetectionSQLProvider?
    /// Rule id → the documentation page rendered to HTML.
    let documentation: [String: String]
    /// Rule id → the first words of its description, for Explore's rows.
    let snippets: [String: String]
    let stylesheet: [UInt8]
    let footer: String

    /// Loads rules, runs fixtures, renders documentation, opens the store and reads the templates.
    public init(configuration: ServerConfiguration, store: AlertStore) async throws {
        var collection = RuleCollection()
        let options = LoaderOptions(placeholders: configuration.placeholders)
        var fixtureRoots: [String] = []
        if configuration.useBuiltinPack {
            collection.merge(BuiltinPack.load(options: options))
            if let directory = BuiltinPack.rulesDirectory?.path { fixtureRoots.append(directory) }
        }
        for tree in configuration.ruleTrees {
            guard FileManager.default.fileExists(atPath: tree) else {
                throw ServerSetupError("rule path '\(tree)' does not exist")
            }
            collection.merge(RuleLoader(options: options).load(paths: [tree]))
            fixtureRoots.append(tree)
        }
        catalog = DetectionCatalog(collection: collection)
        ruleSet = Scanner.compile(catalog.collection, includeFailed: configuration.includeFailed)
        evaluator = EventEvaluator(ruleSet: ruleSet)
        diagnostics = catalog.collection.diagnostics
        fixtures = FixtureResults.run(collection: catalog.collection, roots: fixtureRoots)
        var documentation: [String: String] = [:]
        for (rule, summary) in zip(catalog.collection.rules, catalog.summaries) {
            if let markdown = BuiltinPack.documentation(for: rule) {
                documentation[summary.id] = MarkdownRenderer.render(markdown)
            }
        }
        self.documentation = documentation
        var snippets: [String: String] = [:]
        for summary in catalog.summaries {
            if let snippet = Format.snippet(summary.description) { snippets[summary.id] = snippet }
        }
        self.snippets = snippets
        self.store = store
        self.maxBodyBytes = configuration.maxBodyBytes
        self.token = BearerToken(configuration.token ?? "")
        self.sqlProvider = configuration.sqlProvider
        guard let resources = Bundle.module.resourceURL else {
            throw ServerSetupError("the server's templates are missing from the installation")
        }
        templates = try await MustacheLibrary(
            directory: resources.appendingPathComponent("templates").path, withExtension: "mustache")
        guard let css = try? Data(contentsOf: resources.appendingPathComponent("static/style.css")) else {
            throw ServerSetupError("the server's stylesheet is missing from the installation")
        }
        stylesheet = Array(css)
        let builtin = configuration.useBuiltinPack ? " (built-in pack included)" : ""
        footer = "Trailwatch · \(Format.count(catalog.summaries.count)) detections loaded\(builtin)"
            + (catalog.catalog.attackVersion.map { " · MITRE ATT&CK v\($0)" } ?? "")
    }

    /// Renders a page template; a missing template is a server bug, reported as such.
    func render(_ template: String, _ view: Any) throws -> String {
        guard let html = templates.render(view, withTemplate: template) else {
            throw ServerSetupError("template '\(template)' is missing")
        }
        return html
    }
}

/// A problem that stops the server from starting (bad rule path, missing resources).
public struct ServerSetupError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Small text formatting shared by the pages.
enum Format {
    /// `3,142`.
    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// `1 detection`, `3,142 detections`.
    static func plural(_ n: Int, _ word: String) -> String {
        "\(count(n)) \(word)\(n == 1 ? "" : "s")"
    }

    /// The first sentence-ish part of a text, at most `limit` characters, on one line.
    static func snippet(_ text: String?, limit: Int = 180) -> String? {
        guard let text else { return nil }
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        guard !line.isEmpty else { return nil }
        if line.count <= limit { return line }
        let cut = line.prefix(limit)
        let end = cut.lastIndex(of: " ") ?? cut.endIndex
        return String(cut[..<end]) + "…"
    }

    /// Paragraphs of a rule text: lines wrapped by the YAML author are joined; blank lines separate.
    static func paragraphs(_ text: String?) -> [String] {
        guard let text else { return [] }
        return text.components(separatedBy: "\n\n").map { block in
            block.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .joined(separator: " ")
        }.filter { !$0.isEmpty }
    }

    /// The principal without the ARN's fixed prefix (`user/alice`, `assumed-role/deploy/ci`, `root`), as the
    /// timeline shows it; the identity as given when it is not an ARN.
    static func shortIdentity(_ identity: String?, type: String?) -> String {
        guard let identity else { return type ?? "-" }
        let parts = identity.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn" else { return identity }
        return String(parts[5])
    }

    /// `2024-05-15 02:15:31Z` from `2024-05-15T02:15:31Z`.
    static func eventTime(_ text: String) -> String {
        text.replacingOccurrences(of: "T", with: " ")
    }
}
