import Foundation
import Testing

@testable import SigmaKit

/// Helpers shared by the loader and lint tests.
enum LoaderFixture {
    /// A valid rule; `extra` lines are appended at the top level, `detection` replaces the selection.
    static func rule(
        title: String = "Test rule", extra: String = "",
        detection: String = "    sel:\n        eventName: CreateUser\n    condition: sel"
    ) -> String {
        """
        title: \(title)
        logsource:
            product: aws
            service: cloudtrail
        detection:
        \(detection)
        \(extra)
        """
    }

    static func load(_ yaml: String, path: String = "<memory>") -> RuleCollection {
        RuleLoader().load(yaml: yaml, path: path)
    }

    /// The error codes of a load.
    static func errorCodes(_ yaml: String) -> [String] {
        load(yaml).errors.map(\.code)
    }

    /// The package root's sibling `shared` folder, when present.
    static var sharedFolder: URL? {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// This test target's fixture folder.
    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    /// A custom attribute's value, for checking YAML typing through the public API.
    static func customValue(_ yamlValue: String) -> YAMLValue? {
        let c = load(rule(extra: "probe: \(yamlValue)"))
        return c.rules.first?.metadata.customAttributes.first { $0.key == "probe" }?.value
    }
}
