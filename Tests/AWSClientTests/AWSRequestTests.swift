import Testing

@testable import AWSClient

@Suite struct AWSRequestTests {
    @Test(arguments: [
        ("/a b/c+d", "/a%20b/c%2Bd"),
        ("/AWSLogs/ü.json.gz", "/AWSLogs/%C3%BC.json.gz"),
        ("/x~y_z.-", "/x~y_z.-"),
        ("/a=b&c?d#e", "/a%3Db%26c%3Fd%23e"),
        ("", "/"),
    ])
    func pathsAreEncodedOnce(_ path: String, _ encoded: String) {
        #expect(AWSRequest(method: "GET", host: "h", path: path).encodedPath == encoded)
    }

    @Test func queryIsSortedAndEncoded() {
        let request = AWSRequest(
            method: "GET", host: "h", query: [("prefix", "a b/c"), ("list-type", "2"), ("A", "x+y")]
        )
        #expect(request.canonicalQuery == "A=x%2By&list-type=2&prefix=a%20b%2Fc")
        #expect(request.url == "https://h/?A=x%2By&list-type=2&prefix=a%20b%2Fc")
    }

    @Test(arguments: [
        ("a+b%2Bc", true, "a b+c"),
        ("a+b", false, "a+b"),
        ("%E2%98%83%20x", true, "☃ x"),
    ])
    func decoding(_ text: String, _ plusIsSpace: Bool, _ decoded: String) {
        #expect(URIEncoding.decode(text, plusIsSpace: plusIsSpace) == decoded)
    }

    @Test(arguments: ["%", "%G1", "%4", "%FF"])
    func malformedEscapesAreRejected(_ text: String) {
        #expect(URIEncoding.decode(text, plusIsSpace: true) == nil)
    }
}
