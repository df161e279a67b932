import CloudTrail
import Foundation
import Hummingbird
import SigmaKit
import TrailwatchKit

/// The JSON API: the catalog and the alerts as the pages show them, alert triage, and event ingestion.
struct APIRoutes: Sendable {
    let site: Site

    /// `GET /api/detections`: Explore's parameters, JSON result with facets.
    @Sendable func detections(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = ExploreParameters.query(from: FormValues(encoded: request.uri.query ?? ""))
        return Responses.json(APIJSON.search(site.catalog.search(query), catalog: site.catalog.catalog))
    }

    /// `GET /api/detections/{id}`: everything the detection page shows.
    @Sendable func detection(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let detail = DetectionDetail(id: id, site: site) else {
            throw HTTPError(.notFound, message: "No loaded detection has the id '\(id)'.")
        }
        return Responses.json(APIJSON.detail(detail))
    }

    /// `GET /api/alerts`: the alert list's parameters, newest first.
    @Sendable func alerts(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = AlertParameters(FormValues(encoded: request.uri.query ?? ""))
        if let error = parameters.error { throw HTTPError(.badRequest, message: error) }
        return Responses.json(APIJSON.alerts(try await site.store.alerts(matching: parameters.query)))
    }

    /// `GET /api/alerts/{id}`: one alert with its event.
    @Sendable func alert(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let id = Int64(try context.parameters.require("id")), let alert = try await site.store.alert(id: id)
        else { throw HTTPError(.notFound, message: "No stored alert has this id.") }
        return Responses.json(APIJSON.alert(alert, includeEvent: true))
    }

    /// `PATCH /api/alerts/{id}` (or `POST /api/alerts/{id}/status`) with `{"status":"acknowledged"}`; needs the
    /// token.
    @Sendable func updateStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        try authorize(request)
        var request = request
        let body = try await Limits.collect(&request, upTo: 16 << 10)
        guard let id = Int64(try context.parameters.require("id")) else {
            throw HTTPError(.notFound, message: "No stored alert has this id.")
        }
        let text = (try? JSONScanner().parse(Array(buffer: body)) { $0["status"]?.string }) ?? nil
        guard let text, let status = AlertStatus(rawValue: text) else {
            throw HTTPError(
                .badRequest, message: "The body must be a JSON object with \"status\": new, acknowledged or closed.")
        }
        guard let alert = try await site.store.setStatus(status, id: id) else {
            throw HTTPError(.notFound, message: "No stored alert has this id.")
        }
        return Responses.json(APIJSON.alert(alert, includeEvent: false))
    }

    /// `POST /api/events`: CloudTrail records, `Records` files, JSON Lines, arrays or EventBridge events (plain
    /// or gzip), evaluated at once with the loaded rules; the alerts are stored and returned.
    @Sendable func ingest(_ request: Request, context: AppRequestContext) async throws -> Response {
        try authorize(request)
        var request = request
        let body = try await Limits.collect(&request, upTo: site.maxBodyBytes)
        let evaluation = site.evaluator.evaluate(Array(buffer: body), source: "POST /api/events")
        if evaluation.records == 0, let problem = evaluation.error ?? evaluation.issues.first {
            throw HTTPError(.badRequest, message: "No event could be read: \(problem.description)")
        }
        let outcomes = try await site.store.insertAsync(evaluation.alerts, source: "api")
        let stored = outcomes.filter(\.isNew).count
        let document = JSONRecord.object([
            ("records", .int(Int64(evaluation.records))),
            ("rejected", .int(Int64(evaluation.rejected))),
            ("alertCount", .int(Int64(outcomes.count))),
            ("stored", .int(Int64(stored))),
            ("duplicates", .int(Int64(outcomes.count - stored))),
            ("alerts", .array(outcomes.map { outcome in
                guard case .object(var members) = APIJSON.alert(outcome.alert, includeEvent: false) else { return .null }
                members.append(("new", .bool(outcome.isNew)))
                return .object(members)
            })),
            ("issues", .array(evaluation.issues.map(APIJSON.issue))),
            ("error", evaluation.error.map(APIJSON.issue) ?? .null),
        ])
        return Responses.json(document, status: stored > 0 ? .created : .ok)
    }

    /// Throws 401 unless the request carries `Authorization: Bearer <token>`.
    func authorize(_ request: Request) throws {
        guard site.token.accepts(authorization: request.headers[.authorization]) else {
            throw HTTPError(
                .unauthorized, headers: [.wwwAuthenticate: "Bearer realm=\"trailwatch\""],
                message: "This request needs the header 'Authorization: Bearer <token>' with the server's token.")
        }
    }
}
