import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TrailwatchServer

/// Values from rules and events never become markup; documentation Markdown keeps only safe HTML.
struct SafetyTests {
    /// Markup that must never appear unescaped in a page.
    static let forbidden = [
        "<script", "<img src=x", "<svg", "<iframe", "<b>mallory", "onerror=\"", "onclick=\"", "onmouseover=\"",
        "href=\"javascript:", "src=\"javascript:", "<b>x</b>",
    ]

    static func expectNoMarkup(_ html: String, _ page: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for needle in forbidden {
            #expect(!html.lowercased().contains(needle.lowercased()), "\(page) contains \(needle)", sourceLocation: sourceLocation)
        }
    }

    @Test func hostileRuleRendersAsTextOnExploreAndItsPage() async throws {
        try await Support.withRouter { client, _ in
            try await client.execute(uri: "/?q=evil", method: .get) { response in
                let html = Support.text(response)
                #expect(html.contains("1 detection<"))
                #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Evil &quot;quoted&quot; &amp; &#39;single&#39;"))
                #expect(html.contains("&lt;img src=x onerror=alert(2)&gt;"))
                // The search box echoes the query escaped.
                Self.expectNoMarkup(html, "explore")
            }
            try await client.execute(uri: "/?q=%22%3E%3Cscript%3Ealert(0)%3C/script%3E&level=%22%3E%3Csvg%3E", method: .get) {
                response in
                let html = Support.text(response)
                #expect(html.contains("value=\"&quot;&gt;&lt;script&gt;alert(0)&lt;/script&gt;\""))
                Self.expectNoMarkup(html, "explore with hostile parameters")
            }
            try await client.execute(uri: "/detections/\(Support.hostileID)?q=%3Cscript%3E", method: .get) { response in
                #expect(response.status == .ok)
                let html = Support.text(response)
                Self.expectNoMarkup(html, "detection page")
                for piece in [
                    "<h1 id=\"title\">&lt;script&gt;alert(1)&lt;/script&gt; Evil",
                    "&lt;b&gt;mallory&lt;/b&gt;", "&lt;iframe src=javascript:alert(4)&gt;",
                    "&lt;svg onload=alert(3)&gt;",
                    // References: only http(s) become links; the query's quotes are escaped in the attribute.
                    "<li>javascript:alert(5)</li>", "href=\"https://example.com/?a=1&amp;b=&quot;2&quot;\"",
                    // Documentation: raw HTML shown as text, unsafe links reduced to their text.
                    "&lt;script&gt;alert(6)&lt;/script&gt;", "A bad link and a <a href=\"https://example.com/x?a=1&amp;b=2\"",
                    "&lt;b onclick=&quot;alert(8)&quot;&gt;", "<pre><code>&lt;script&gt;alert(11)&lt;/script&gt;\n</code></pre>", "![img](https://example.com/x.png&quot; onerror=",
                    "href=\"/?q=%3Cscript%3E\"",
                ] {
                    #expect(html.contains(piece), "missing: \(piece)")
                }
            }
            try await client.execute(uri: "/api/detections/\(Support.hostileID)", method: .get) { response in
                // JSON is served as JSON (never sniffed as HTML) and the text is intact.
                #expect(response.headers[.contentType] == "application/json")
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(Support.text(response).contains("\"title\":\"<script>alert(1)</script> Evil \\\"quoted\\\""))
            }
        }
    }

    @Test func hostileEventValuesRenderAsTextOnAlertPages() async throws {
        try await Support.withRouter { client, site in
            let response = try await Support.ingest(client, Support.hostileEvent)
            #expect(response.status == .created, "\(Support.text(response))")
            let alert = try #require(try await site.store.alerts(matching: .init(ruleID: Support.hostileID)).items.first)
            let id = try #require(alert.id)
            try await client.execute(uri: "/alerts", method: .get) { response in
                let html = Support.text(response)
                #expect(html.contains("&lt;script&gt;alert(12)&lt;/script&gt;"))
                Self.expectNoMarkup(html, "alert list")
            }
            try await client.execute(uri: "/alerts?identity=%3Cscript%3E&rule=%22%3E%3Csvg%3E", method: .get) { response in
                let html = Support.text(response)
                #expect(html.contains("value=\"&lt;script&gt;\""))
                Self.expectNoMarkup(html, "alert list with hostile filters")
            }
            try await client.execute(uri: "/alerts/\(id)?identity=%22%3E%3Cscript%3E", method: .get) { response in
                let html = Support.text(response)
                Self.expectNoMarkup(html, "alert page")
                for piece in [
                    "&lt;script&gt;alert(12)&lt;/script&gt;", "&quot;&gt;&lt;b&gt;x&lt;/b&gt;",
                    "&lt;iframe src=javascript:alert(13)&gt;", "&lt;svg onload=alert(3)&gt;",
                    // The raw event, pretty-printed, keeps its JSON escapes and is HTML-escaped on top.
                    "&quot;sourceIPAddress&quot;: &quot;\\&quot;&gt;&lt;b&gt;x&lt;/b&gt;&quot;",
                    "href=\"/alerts?identity=%22%3E%3Cscript%3E\"",
                ] {
                    #expect(html.contains(piece), "missing: \(piece)")
                }
            }
        }
    }

    @Test func everyResponseCarriesSecurityHeaders() async throws {
        try await Support.withRouter { client, _ in
            for uri in ["/", "/alerts", "/detections/\(Support.seedID)", "/api/detections", "/nope", "/static/style.css"] {
                try await client.execute(uri: uri, method: .get) { response in
                    let policy = response.headers[.contentSecurityPolicy] ?? ""
                    #expect(policy.contains("default-src 'none'") && policy.contains("style-src 'self'"), "\(uri)")
                    #expect(!policy.contains("script-src"), "\(uri): no script is ever allowed")
                    #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(uri)")
                }
            }
        }
    }

    @Test(arguments: [
        ("javascript:alert(1)", false), ("JavaScript:alert(1)", false), (" javascript:x", false),
        ("data:text/html,x", false), ("vbscript:x", false), ("https://example.com", true), ("http://x", true),
        ("mailto:a@b.c", true), ("/relative/path", true), ("#anchor", true), ("page?x=a:b", true),
        ("docs/a:b", true),
    ])
    func linkTargets(url: String, allowed: Bool) throws {
        let html = MarkdownRenderer.render("[t](\(url))")
        #expect(html.contains("href=") == allowed, "\(url): \(html)")
    }

    @Test func markdownRendersTheDocumentationFeatures() {
        let html = MarkdownRenderer.render("""
            # Title
            Some **bold** and *em* text with `code`
            `continued` on the next line.

            | a | b |
            |---|---|
            | 1 | 2 |

            1. **Step.** Run:
               ```
               aws ec2 describe-security-groups --group-ids sg-1 \\
                   --query 'x'
               ```
               Then look.
            """)
        #expect(html.contains("<h1>Title</h1>"))
        #expect(html.contains("<strong>bold</strong>") && html.contains("<em>em</em>"))
        #expect(html.contains("<code>code</code> <code>continued</code> on the next line."))
        #expect(html.contains("<table>"))
        #expect(html.contains("<pre><code>aws ec2 describe-security-groups --group-ids sg-1 \\\n    --query 'x'\n</code></pre>"))
    }
}
