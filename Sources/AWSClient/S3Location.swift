/// A bucket and key prefix, written `s3://bucket/prefix`.
public struct S3Location: Sendable, Hashable, CustomStringConvertible {
    /// The bucket name.
    public var bucket: String
    /// The key prefix; empty means the whole bucket.
    public var prefix: String

    /// A location from its parts.
    public init(bucket: String, prefix: String = "") {
        self.bucket = bucket
        self.prefix = prefix
    }

    /// Parses `s3://bucket` or `s3://bucket/prefix`.
    ///
    /// - Throws: `S3LocationError` naming the text when it is not of that form.
    public init(parsing text: String) throws(S3LocationError) {
        guard text.hasPrefix("s3://") else { throw S3LocationError(text: text, reason: "it does not start with s3://") }
        let rest = text.dropFirst(5)
        let bucket = rest.prefix { $0 != "/" }
        guard !bucket.isEmpty else { throw S3LocationError(text: text, reason: "the bucket name is empty") }
        guard bucket.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_") })
        else {
            throw S3LocationError(text: text, reason: "'\(bucket)' is not a valid bucket name")
        }
        self.bucket = String(bucket)
        self.prefix = String(rest.dropFirst(bucket.count + 1))
    }

    /// Whether an object is in this bucket under this prefix.
    public func contains(_ object: S3ObjectReference) -> Bool {
        object.bucket == bucket && object.key.hasPrefix(prefix)
    }

    /// `s3://bucket/prefix`.
    public var description: String { "s3://\(bucket)/\(prefix)" }
}

/// Text that is not an `s3://bucket/prefix` location.
public struct S3LocationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text given.
    public var text: String
    /// What is wrong with it.
    public var reason: String

    /// A sentence naming the text and the reason.
    public var description: String { "'\(text)' is not an S3 location (s3://bucket/prefix): \(reason)" }
}
