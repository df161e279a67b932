import Foundation

/// A compiled `|re` value with search (unanchored) semantics.
///
/// TEMPORARY implementation over NSRegularExpression, to be replaced by the linear-time RE2-subset engine.
public struct SigmaRegex: Sendable, Hashable, CustomStringConvertible {
    public struct Flags: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let ignoreCase = Flags(rawValue: 1)
        public static let multiline = Flags(rawValue: 2)
        public static let dotAll = Flags(rawValue: 4)
    }

    public let pattern: String
    public let flags: Flags
    private let box: Box

    private final class Box: @unchecked Sendable {
        let regex: NSRegularExpression
        init(_ regex: NSRegularExpression) { self.regex = regex }
    }

    public init(pattern: String, flags: Flags = []) throws(RuleError) {
        self.pattern = pattern
        self.flags = flags
        var options: NSRegularExpression.Options = []
        if flags.contains(.ignoreCase) { options.insert(.caseInsensitive) }
        if flags.contains(.multiline) { options.insert(.anchorsMatchLines) }
        if flags.contains(.dotAll) { options.insert(.dotMatchesLineSeparators) }
        do {
            box = Box(try NSRegularExpression(pattern: pattern, options: options))
        } catch {
            throw RuleError(.invalidValue, "regular expression '\(pattern)' does not compile")
        }
    }

    public func matches(_ text: String) -> Bool {
        box.regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    public func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        matches(String(decoding: bytes, as: UTF8.self))
    }

    public var description: String { pattern }

    public static func == (a: SigmaRegex, b: SigmaRegex) -> Bool { a.pattern == b.pattern && a.flags == b.flags }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(pattern)
        hasher.combine(flags.rawValue)
    }
}
