import Foundation
import Testing

@testable import AWSClient

/// Published AWS examples and botocore-computed vectors (scripts/aws-vectors/make_vectors.py).
@Suite struct SigV4SignerTests {
    /// `20260115T083000Z` style → Date.
    static func date(_ timestamp: String) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.date(from: timestamp)!
    }

    @Test func s3GetObjectExampleFromTheS3Documentation() {
        // "Example: GET Object" of the S3 SigV4 documentation (first 10 bytes of examplebucket/test.txt).
        let signer = SigV4Signer(
            credentials: AWSCredentials(
                accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
            ), region: "us-east-1", service: "s3"
        )
        var request = AWSRequest(
            method: "GET", host: "examplebucket.s3.amazonaws.com", path: "/test.txt", headers: [("Range", "bytes=0-9")]
        )
        signer.sign(&request, date: Self.date("20130524T000000Z"))
        #expect(
            request.header("authorization")
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        )
        #expect(
            request.header("x-amz-content-sha256") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        )
        #expect(request.header("x-amz-date") == "20130524T000000Z")
    }

    @Test func getVanillaFromTheSigV4TestSuite() {
        // get-vanilla of the AWS Signature Version 4 test suite.
        let signer = SigV4Signer(
            credentials: AWSCredentials(
                accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
            ), region: "us-east-1", service: "service"
        )
        var request = AWSRequest(method: "GET", host: "example.amazonaws.com", path: "/")
        signer.sign(&request, date: Self.date("20150830T123600Z"))
        #expect(request.header("x-amz-content-sha256") == nil)
        #expect(
            request.header("authorization")
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        )
    }

    @Test func timestampsAreUTCAndZeroPadded() {
        #expect(SigV4Signer.timestamp(Date(timeIntervalSince1970: 0)) == "19700101T000000Z")
        #expect(SigV4Signer.timestamp(Date(timeIntervalSince1970: 951_782_400 + 3_661.9)) == "20000229T010101Z")
        #expect(SigV4Signer.timestamp(Self.date("20991231T235959Z")) == "20991231T235959Z")
    }

    @Test func signingAgainReplacesTheEarlierSignature() {
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret", sessionToken: "token"),
            region: "eu-west-1", service: "sqs"
        )
        var request = AWSRequest(method: "POST", host: "sqs.eu-west-1.amazonaws.com", body: Array("{}".utf8))
        signer.sign(&request, date: Self.date("20260101T000000Z"))
        signer.sign(&request, date: Self.date("20260101T000100Z"))
        #expect(request.headers.filter { $0.name.lowercased() == "authorization" }.count == 1)
        #expect(request.headers.filter { $0.name.lowercased() == "x-amz-date" }.count == 1)
        #expect(request.header("x-amz-security-token") == "token")
        #expect(request.header("authorization")?.contains("20260101/eu-west-1/sqs/aws4_request") == true)
    }

    @Test(arguments: SigV4Vector.all)
    func matchesBotocore(_ vector: SigV4Vector) {
        var request = AWSRequest(
            method: vector.method, scheme: vector.scheme, host: vector.host, path: vector.path,
            query: vector.query.map { ($0[0], $0[1]) }, headers: vector.headers.map { ($0[0], $0[1]) },
            body: Array(vector.body.utf8)
        )
        let signer = SigV4Signer(
            credentials: AWSCredentials(
                accessKeyID: vector.accessKeyID, secretAccessKey: vector.secretAccessKey, sessionToken: vector.token
            ), region: vector.region, service: vector.service
        )
        let date = Self.date(vector.date)
        signer.sign(&request, date: date)
        var unsigned = request
        unsigned.headers.removeAll { $0.name.lowercased() == "authorization" }
        let signature = signer.signature(for: unsigned, date: date)
        #expect(signature.canonicalRequest == vector.expected.canonicalRequest)
        #expect(signature.stringToSign == vector.expected.stringToSign)
        for (name, value) in vector.expected.addedHeaders {
            #expect(request.header(name) == value, "header \(name)")
        }
    }
}

/// One entry of Fixtures/sigv4-vectors.json.
struct SigV4Vector: Decodable, Sendable, CustomTestStringConvertible {
    struct Expected: Decodable, Sendable {
        var canonicalRequest: String
        var stringToSign: String
        var addedHeaders: [String: String]
    }

    var name: String
    var service: String
    var region: String
    var method: String
    var scheme: String
    var host: String
    var path: String
    var query: [[String]]
    var headers: [[String]]
    var body: String
    var token: String?
    var accessKeyID: String
    var secretAccessKey: String
    var date: String
    var expected: Expected

    var testDescription: String { name }

    static let all: [SigV4Vector] = {
        guard
            let url = Bundle.module.url(forResource: "sigv4-vectors", withExtension: "json", subdirectory: "Fixtures"),
            let data = try? Data(contentsOf: url)
        else { return [] }
        return (try? JSONDecoder().decode([SigV4Vector].self, from: data)) ?? []
    }()
}

@Test func theBotocoreVectorsAreThere() {
    #expect(SigV4Vector.all.count >= 8)
}
