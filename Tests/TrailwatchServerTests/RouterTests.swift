import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TrailwatchKit
import TrailwatchServer

/// Every page and API route, through the router (`app.test(.router)`).
struct RouterTests {
    @Test func exploreListsEveryDetectionWithFacetsAndBadges() async throws {
        try await Support.withRouter { client, site in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let html = Support.text(response)
                #expect(html.contains("\(site.catalog.summaries.count) detections"))
                #expect(html.contains("Ingress/Egress Security Group Modification"))
                #expect(html.contains("<span class=\"badge format\">sigma</span>"))
                #expect(html.contains("<span class=\"badge type-hunting\" title=\"Type\">Hunting</span>"))
                for facet in ["level", "type", "status", "tactic", "source", "platform"] {
                    #expect(html.contains("data-facet=\"\(facet)\""), "facet \(facet)")
                }
                #expect(html.contains("Initial Access (TA0001)"))
            }
        }
    }

    @Test func exploreFiltersSearchesSortsAndPages() async throws {
        try await Support.withRouter { client, _ in
            try await client.execute(uri: "/?level=high&sort=title", method: .get) { response in
                let html = Support.text(response)
                #expect(html.contains("3 detections"))  // two pack rules and the hostile one
                #expect(!html.contains(">Ingress/Egress Security Group Modification<"))
                #expect(html.contains("Level: high"))  // the chip that removes the filter
            }
            try await client.execute(uri: "/?q=world+open&type=Alert", method: .get) { response in
                let html = Support.text(response)
                #expect(html.contains("1 detection<"))
                #expect(html.contains("Security Group Ingress Opened To The Internet"))
            }
            try await client.execute(uri: "/?per=2&page=2", method: .get) { response in
                let html = Support.text(response)
                #expect(html.contains("Page 2 of 3"))
                #expect(html.contains("href=\"/?per=2\" rel=\"prev\""))
                #expect(html.contains("href=\"/?page=3&amp;per=2\" rel=\"next\""))
                #expect(html.components(separatedBy: "<li data-id=").count - 1 == 2)
            }
        }
    }

    @Test func detectionPageShowsEveryElementOfTheSeedPage() async throws {
        try await Support.withRouter { client, _ in
            try await client.execute(uri: "/detections/\(Support.seedID)?q=security&level=medium", method: .get) {
                response in
                #expect(response.status == .ok)
                let html = Support.text(response)
                for piece in [
                    "← Back to Explore", "href=\"/?q=security&amp;level=medium\"",  // filters kept
                    "Ingress/Egress Security Group Modification", "badge format\">sigma",
                    "badge level-medium", "badge type-hunting", "Detects when an account makes changes",
                    "MITRE ATT&amp;CK", "Initial Access (TA0001)", "T1190 Exploit Public-Facing Application",
                    "Detection Query", "<span class=\"k\">selection:</span>", "AuthorizeSecurityGroupEgress",
                    "<span class=\"k\">condition:</span><span class=\"v\"> selection</span>",
                    "jamesc-grafana", "2024-07-11", "awscloudtrail", "<li>attack.initial-access</li>",
                    "New VPCs and Subnets being setup", "Successful", "errorCode",  // the pack filter
                    "Fixture Results", "<span class=\"pass\">PASS</span>", "Raw Content",
                    "id: 6fb77778-040f-4015-9440-572aa9b6b580", "<h2>Documentation</h2>",
                    "<h1>Overview</h1>", "<strong>Exposure</strong>",
                    "SQL conversion is not available in this build.",
                ] {
                    #expect(html.contains(piece), "missing: \(piece)")
                }
                #expect(!html.contains("<span class=\"fail\">"))
            }
        }
    }

    @Test func unknownIDsAnswer404() async throws {
        try await Support.withRouter { client, _ in
            try await client.execute(uri: "/detections/00000000-0000-0000-0000-000000000000", method: .get) {
                #expect($0.status == .notFound)
                #expect(Support.text($0).contains("Detection not found"))
            }
            try await client.execute(uri: "/api/detections/nope", method: .get) {
                #expect($0.status == .notFound)
                #expect(Support.text($0).contains("{\"error\":{\"message\":"))
            }
            for uri in ["/alerts/42", "/alerts/abc"] {
                try await client.execute(uri: uri, method: .get) { #expect($0.status == .notFound, "\(uri)") }
            }
            for uri in ["/api/alerts/42", "/api/alerts/-1"] {
                try await client.execute(uri: uri, method: .get) { #expect($0.status == .notFound, "\(uri)") }
            }
            try await client.execute(uri: "/no/such/page", method: .get) {
                #expect($0.status == .notFound)
                #expect(Support.text($0).contains("<title>Not found · Trailwatch</title>"))
                #expect($0.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            }
            try await client.execute(uri: "/api/nothing", method: .get) {
                #expect($0.status == .notFound)
                #expect(Support.text($0).hasPrefix("{\"error\""))
            }
        }
    }

    @Test func stylesheetIsServedAndNothingElseFromDisk() async throws {
        try await Support.withRouter { client, _ in
            try await client.execute(uri: "/static/style.css", method: .get) {
                #expect($0.status == .ok)
                #expect($0.headers[.contentType] == "text/css; charset=utf-8")
                #expect(Support.text($0).contains(".badge"))
            }
            for uri in [
                "/static/../Package.swift", "/static/%2e%2e/%2e%2e/etc/passwd", "/static/..%2fstyle.css",
                "/static/templates/explore.mustache", "/detections/..%2f..%2fetc%2fpasswd", "/../../etc/passwd",
            ] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    #expect(!Support.text(response).contains("root:"), "\(uri)")
                    #expect(!Support.text(response).contains("PackageDescription"), "\(uri)")
                }
            }
        }
    }

    @Test func apiDetectionsMirrorsExplore() async throws {
        try await Support.withRouter { client, _ in
            try await client.execute(uri: "/api/detections?tactic=initial-access&sort=level", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let json = try #require(try JSONSerialization.jsonObject(with: Support.data(response)) as? [String: Any])
                let items = try #require(json["items"] as? [[String: Any]])
                #expect(json["total"] as? Int == items.count)
                #expect(items.first?["level"] as? String == "high")  // most severe first
                #expect(items.contains { $0["id"] as? String == Support.seedID })
                let facets = try #require(json["facets"] as? [String: [[String: Any]]])
                #expect(Set(facets.keys) == ["level", "type", "status", "tactic", "source", "platform"])
                let tactic = try #require(facets["tactic"]?.first { $0["value"] as? String == "initial-access" })
                #expect(tactic["selected"] as? Bool == true)
                #expect(tactic["label"] as? String == "Initial Access (TA0001)")
            }
            try await client.execute(uri: "/api/detections/\(Support.seedID.uppercased())", method: .get) { response in
                #expect(response.status == .ok)
                let json = try #require(try JSONSerialization.jsonObject(with: Support.data(response)) as? [String: Any])
                #expect(json["title"] as? String == "Ingress/Egress Security Group Modification")
                #expect(json["type"] as? String == "Hunting")
                #expect((json["detectionQuery"] as? String)?.hasPrefix("selection:\n  eventSource:") == true)
                #expect((json["documentation"] as? String)?.hasPrefix("# Overview") == true)
                #expect((json["filters"] as? [[String: Any]])?.count == 1)
                #expect(((json["fixtures"] as? [[String: Any]])?.count ?? 0) > 10)
                #expect(json["sql"] is NSNull)
                let techniques = try #require(json["techniques"] as? [[String: Any]])
                #expect(techniques.first?["name"] as? String == "Exploit Public-Facing Application")
            }
        }
    }

    @Test func ingestionEvaluatesStoresAndReturnsAlerts() async throws {
        try await Support.withRouter { client, site in
            let response = try await Support.ingest(client, Support.sshOpenEvent)
            #expect(response.status == .created)
            let json = try #require(try JSONSerialization.jsonObject(with: Support.data(response)) as? [String: Any])
            #expect(json["records"] as? Int == 1)
            // The seed rule and the pack's "opened to the internet" rule both fire.
            #expect(json["stored"] as? Int == 2)
            let alerts = try #require(json["alerts"] as? [[String: Any]])
            #expect(Set(alerts.compactMap { $0["ruleId"] as? String })
                == [Support.seedID, "3e5b1ea3-849c-442d-820a-d7e05a086fdb"])
            let alert = try #require(alerts.first { $0["ruleId"] as? String == Support.seedID })
            #expect(alert["ruleId"] as? String == Support.seedID)
            #expect(alert["level"] as? String == "medium")
            #expect(alert["effectiveLevel"] as? String == "high")
            #expect((alert["summary"] as? String)?.contains("tcp/22 from 0.0.0.0/0") == true)
            #expect(alert["new"] as? Bool == true)
            // The same event again: no duplicate alert.
            let again = try await Support.ingest(client, Support.sshOpenEvent)
            #expect(again.status == .ok)
            #expect(Support.text(again).contains("\"duplicates\":2"))
            let page = try await site.store.alerts(matching: .init())
            #expect(page.total == 2)
        }
    }

    @Test(arguments: ["records", "eventbridge", "jsonl", "gzip"])
    func ingestionAcceptsEveryContainer(format: String) async throws {
        try await Support.withRouter { client, _ in
            let event = Support.sshOpenEvent
            var body: ByteBuffer
            switch format {
            case "records": body = Support.buffer("{\"Records\":[\(event)]}")
            case "eventbridge":
                body = Support.buffer(
                    "{\"version\":\"0\",\"id\":\"e1\",\"detail-type\":\"AWS API Call via CloudTrail\","
                        + "\"source\":\"aws.ec2\",\"account\":\"123456789012\",\"time\":\"2017-06-01T19:24:05Z\","
                        + "\"region\":\"us-east-1\",\"resources\":[],\"detail\":\(event)}")
            case "jsonl": body = Support.buffer(event.replacingOccurrences(of: "\n", with: "") + "\n")
            default: body = ByteBuffer(bytes: try gzip(Array("{\"Records\":[\(event)]}".utf8)))
            }
            var headers = Support.authorization
            if format == "gzip" { headers[.contentEncoding] = "gzip" }
            let response = try await client.execute(uri: "/api/events", method: .post, headers: headers, body: body)
            #expect(response.status == .created, "\(format): \(Support.text(response))")
            #expect(Support.text(response).contains("\"effectiveLevel\":\"high\""))
        }
    }

    @Test func ingestionRejectsWhatIsNotJSON() async throws {
        try await Support.withRouter { client, _ in
            let response = try await Support.ingest(client, "this is not json")
            #expect(response.status == .badRequest)
            #expect(Support.text(response).contains("No event could be read"))
        }
    }

    @Test func writesNeedTheToken() async throws {
        try await Support.withRouter { client, _ in
            let cases: [(HTTPFields, String)] = [
                ([:], "no header"),
                ([.authorization: "Bearer wrong-token-0123456789ab"], "wrong token"),
                ([.authorization: "Bearer \(Support.token)x"], "longer token"),
                ([.authorization: "Bearer \(Support.token.dropLast())"], "shorter token"),
                ([.authorization: "Basic \(Support.token)"], "other scheme"),
                ([.authorization: "Bearer"], "empty"),
            ]
            for (headers, label) in cases {
                let ingest = try await client.execute(
                    uri: "/api/events", method: .post, headers: headers, body: Support.buffer(Support.sshOpenEvent))
                #expect(ingest.status == .unauthorized, "\(label)")
                #expect(ingest.headers[.wwwAuthenticate] == "Bearer realm=\"trailwatch\"", "\(label)")
                let patch = try await client.execute(
                    uri: "/api/alerts/1", method: .patch, headers: headers, body: Support.buffer("{\"status\":\"closed\"}"))
                #expect(patch.status == .unauthorized, "\(label)")
            }
            try await client.execute(
                uri: "/alerts/1/status", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: Support.buffer("status=closed&token=wrong")
            ) { response in
                #expect(response.status == .unauthorized)
                #expect(Support.text(response).contains("Wrong token"))
            }
            // Lower-case scheme is accepted (RFC 7235: schemes are case-insensitive).
            let ok = try await client.execute(
                uri: "/api/events", method: .post,
                headers: [.authorization: "bearer \(Support.token)"], body: Support.buffer(Support.sshOpenEvent))
            #expect(ok.status == .created)
        }
    }

    @Test func oversizedBodiesAre413() async throws {
        try await Support.withRouter(maxBodyBytes: 4096) { client, _ in
            let big = "{\"Records\":[" + Array(repeating: Support.sshOpenEvent, count: 10).joined(separator: ",") + "]}"
            let response = try await Support.ingest(client, big)
            #expect(response.status == .contentTooLarge)
            #expect(Support.text(response).contains("larger than 4096 bytes"))
            let form = try await client.execute(
                uri: "/alerts/1/status", method: .post, body: Support.buffer(String(repeating: "a", count: 20_000)))
            #expect(form.status == .contentTooLarge)
            let patch = try await client.execute(
                uri: "/api/alerts/1", method: .patch, headers: Support.authorization,
                body: Support.buffer("{\"status\":\"" + String(repeating: "a", count: 20_000) + "\"}"))
            #expect(patch.status == .contentTooLarge)
        }
    }

    @Test func alertsListFiltersAndStatusPersists() async throws {
        try await Support.withRouter { client, site in
            _ = try await Support.ingest(client, Support.sshOpenEvent)
            _ = try await Support.ingest(client, Support.hostileEvent)
            try await client.execute(uri: "/alerts", method: .get) { response in
                #expect(response.status == .ok)
                let html = Support.text(response)
                #expect(html.contains("3 alerts"))
                // Newest first: the 2024 event before the 2017 one.
                let newer = try #require(html.range(of: "2024-05-15 02:15:31Z"))
                let older = try #require(html.range(of: "2017-06-01 19:24:05Z"))
                #expect(newer.lowerBound < older.lowerBound)
                #expect(html.contains("OPEN TO THE INTERNET on a sensitive port"))
            }
            let filters = [
                ("rule=\(Support.seedID)", "1 alert<"), ("level=high", "3 alerts"), ("level=medium", "0 alerts"),
                ("level=critical&level=high", "3 alerts"), ("identity=ALICE", "2 alerts"),
                ("account=111122223333", "1 alert<"), ("from=2024-01-01", "1 alert<"), ("to=2017-06-01", "2 alerts"),
                ("from=2017-06-01T19:24:06Z&to=2024-05-15T02:15:30Z", "0 alerts"), ("status=closed", "0 alerts"),
            ]
            for (query, expected) in filters {
                try await client.execute(uri: "/alerts?\(query)", method: .get) { response in
                    #expect(Support.text(response).contains(expected), "\(query)")
                }
            }
            try await client.execute(uri: "/alerts?from=yesterday", method: .get) { response in
                #expect(Support.text(response).contains("is not a date"))
            }
            try await client.execute(uri: "/api/alerts?from=yesterday", method: .get) { #expect($0.status == .badRequest) }
            // Status through the form (redirect keeps the list's filters), then through the API.
            let seedAlert = try #require(try await site.store.alerts(matching: .init(ruleID: Support.seedID)).items.first?.id)
            try await client.execute(
                uri: "/alerts/\(seedAlert)/status", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: Support.buffer("status=acknowledged&token=\(Support.token)&back=level%3Dhigh")
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/alerts/\(seedAlert)?level=high&updated=1")
            }
            try await client.execute(uri: "/alerts/\(seedAlert)?level=high&updated=1", method: .get) { response in
                let html = Support.text(response)
                #expect(html.contains("Status updated."))
                #expect(html.contains("<span class=\"badge status-acknowledged\" id=\"status\">acknowledged</span>"))
                #expect(html.contains("href=\"/alerts?level=high\""))  // back keeps the filters
            }
            try await client.execute(
                uri: "/api/alerts/\(seedAlert)", method: .patch, headers: Support.authorization,
                body: Support.buffer("{\"status\":\"closed\"}")
            ) { response in
                #expect(response.status == .ok)
                #expect(Support.text(response).contains("\"status\":\"closed\""))
            }
            try await client.execute(
                uri: "/api/alerts/\(seedAlert)/status", method: .post, headers: Support.authorization,
                body: Support.buffer("{\"status\":\"resolved\"}")
            ) { #expect($0.status == .badRequest) }
            #expect(try await site.store.alert(id: seedAlert)?.status == .closed)
            try await client.execute(uri: "/api/alerts?status=closed", method: .get) { response in
                let json = try #require(try JSONSerialization.jsonObject(with: Support.data(response)) as? [String: Any])
                #expect(json["total"] as? Int == 1)
            }
        }
    }

    @Test func alertPageShowsEventEnrichmentAndRule() async throws {
        try await Support.withRouter { client, site in
            _ = try await Support.ingest(client, Support.sshOpenEvent)
            let id = try #require(try await site.store.alerts(matching: .init(ruleID: Support.seedID)).items.first?.id)
            try await client.execute(uri: "/alerts/\(id)", method: .get) { response in
                #expect(response.status == .ok)
                let html = Support.text(response)
                for piece in [
                    "sg-84e8fc13 ingress added: tcp/22 from 0.0.0.0/0 — OPEN TO THE INTERNET on a sensitive port",
                    "Level raised from medium", "arn:aws:iam::123456789012:user/alice", "AuthorizeSecurityGroupIngress",
                    "<h3 class=\"small\">Security group change</h3>", "<th>Protocol</th>", "tcp/22 0.0.0.0/0",
                    "href=\"/detections/\(Support.seedID)\"", "&quot;eventID&quot;: &quot;9dfb369b",
                    "name=\"token\"", "value=\"acknowledged\"",
                ] {
                    #expect(html.contains(piece), "missing: \(piece)")
                }
            }
            try await client.execute(uri: "/api/alerts/\(id)", method: .get) { response in
                let json = try #require(try JSONSerialization.jsonObject(with: Support.data(response)) as? [String: Any])
                #expect((json["event"] as? [String: Any])?["eventID"] as? String == "9dfb369b-ab13-4fae-a276-55daa05f1119")
                let enrichment = try #require(json["enrichment"] as? [String: Any])
                #expect((enrichment["securityGroupChange"] as? [String: Any])?["groupId"] as? String == "sg-84e8fc13")
            }
        }
    }

    @Test func liveServerAnswersOnLoopback() async throws {
        let configuration = Support.configuration()
        let site = try await Site(configuration: configuration, store: try AlertStore())
        let app = buildApplication(site: site, configuration: configuration)
        try await app.test(.live) { client in
            #expect(client.port != nil)
            try await client.execute(uri: "/detections/\(Support.seedID)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(Support.text(response).contains("Ingress/Egress Security Group Modification"))
            }
        }
    }
}

/// gzip through zlib's command-line twin (`gzip`), to build a test body without a compression dependency.
func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "gzip -c"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(bytes))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Array(data)
}
