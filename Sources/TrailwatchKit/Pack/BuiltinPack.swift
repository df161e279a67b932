import Foundation
import SigmaKit

/// The detections shipped with Trailwatch, as resource files: `rules/<platform>/<service>/<name>.yml` with the
/// rule's documentation (`<name>.md`) and fixtures next to it, and pack filters (such as the seed's
/// "successful calls only") in the same tree.
public enum BuiltinPack {
    /// The directory holding the pack's rule tree inside the installed resources.
    public static var rulesDirectory: URL? {
        Bundle.module.resourceURL?.appendingPathComponent("rules", isDirectory: true)
    }

    /// Loads the whole pack (rules, filters, correlations).
    public static func load(options: LoaderOptions = .init()) -> RuleCollection {
        guard let directory = rulesDirectory else {
            var empty = RuleCollection()
            empty.diagnostics.append(
                Diagnostic(
                    severity: .error, code: "unreadable", message: "the built-in rule pack is missing from the installation",
                    location: nil))
            return empty
        }
        return RuleLoader(options: options).load(paths: [directory.path])
    }

    /// The documentation page written for a pack rule (`<rule file minus .yml>.md`), if any.
    public static func documentation(for rule: SigmaRule) -> String? {
        let path = rule.origin.path
        guard path.hasSuffix(".yml") || path.hasSuffix(".yaml") else { return nil }
        let base = path.hasSuffix(".yml") ? String(path.dropLast(4)) : String(path.dropLast(5))
        return try? String(contentsOfFile: base + ".md", encoding: .utf8)
    }

    /// Id of the pack filter that keeps only successful calls for the seed rule (the seed's query excludes
    /// events that carry an `errorCode`). `--include-failed` disables it.
    public static let successfulCallsFilterID = "0f5a3c1e-7d2b-4e8a-9c4f-2b6d8e1a5c70"
}
