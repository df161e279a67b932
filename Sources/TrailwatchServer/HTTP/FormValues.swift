import Foundation

/// `application/x-www-form-urlencoded` pairs (a query string or a form body), in order, keys repeatable.
///
/// `+` is a space and `%XX` a byte, as browsers send forms; a malformed escape is kept as written.
public struct FormValues: Sendable, Hashable {
    public private(set) var pairs: [(key: String, value: String)]

    public init(_ pairs: [(key: String, value: String)] = []) {
        self.pairs = pairs
    }

    /// Parses `a=1&b=x+y&a=2`.
    public init(encoded: String) {
        pairs = encoded.split(separator: "&", omittingEmptySubsequences: true).map { part in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = FormValues.decode(pieces[0])
            let value = pieces.count > 1 ? FormValues.decode(pieces[1]) : ""
            return (key, value)
        }
    }

    /// The first value of `key`, nil when absent; an empty value counts as absent.
    public subscript(_ key: String) -> String? {
        pairs.first { $0.key == key && !$0.value.isEmpty }?.value
    }

    /// Every non-empty value of `key`, in order.
    public func all(_ key: String) -> [String] {
        pairs.filter { $0.key == key && !$0.value.isEmpty }.map(\.value)
    }

    public mutating func append(_ key: String, _ value: String) {
        pairs.append((key, value))
    }

    /// `a=1&b=x%20y`: every byte outside the RFC 3986 unreserved set is percent-encoded.
    public var encoded: String {
        pairs.map { FormValues.encode($0.key) + "=" + FormValues.encode($0.value) }.joined(separator: "&")
    }

    static let unreserved = CharacterSet(charactersIn:
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// Percent-encodes everything but unreserved characters (safe in a query, a path segment and an attribute).
    public static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    public static func == (a: FormValues, b: FormValues) -> Bool {
        a.pairs.elementsEqual(b.pairs) { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for pair in pairs {
            hasher.combine(pair.key)
            hasher.combine(pair.value)
        }
    }
}
