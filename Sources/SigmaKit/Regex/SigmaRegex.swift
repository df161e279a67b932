/// A compiled `|re` value with search (unanchored) semantics, like Python's `re.search` and RE2's
/// `PartialMatch`.
///
/// The engine accepts the RE2 syntax that pySigma 2.0.1 accepts (it compiles `|re` values with google-re2)
/// and matches in time linear in the input (a Thompson NFA simulation; no backtracking), so a hostile rule
/// cannot hang a scan. Constructs RE2 refuses (lookaround, backreferences, possessive quantifiers, atomic
/// groups, conditionals, `\Z`...) are refused too, with the construct and its offset in the message.
///
/// Where RE2 and Python's `re` differ, this follows RE2:
/// - `$` without the `m` flag matches only at the very end of the text (Python also matches before a final
///   `\n`);
/// - `\b`, `\B`, `\w`, `\d`, `\s` and the POSIX classes are ASCII-only, and `\s` is `[\t\n\f\r ]` (no `\v`);
/// - `(?i)` uses RE2's simple case folding (so `(?i)k` matches the Kelvin sign and `(?i)s` the long s, but
///   `(?i)ß` never matches `ss`);
/// - `\1`-`\7` followed by an octal digit are octal escapes (`\12` is a newline), never backreferences;
/// - `\Q...\E`, `(?U)`, `\pN` and `\p{Greek}` are available; `\u`, `\Z`, `(?x)` and `(?#...)` are not.
///
/// One deviation from RE2: `\C` (one byte, even inside a UTF-8 sequence) is refused as unsupported, because
/// this engine matches code points. Groups nested more than 1000 deep are refused as well. In the other
/// direction, RE2 refuses some patterns only because its byte-level program grows too large (`\pL{1000}`);
/// programs here count code points, so those load.
public struct SigmaRegex: Sendable, Hashable, CustomStringConvertible {
    /// The `|re` flag modifiers (`i`, `m`, `s`), applied as if `(?ims)` led the pattern (as pySigma does).
    public struct Flags: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// `|i`: case-insensitive (Unicode simple case folding).
        public static let ignoreCase = Flags(rawValue: 1)
        /// `|m`: `^` and `$` also match at line starts and ends.
        public static let multiline = Flags(rawValue: 2)
        /// `|s`: `.` also matches `\n`.
        public static let dotAll = Flags(rawValue: 4)
    }

    /// A literal shape the engine can test without the regex machine (e.g. `^abc` → `.prefix("abc")`).
    public enum LiteralForm: Sendable, Hashable {
        /// The whole text equals the string (`^abc$`).
        case equals(String)
        /// The text starts with the string (`^abc`).
        case prefix(String)
        /// The text ends with the string (`abc$`).
        case suffix(String)
        /// The text contains the string (`abc`).
        case contains(String)
    }

    /// The pattern as written in the rule.
    public let pattern: String
    /// The flags given by modifiers (inline flags stay in ``pattern``).
    public let flags: Flags
    private let compiled: Compiled

    /// The immutable compiled form, shared by copies and across tasks.
    private final class Compiled: Sendable {
        let program: RegexProgram
        let literal: (form: LiteralForm, caseSensitive: Bool)?

        init(program: RegexProgram, literal: (form: LiteralForm, caseSensitive: Bool)?) {
            self.program = program
            self.literal = literal
        }
    }

    /// Compiles `pattern`.
    ///
    /// - Throws: ``RuleError`` with code `invalidValue` for malformed syntax or a pattern too large for RE2,
    ///   or `unsupported` for a construct RE2 (and therefore pySigma) refuses; the message names the
    ///   construct and its 0-based offset in Unicode scalars.
    public init(pattern: String, flags: Flags = []) throws(RuleError) {
        self.pattern = pattern
        self.flags = flags
        var parser = RegexParser(pattern: pattern, flags: flags)
        let node = try parser.parse()
        let program = try RegexProgram.compile(node, pattern: pattern)
        compiled = Compiled(program: program, literal: RegexAnalysis.literalForm(node))
    }

    /// Whether the pattern matches somewhere in `text`.
    public func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { RegexMatcher.search(compiled.program, $0) }
    }

    /// Whether the pattern matches somewhere in `bytes`, read as UTF-8 (invalid bytes match nothing).
    public func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        RegexMatcher.search(compiled.program, bytes)
    }

    /// The pattern as a plain string test, when it is one: literal code points, optionally anchored by
    /// `^`/`\A` at the start and `$`/`\z` at the end (not in multiline mode). `caseSensitive` is false when
    /// the literal is case-folded; compare it then with simple case folding, as RE2 does. Nil otherwise.
    public var literalForm: (form: LiteralForm, caseSensitive: Bool)? { compiled.literal }

    /// The pattern as written.
    public var description: String { pattern }

    /// Two regexes are equal when written the same way with the same flags.
    public static func == (a: SigmaRegex, b: SigmaRegex) -> Bool { a.pattern == b.pattern && a.flags == b.flags }

    /// Hashes the pattern and flags, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(pattern)
        hasher.combine(flags.rawValue)
    }
}
