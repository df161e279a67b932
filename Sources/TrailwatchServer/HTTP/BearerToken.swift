import Foundation

/// The secret that writes must present (`Authorization: Bearer <token>`, or the alert page's form field),
/// compared in constant time.
struct BearerToken: Sendable {
    private let secret: [UInt8]

    /// An empty secret accepts nothing.
    init(_ secret: String) {
        self.secret = Array(secret.utf8)
    }

    /// True when `candidate` equals the secret. The time taken depends only on the lengths, never on where the
    /// first differing byte is.
    func accepts(_ candidate: String) -> Bool {
        guard !secret.isEmpty else { return false }
        return BearerToken.constantTimeEquals(Array(candidate.utf8), secret)
    }

    /// True when the `Authorization` header value is `Bearer <secret>` (scheme case-insensitive).
    func accepts(authorization header: String?) -> Bool {
        guard let header else { return false }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return false }
        return accepts(parts[1].trimmingCharacters(in: .whitespaces))
    }

    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        let count = max(a.count, b.count)
        for i in 0..<count {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            difference |= x ^ y
        }
        return difference == 0
    }

    /// 32 random bytes as 64 hex digits (the token of a server started without one).
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
    }
}
