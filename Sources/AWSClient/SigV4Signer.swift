import Crypto
import Foundation

/// Signs requests with AWS Signature Version 4 (header-based, `AWS4-HMAC-SHA256`).
///
/// S3 differs from the other services in two ways, both decided by `service == "s3"`: its canonical URI is the path
/// encoded once (others encode it twice), and it requires the `x-amz-content-sha256` header.
public struct SigV4Signer: Sendable {
    /// The credentials that sign.
    public var credentials: AWSCredentials
    /// The region of the credential scope (`us-east-1`).
    public var region: String
    /// The signing name of the service (`s3`, `sqs`, `iam`).
    public var service: String

    /// A signer for one service in one region.
    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The intermediate and final values of one signature, exposed so tests can compare each step.
    public struct Signature: Sendable, Equatable {
        /// The canonical request (step 1 of the algorithm).
        public var canonicalRequest: String
        /// The string to sign (step 2).
        public var stringToSign: String
        /// The hex signature (step 4).
        public var signature: String
        /// The full `Authorization` header value.
        public var authorization: String
    }

    private var isS3: Bool { service == "s3" }

    /// Adds `x-amz-date`, `x-amz-security-token` (session credentials), `x-amz-content-sha256` (S3) and
    /// `Authorization` to the request, replacing any earlier ones (a retried request is signed again).
    public func sign(_ request: inout AWSRequest, date: Date = Date()) {
        request.headers.removeAll { $0.name.lowercased() == "authorization" }
        request.setHeader("x-amz-date", Self.timestamp(date))
        if let token = credentials.sessionToken {
            request.setHeader("x-amz-security-token", token)
        }
        if isS3 {
            request.setHeader("x-amz-content-sha256", Hex.encode(SHA256.hash(data: request.body)))
        }
        let signature = self.signature(for: request, date: date)
        request.setHeader("Authorization", signature.authorization)
    }

    /// Computes the signature of a request whose signing headers (`x-amz-date` and the others) are already set.
    public func signature(for request: AWSRequest, date: Date) -> Signature {
        let timestamp = Self.timestamp(date)
        let day = String(timestamp.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"

        // Canonical headers: lower-case names, values trimmed with inner runs of spaces collapsed, sorted by name;
        // repeated names are joined with commas. `host` is always signed.
        var values: [String: [String]] = [:]
        for (name, value) in request.headers {
            values[name.lowercased(), default: []].append(Self.collapseSpaces(value))
        }
        if values["host"] == nil {
            values["host"] = [request.host]
        }
        let names = values.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(values[$0]!.joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")

        let payloadHash = request.header("x-amz-content-sha256") ?? Hex.encode(SHA256.hash(data: request.body))
        let canonicalURI = isS3 ? request.encodedPath : URIEncoding.encodePath(request.encodedPath)
        let canonicalRequest = [
            request.method.uppercased(), canonicalURI, request.canonicalQuery, canonicalHeaders, signedHeaders,
            payloadHash,
        ].joined(separator: "\n")

        let stringToSign = [
            "AWS4-HMAC-SHA256", timestamp, scope, Hex.encode(SHA256.hash(data: Array(canonicalRequest.utf8))),
        ].joined(separator: "\n")

        let key = signingKey(day: day)
        let signature = Hex.encode(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return Signature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature,
            authorization: authorization
        )
    }

    /// The derived key: HMAC chain over the day, region, service and `aws4_request`, seeded with the secret.
    func signingKey(day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }

    private static func collapseSpaces(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC, computed by hand to stay clear of locale and calendar settings.
    public static func timestamp(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)\(two(month))\(two(day))T\(two(secondOfDay / 3600))\(two(secondOfDay % 3600 / 60))"
            + "\(two(secondOfDay % 60))Z"
    }

    /// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's days-to-civil algorithm).
    private static func civilDate(daysSinceEpoch: Int) -> (Int, Int, Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
