import Foundation
import Hummingbird
import NIOCore
import TrailwatchKit

/// The HTML pages.
struct PageRoutes: Sendable {
    let site: Site

    /// Explore: search, facets, sorting, paging.
    @Sendable func explore(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = ExploreParameters.query(from: FormValues(encoded: request.uri.query ?? ""))
        let result = site.catalog.search(query)
        let view = ExploreView(
            query: query, result: result, catalog: site.catalog, snippets: site.snippets, footer: site.footer)
        return Responses.html(try site.render("explore", view))
    }

    /// One detection; the query string is Explore's state, for "Back to Explore".
    @Sendable func detection(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let back = ExploreParameters.query(from: FormValues(encoded: request.uri.query ?? ""))
        guard let detail = DetectionDetail(id: id, site: site) else {
            return Responses.errorPage(
                site: site, status: .notFound, heading: "Detection not found",
                message: "No loaded detection has the id '\(id)'.", backHref: ExploreParameters.href(back))
        }
        return Responses.html(try site.render("detection", DetectionView(detail: detail, back: back, footer: site.footer)))
    }

    /// The alert list, newest first.
    @Sendable func alerts(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = AlertParameters(FormValues(encoded: request.uri.query ?? ""))
        let page = try await site.store.alerts(matching: parameters.query)
        let view = AlertsView(
            parameters: parameters, page: page, ruleCounts: try await site.store.ruleCounts(),
            statusCounts: try await site.store.statusCounts(), footer: site.footer)
        return Responses.html(try site.render("alerts", view))
    }

    /// One alert; the query string is the list's filters, for "Back to Alerts".
    @Sendable func alert(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = FormValues(encoded: request.uri.query ?? "")
        let back = AlertParameters(form).form
        guard let id = Int64(try context.parameters.require("id")), let alert = try await site.store.alert(id: id)
        else {
            return Responses.errorPage(
                site: site, status: .notFound, heading: "Alert not found", message: "No stored alert has this id.",
                backHref: "/alerts", backLabel: "Back to Alerts")
        }
        let message = form["updated"] == "1" ? "Status updated." : nil
        let view = AlertView(alert: alert, back: back, message: message, catalog: site.catalog, footer: site.footer)
        return Responses.html(try site.render("alert", view))
    }

    /// The alert page's triage form: `status`, `token`, `back` (the list's filters).
    @Sendable func updateStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let body = try await Limits.collect(&request, upTo: 16 << 10)
        let form = FormValues(encoded: String(buffer: body))
        let backToList = "/alerts"
        guard site.token.accepts(form["token"] ?? "") else {
            return Responses.errorPage(
                site: site, status: .unauthorized, heading: "Wrong token",
                message: "Changing an alert's status needs the server's token (--token or TRAILWATCH_TOKEN).",
                backHref: backToList, backLabel: "Back to Alerts")
        }
        guard let id = Int64(try context.parameters.require("id")) else { throw HTTPError(.notFound) }
        guard let status = form["status"].flatMap(AlertStatus.init(rawValue:)) else {
            return Responses.errorPage(
                site: site, status: .badRequest, heading: "Unknown status",
                message: "The status must be new, acknowledged or closed.", backHref: "/alerts/\(id)",
                backLabel: "Back to the alert")
        }
        guard try await site.store.setStatus(status, id: id) != nil else {
            return Responses.errorPage(
                site: site, status: .notFound, heading: "Alert not found", message: "No stored alert has this id.",
                backHref: backToList, backLabel: "Back to Alerts")
        }
        var target = AlertParameters(FormValues(encoded: form["back"] ?? "")).form
        target.append("updated", "1")
        return Responses.redirect("/alerts/\(id)?" + target.encoded)
    }
}

/// Request body limits.
enum Limits {
    /// The whole body, or 413 when it is larger than `limit` (checked on `Content-Length` first, then while
    /// reading, for chunked bodies).
    static func collect(_ request: inout Request, upTo limit: Int) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw HTTPError(.contentTooLarge, message: "The request body is larger than \(limit) bytes.")
        }
        do {
            return try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge, message: "The request body is larger than \(limit) bytes.")
        }
    }
}
