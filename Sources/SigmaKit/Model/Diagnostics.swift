/// A position in a rule file: 1-based line and column, as a rule author's editor shows it.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The file the rule came from (as given to the loader), or a label such as `<memory>`.
    public var path: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in Unicode scalars (libyaml's convention).
    public var column: Int

    public init(path: String, line: Int, column: Int) {
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String { "\(path):\(line):\(column)" }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.path, lhs.line, lhs.column) < (rhs.path, rhs.line, rhs.column)
    }
}

/// Why a rule, a value or a condition was refused. Codes are stable strings so tools can switch on them.
public struct RuleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, switchable error code (GRDB's `ResultCode` pattern: a struct, so codes can be added).
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file could not be read, or is not UTF-8.
        public static let unreadable = Code(rawValue: "unreadable")
        /// The YAML itself is malformed.
        public static let yamlSyntax = Code(rawValue: "yaml-syntax")
        /// A mapping repeats a key (decision D8).
        public static let duplicateKey = Code(rawValue: "duplicate-key")
        /// A document is too large or too deeply nested / aliased to be a rule (alias bombs and the like).
        public static let resourceLimit = Code(rawValue: "resource-limit")
        /// A required attribute is absent.
        public static let missingAttribute = Code(rawValue: "missing-attribute")
        /// An attribute has the wrong type or an invalid value.
        public static let invalidAttribute = Code(rawValue: "invalid-attribute")
        /// The detection section is malformed.
        public static let invalidDetection = Code(rawValue: "invalid-detection")
        /// An unknown value modifier (names are case-sensitive).
        public static let unknownModifier = Code(rawValue: "unknown-modifier")
        /// Modifiers that cannot be chained, or a modifier applied to a value of the wrong type.
        public static let invalidModifier = Code(rawValue: "invalid-modifier")
        /// A value that cannot be used (bad regex, bad CIDR, bad number...).
        public static let invalidValue = Code(rawValue: "invalid-value")
        /// The condition does not parse, or names/selects no detection.
        public static let invalidCondition = Code(rawValue: "invalid-condition")
        /// A correlation rule is malformed or references unknown rules.
        public static let invalidCorrelation = Code(rawValue: "invalid-correlation")
        /// A filter document is malformed.
        public static let invalidFilter = Code(rawValue: "invalid-filter")
        /// A placeholder (`%name%` with `|expand`) that no configuration resolves.
        public static let unresolvedPlaceholder = Code(rawValue: "unresolved-placeholder")
        /// A construct the engine does not support (decision D13: never skipped silently).
        public static let unsupported = Code(rawValue: "unsupported")
    }

    public var code: Code
    /// A sentence a rule author understands.
    public var message: String
    /// Where the problem is, when known.
    public var location: SourceLocation?

    public init(_ code: Code, _ message: String, at location: SourceLocation? = nil) {
        self.code = code
        self.message = message
        self.location = location
    }

    public var description: String {
        if let location { return "\(location): error: \(message) [\(code)]" }
        return "error: \(message) [\(code)]"
    }
}

/// A finding of the loader or the linter: an error rejects the document, a warning does not.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case warning, error
        public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
    }

    public var severity: Severity
    public var code: String
    public var message: String
    public var location: SourceLocation?

    public init(severity: Severity, code: String, message: String, location: SourceLocation?) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
    }

    public init(_ error: RuleError) {
        self.init(severity: .error, code: error.code.rawValue, message: error.message, location: error.location)
    }

    /// `path:line:col: error|warning: message [code]`, the format compilers use so editors can jump to it.
    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        return "\(place)\(severity.rawValue): \(message) [\(code)]"
    }
}
