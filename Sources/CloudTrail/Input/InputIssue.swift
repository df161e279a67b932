/// A problem met while reading an input: a record that could not be read (the rest of the input goes on) or
/// an input that could not be read at all or to its end.
///
/// `description` names the input, the position and the reason, never event content.
public struct InputIssue: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, switchable code.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The path does not exist or no file matches the glob pattern.
        public static let notFound = Code(rawValue: "not-found")
        /// The input exists but cannot be opened or read (permissions, I/O error, not a regular file).
        public static let unreadable = Code(rawValue: "unreadable")
        /// The input is empty (0 bytes, or only whitespace).
        public static let empty = Code(rawValue: "empty")
        /// The content is not JSON at all (the first value could not be read).
        public static let notJSON = Code(rawValue: "not-json")
        /// A document (line, array element, record) is not valid JSON; see ``InputIssue/jsonCode``.
        public static let invalidJSON = Code(rawValue: "invalid-json")
        /// A document is larger than ``InputOptions/maxDocumentBytes``; it was skipped.
        public static let documentTooLarge = Code(rawValue: "document-too-large")
        /// A document nests deeper than ``InputOptions/maxDepth``.
        public static let depthLimit = Code(rawValue: "depth-limit")
        /// The input ended inside a document.
        public static let truncated = Code(rawValue: "truncated")
        /// A JSON value that is not an object where a record was expected.
        public static let notARecord = Code(rawValue: "not-a-record")
        /// The gzip data is corrupt (zlib reported a data error).
        public static let gzipCorrupt = Code(rawValue: "gzip-corrupt")
        /// The gzip stream ended before its end marker (a partial download?).
        public static let gzipTruncated = Code(rawValue: "gzip-truncated")
        /// Bytes after the end of the gzip stream that are not another gzip member.
        public static let gzipTrailingData = Code(rawValue: "gzip-trailing-data")
        /// Decompression expanded the data more than ``InputOptions/maxInflateRatio`` (a zip bomb?).
        public static let inflateRatio = Code(rawValue: "inflate-ratio")
    }

    /// What kind of problem it is.
    public var code: Code
    /// What went wrong, in words.
    public var message: String
    /// The input (file path, `-` for standard input).
    public var path: String
    /// 1-based line in the (decompressed) input, when known.
    public var line: Int?
    /// 0-based byte offset in the (decompressed) input, when known.
    public var byteOffset: Int?
    /// For ``Code/invalidJSON``: the scanner's code.
    public var jsonCode: JSONError.Code?

    /// Creates an issue.
    public init(code: Code, message: String, path: String, line: Int? = nil, byteOffset: Int? = nil,
                jsonCode: JSONError.Code? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.line = line
        self.byteOffset = byteOffset
        self.jsonCode = jsonCode
    }

    /// `path:line: (byte N) message [code]`.
    public var description: String {
        var place = path
        if let line { place += ":\(line)" }
        var text = "\(place): "
        if let byteOffset { text += "(byte \(byteOffset)) " }
        text += message
        text += jsonCode.map { " [\(code)/\($0)]" } ?? " [\(code)]"
        return text
    }
}
