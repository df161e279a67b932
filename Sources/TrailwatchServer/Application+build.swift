import Foundation
import HTTPTypes
import Hummingbird
import SigmaKit
import TrailwatchKit

/// The request context of every route.
public typealias AppRequestContext = BasicRequestContext

/// Builds the server: loads the rules and opens the alert store that `configuration` names, then routes.
///
/// The shape of the Hummingbird template: `buildApplication` assembles, ``buildRouter(site:)`` routes, and
/// tests run the result with `app.test(.router)`.
/// - Parameter onServerRunning: called with the bound port once the server listens (port 0 picks one).
public func buildApplication(
    configuration: ServerConfiguration, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let store = configuration.storePath == ":memory:" ? try AlertStore() : try AlertStore(path: configuration.storePath)
    let site = try await Site(configuration: configuration, store: store)
    return buildApplication(site: site, configuration: configuration, onServerRunning: onServerRunning)
}

/// Builds the server around an already loaded ``Site`` (tests share one between cases).
/// - Parameter operations: what `/healthz` and `/metrics` report (a watcher, a metrics registry).
public func buildApplication(
    site: Site, configuration: ServerConfiguration, operations: ServerOperations = ServerOperations(),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(site: site, operations: operations),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.hostname, port: configuration.port), serverName: "trailwatch"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) })
}

/// Every route: pages (`/`, `/detections/{id}`, `/alerts`, `/alerts/{id}`), the stylesheet, and the JSON API
/// (`/api/detections`, `/api/alerts`, `/api/events`). Handlers only parse, call TrailwatchKit or the store,
/// and render. Operations: `/healthz` (the watcher's health) and `/metrics` (Prometheus) when given a registry.
public func buildRouter(site: Site, operations: ServerOperations = ServerOperations()) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: SecurityHeadersMiddleware(site: site))
    let pages = PageRoutes(site: site)
    router.get("/", use: pages.explore)
    router.get("/detections/:id", use: pages.detection)
    router.get("/alerts", use: pages.alerts)
    router.get("/alerts/:id", use: pages.alert)
    router.post("/alerts/:id/status", use: pages.updateStatus)
    router.get("/static/style.css") { _, _ in
        Response(
            status: .ok,
            headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: site.stylesheet)))
    }
    let api = APIRoutes(site: site)
    router.get("/api/detections", use: api.detections)
    router.get("/api/detections/:id", use: api.detection)
    router.get("/api/alerts", use: api.alerts)
    router.get("/api/alerts/:id", use: api.alert)
    router.patch("/api/alerts/:id", use: api.updateStatus)
    router.post("/api/alerts/:id/status", use: api.updateStatus)
    router.post("/api/events", use: api.ingest)
    let operationsRoutes = OperationsRoutes(operations: operations)
    router.get("/healthz", use: operationsRoutes.health)
    if operations.registry != nil { router.get("/metrics", use: operationsRoutes.metrics) }
    return router
}

/// Security headers on every response (errors included), and error pages: HTML for pages, JSON under `/api/`.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let site: Site

    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; "
        + "frame-ancestors 'none'"

    static let referrerPolicy = HTTPField.Name("Referrer-Policy")
    static let frameOptions = HTTPField.Name("X-Frame-Options")

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError {
            response = errorResponse(request, status: error.status, message: error.body ?? error.status.reasonPhrase)
            for field in error.headers { response.headers.append(field) }
        } catch let error as any HTTPResponseError {
            response = errorResponse(request, status: error.status, message: error.status.reasonPhrase)
        }
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        if let referrerPolicy = Self.referrerPolicy { response.headers[referrerPolicy] = "same-origin" }
        if let frameOptions = Self.frameOptions { response.headers[frameOptions] = "DENY" }
        return response
    }

    func errorResponse(_ request: Request, status: HTTPResponse.Status, message: String) -> Response {
        if request.uri.path.hasPrefix("/api/") { return Responses.json(APIJSON.error(message), status: status) }
        let heading = status == .notFound ? "Not found" : "\(status.code) \(status.reasonPhrase)"
        return Responses.errorPage(site: site, status: status, heading: heading, message: message)
    }
}

/// Response builders.
enum Responses {
    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ record: JSONRecord, status: HTTPResponse.Status = .ok) -> Response {
        var bytes: [UInt8] = []
        record.write(to: &bytes)
        bytes.append(UInt8(ascii: "\n"))
        return Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    static func errorPage(
        site: Site, status: HTTPResponse.Status, heading: String, message: String, backHref: String = "/",
        backLabel: String = "Back to Explore"
    ) -> Response {
        struct ErrorView {
            var chrome: Chrome
            var heading: String
            var message: String
            var backHref: String
            var backLabel: String
        }
        let view = ErrorView(
            chrome: Chrome(title: heading, footer: site.footer), heading: heading, message: message,
            backHref: backHref, backLabel: backLabel)
        let text = (try? site.render("error", view)) ?? HTML.escape("\(heading): \(message)")
        return html(text, status: status)
    }
}

/// Builds the server around `site` and runs it until SIGINT or SIGTERM.
public func runServer(
    site: Site, configuration: ServerConfiguration, operations: ServerOperations = ServerOperations(),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws {
    try await buildApplication(
        site: site, configuration: configuration, operations: operations, onServerRunning: onServerRunning
    ).runService()
}
