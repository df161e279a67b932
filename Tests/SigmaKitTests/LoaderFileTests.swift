import Foundation
import Testing

@testable import SigmaKit

/// Loading files and directory trees, and the collection API.
struct LoaderFileTests {
    static var tree: String { LoaderFixture.fixtures.appendingPathComponent("loader/tree").path }

    @Test func treeIsWalkedRecursivelyInSortedOrderKeepingGoodDocuments() throws {
        let c = RuleLoader().load(paths: [Self.tree])
        #expect(c.filesRead == 4)  // .hidden skipped, notes.txt not a rule extension
        #expect(c.rules.map(\.title) == ["Console login", "Root usage"])
        #expect(c.correlations.map(\.metadata.title) == ["Many console logins"])
        #expect(c.filters.map(\.metadata.title) == ["Not root filter"])
        #expect(c.documentsRejected == 1)
        let error = try #require(c.errors.first)
        #expect(error.location?.path.hasSuffix("zz_broken_rule.yml") == true)
        #expect(error.location?.line == 7)
        #expect(c.diagnostics == RuleCollection.sorted(c.diagnostics))
    }

    @Test func explicitFilesAreReadWhateverTheirExtension() {
        let c = RuleLoader().load(paths: [Self.tree + "/sub/notes.txt"])
        #expect(c.filesRead == 1)
        #expect(c.documentsRejected == 1)
    }

    @Test func extensionsAreConfigurable() {
        let c = RuleLoader(options: LoaderOptions(fileExtensions: ["yaml"])).load(paths: [Self.tree])
        #expect(c.rules.map(\.title) == ["Root usage"])
    }

    @Test func missingPathIsAnError() throws {
        let c = RuleLoader().load(paths: ["/nonexistent/rules"])
        let error = try #require(c.errors.first)
        #expect(error.code == "unreadable")
        #expect(error.location?.path == "/nonexistent/rules")
        #expect(c.documentsRejected == 1)
    }

    @Test func lookupsByIdAndName() throws {
        let c = RuleLoader().load(paths: [Self.tree])
        #expect(c.rule(withID: "0B1C2D3E-4F50-4A6B-8C7D-9E0F1A2B3C4D")?.title == "Console login")
        #expect(c.rule(withID: "{1c2d3e4f50614b7c9d8e0f1a2b3c4d5e}")?.title == "Root usage")
        #expect(c.rules(named: "console_login").count == 1)
        #expect(c.correlation(withID: "2d3e4f50-6172-4c8d-8e9f-1a2b3c4d5e6f")?.metadata.title == "Many console logins")
        #expect(c.correlations(named: "nope").isEmpty)
        if case .rule(let rule)? = c.resolve(reference: "console_login") {
            #expect(rule.title == "Console login")
        } else {
            Issue.record("console_login did not resolve to a rule")
        }
    }

    @Test func mergeAppendsAndAddsCounts() {
        var a = RuleLoader().load(yaml: LoaderFixture.rule(title: "a"), path: "a.yml")
        let b = RuleLoader().load(yaml: "title: [", path: "b.yml")
        a.merge(b)
        #expect(a.rules.count == 1)
        #expect(a.filesRead == 2)
        #expect(a.documentsRejected == 1)
        #expect(a.errors.count == 1)
    }

    @Test func parallelLoadingIsDeterministic() {
        let one = RuleLoader().load(paths: [Self.tree])
        let two = RuleLoader().load(paths: [Self.tree])
        #expect(one.rules == two.rules)
        #expect(one.diagnostics == two.diagnostics)
    }
}
