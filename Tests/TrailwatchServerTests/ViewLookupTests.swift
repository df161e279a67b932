import Foundation
import Mustache
import SigmaKit
import Testing
import TrailwatchKit
@testable import TrailwatchServer

/// The templates read view models through hand-written `child(named:)` switches (no reflection, for speed).
/// This checks, through `Mirror`, that every stored property of every view model of every page answers.
struct ViewLookupTests {
    static func check(_ value: Any, path: String) {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .collection?:
            for (index, element) in mirror.children.enumerated() { check(element.value, path: "\(path)[\(index)]") }
        case .optional?:
            if let wrapped = mirror.children.first?.value { check(wrapped, path: path) }
        case .struct?:
            guard let parent = value as? any MustacheParent else {
                Issue.record("\(type(of: value)) at \(path) has no template lookup")
                return
            }
            for child in mirror.children {
                guard let label = child.label else { continue }
                let field = Mirror(reflecting: child.value)
                let isNil = field.displayStyle == .optional && field.children.isEmpty
                #expect((parent.child(named: label) == nil) == isNil, "\(type(of: value)).\(label) at \(path)")
                check(child.value, path: "\(path).\(label)")
            }
        default:
            break
        }
    }

    @Test func everyFieldOfEveryPageAnswers() async throws {
        let configuration = Support.configuration()
        let store = try AlertStore()
        let site = try await Site(configuration: configuration, store: store)
        let query = CatalogQuery(selections: [.level: ["medium"]], pageSize: 1)
        let result = site.catalog.search(query)
        Self.check(
            ExploreView(query: query, result: result, catalog: site.catalog, snippets: site.snippets, footer: "f"),
            path: "explore")
        let detail = try #require(DetectionDetail(id: Support.seedID, site: site))
        Self.check(DetectionView(detail: detail, back: query, footer: "f"), path: "detection")
        let evaluation = site.evaluator.evaluate(Array(Support.sshOpenEvent.utf8), source: "test")
        _ = try await store.insertAsync(evaluation.alerts, source: "test")
        let parameters = AlertParameters(FormValues(encoded: "level=high&from=2017-01-01"))
        let page = try await store.alerts(matching: parameters.query)
        Self.check(
            AlertsView(
                parameters: parameters, page: page, ruleCounts: try await store.ruleCounts(),
                statusCounts: try await store.statusCounts(), footer: "f"),
            path: "alerts")
        let alert = try #require(page.items.first)
        Self.check(
            AlertView(alert: alert, back: parameters.form, message: "m", catalog: site.catalog, footer: "f"),
            path: "alert")
    }
}
