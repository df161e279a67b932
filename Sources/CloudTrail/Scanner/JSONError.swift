/// Why a JSON text was refused by ``JSONScanner``, and where.
///
/// Positions are counted in the bytes handed to the scanner: `byteOffset` is 0-based, `line` and `column` are
/// 1-based (`column` counts bytes, not characters, so it stays exact for invalid UTF-8).
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, switchable error code.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A byte that cannot start or continue the JSON text at this point.
        public static let unexpectedByte = Code(rawValue: "unexpected-byte")
        /// The input ended inside a value (truncated document).
        public static let unexpectedEnd = Code(rawValue: "unexpected-end")
        /// The input holds only whitespace.
        public static let empty = Code(rawValue: "empty")
        /// Something other than whitespace follows the value.
        public static let trailingData = Code(rawValue: "trailing-data")
        /// A malformed number (`01`, `1.`, `-`, `1e`).
        public static let invalidNumber = Code(rawValue: "invalid-number")
        /// A backslash escape JSON does not define, or a `\u` without four hex digits.
        public static let invalidEscape = Code(rawValue: "invalid-escape")
        /// A `\uD800`-`\uDFFF` escape that is not part of a high+low surrogate pair.
        public static let loneSurrogate = Code(rawValue: "lone-surrogate")
        /// A raw control character (U+0000-U+001F) inside a string.
        public static let controlCharacter = Code(rawValue: "control-character")
        /// Bytes that are not well-formed UTF-8 inside a string.
        public static let invalidUTF8 = Code(rawValue: "invalid-utf8")
        /// Objects and arrays nested deeper than ``JSONLimits/maxDepth``.
        public static let depthLimit = Code(rawValue: "depth-limit")
        /// A document longer than ``JSONLimits/maxDocumentBytes``.
        public static let documentTooLarge = Code(rawValue: "document-too-large")
    }

    /// What kind of error it is.
    public var code: Code
    /// What is wrong, in words (never quotes event content).
    public var message: String
    /// 0-based offset of the offending byte (for ``Code/unexpectedEnd``: where the input ended).
    public var byteOffset: Int
    /// 1-based line of `byteOffset`.
    public var line: Int
    /// 1-based column of `byteOffset`, in bytes.
    public var column: Int

    /// Creates an error.
    public init(_ code: Code, _ message: String, byteOffset: Int, line: Int, column: Int) {
        self.code = code
        self.message = message
        self.byteOffset = byteOffset
        self.line = line
        self.column = column
    }

    public var description: String {
        "line \(line), column \(column) (byte \(byteOffset)): \(message) [\(code)]"
    }
}

/// Resource limits of the scanner; each one, when exceeded, is a ``JSONError`` of its own.
public struct JSONLimits: Sendable, Hashable {
    /// Deepest nesting of objects and arrays accepted (the top-level value is depth 1).
    public var maxDepth: Int
    /// Longest document accepted, in bytes.
    public var maxDocumentBytes: Int

    /// Default limits: depth 512, 256 MiB per document.
    public init(maxDepth: Int = 512, maxDocumentBytes: Int = 256 << 20) {
        self.maxDepth = max(1, maxDepth)
        // Tape offsets and indexes are 32-bit: a document is kept under 2 GiB.
        self.maxDocumentBytes = max(1, min(maxDocumentBytes, Int(Int32.max) - 1))
    }
}
