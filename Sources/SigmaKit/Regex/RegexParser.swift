/// The parsed form of a regular expression, after flags have been applied (RE2's `Regexp` tree, simplified:
/// captures are plain groups because matching only answers yes or no).
indirect enum RegexNode: Sendable {
    /// Matches the empty string.
    case empty
    /// One code point; `fold` is the `i` flag in force where it was written.
    case literal(UInt32, fold: Bool)
    /// A character class, already case-folded and negated as needed.
    case charSet(RegexCharSet)
    /// A zero-width assertion.
    case assertion(RegexAssertion)
    case concat([RegexNode])
    case alternate([RegexNode])
    /// `min...max` repetitions; `max == -1` means unbounded.
    case `repeat`(RegexNode, min: Int, max: Int)
    case group(RegexNode)
}

/// Zero-width assertions (RE2's empty-width ops).
enum RegexAssertion: Int32, Sendable {
    /// `\A`, or `^` without the `m` flag.
    case beginText
    /// `\z`, or `$` without the `m` flag (RE2: never "before a final newline", unlike Python).
    case endText
    /// `^` with the `m` flag.
    case beginLine
    /// `$` with the `m` flag.
    case endLine
    /// `\b`: ASCII word boundary, as RE2 (Python's is Unicode-aware).
    case wordBoundary
    /// `\B`.
    case notWordBoundary
}

/// Turns RE2 syntax into a ``RegexNode`` tree, rejecting what RE2 rejects with a message that names the
/// construct and its offset (0-based, in Unicode scalars of the pattern).
struct RegexParser {
    /// Deepest group and repetition nesting accepted. RE2 itself goes deeper; the cap keeps the recursive
    /// compiler within a task's stack on hostile input.
    static let maxNesting = 1000
    /// RE2's `{n,m}` limit, which also bounds the product of nested counted repetitions.
    static let maxRepeat = 1000

    struct Flags {
        var foldCase = false
        var multiline = false
        var dotNL = false
    }

    private let chars: [Unicode.Scalar]
    private let pattern: String
    private var pos = 0
    private var flags: Flags
    private var classCache: [String: RegexCharSet] = [:]

    init(pattern: String, flags: SigmaRegex.Flags) {
        self.pattern = pattern
        self.chars = Array(pattern.unicodeScalars)
        self.flags = Flags(
            foldCase: flags.contains(.ignoreCase),
            multiline: flags.contains(.multiline),
            dotNL: flags.contains(.dotAll)
        )
    }

    // MARK: Errors

    /// The pattern as messages quote it: long patterns are cut so an error stays readable.
    static func quoted(_ pattern: String) -> String {
        let scalars = pattern.unicodeScalars
        return scalars.count <= 120 ? "'\(pattern)'" : "'\(String(scalars.prefix(100)))…'"
    }

    /// A construct as messages quote it, cut when an unterminated one runs to the end of a long pattern.
    private static func construct(_ text: String) -> String {
        text.unicodeScalars.count <= 40 ? text : String(text.unicodeScalars.prefix(32)) + "…"
    }

    private func invalid(_ what: String, _ text: String, at offset: Int) -> RuleError {
        RuleError(
            .invalidValue,
            "regular expression \(Self.quoted(pattern)): \(what) '\(Self.construct(text))' at offset \(offset)"
        )
    }

    private func unsupported(_ what: String, _ text: String, at offset: Int) -> RuleError {
        RuleError(
            .unsupported,
            "regular expression \(Self.quoted(pattern)): \(what) '\(Self.construct(text))' at offset \(offset) "
                + "is not supported"
                + " (RE2 syntax, as pySigma 2.0.1 compiles it)"
        )
    }

    private func text(_ from: Int, _ to: Int) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: chars[max(0, from)..<min(to, chars.count)])
        return String(s)
    }

    // MARK: Parse stack

    /// An open group (or the whole pattern) being parsed.
    private struct Frame {
        var branches: [RegexNode] = []
        var items: [RegexNode] = []
        /// Nesting depth of each item, parallel to `items`.
        var depths: [Int] = []
        var branchDepth = 0
        var savedFlags: Flags
        var openOffset: Int
    }

    private static func concat(_ items: [RegexNode]) -> RegexNode {
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concat(items)
        }
    }

    mutating func parse() throws(RuleError) -> RegexNode {
        var stack: [Frame] = [Frame(savedFlags: flags, openOffset: -1)]
        // Start offset of the previous token when it was a repetition operator (RE2 rejects `a**`).
        var lastRepeat: Int? = nil
        while pos < chars.count {
            let start = pos
            let c = chars[pos]
            var isRepeat: Int? = nil
            switch c {
            case "(":
                if pos + 1 < chars.count && chars[pos + 1] == "?" {
                    let group = try parsePerlFlags()
                    if group.opens {
                        stack.append(Frame(savedFlags: group.saved, openOffset: start))
                        if stack.count > Self.maxNesting { throw nestingError(at: start) }
                    }
                } else {
                    pos += 1
                    stack.append(Frame(savedFlags: flags, openOffset: start))
                    if stack.count > Self.maxNesting { throw nestingError(at: start) }
                }
            case "|":
                pos += 1
                finishBranch(&stack[stack.count - 1])
            case ")":
                guard stack.count > 1 else { throw invalid("unexpected", ")", at: start) }
                pos += 1
                var frame = stack.removeLast()
                finishBranch(&frame)
                flags = frame.savedFlags
                let node: RegexNode = frame.branches.count == 1 ? frame.branches[0] : .alternate(frame.branches)
                let depth = frame.branchDepth + 1
                if depth > Self.maxNesting { throw nestingError(at: start) }
                stack[stack.count - 1].items.append(.group(node))
                stack[stack.count - 1].depths.append(depth)
            case "^":
                pos += 1
                push(.assertion(flags.multiline ? .beginLine : .beginText), &stack)
            case "$":
                pos += 1
                push(.assertion(flags.multiline ? .endLine : .endText), &stack)
            case ".":
                pos += 1
                var set = RegexCharSet()
                if flags.dotNL {
                    set.add(0, RegexCharSet.maxRune)
                } else {
                    set.add(0, 9)
                    set.add(11, RegexCharSet.maxRune)
                }
                push(.charSet(set), &stack)
            case "[":
                push(.charSet(try parseClass()), &stack)
            case "*", "+", "?":
                pos += 1
                var lazy = false
                if pos < chars.count && chars[pos] == "?" {
                    pos += 1
                    lazy = true
                }
                _ = lazy  // greedy and lazy forms match the same strings; only yes/no is asked
                if let previous = lastRepeat { throw badRepeatOperator(from: previous, current: start) }
                let (min, max) = c == "*" ? (0, -1) : c == "+" ? (1, -1) : (0, 1)
                try applyRepeat(min: min, max: max, opStart: start, &stack)
                isRepeat = start
            case "{":
                if let (lo, hi, end) = maybeParseRepeat(at: pos) {
                    pos = end
                    if pos < chars.count && chars[pos] == "?" { pos += 1 }
                    if let previous = lastRepeat { throw badRepeatOperator(from: previous, current: start) }
                    if (hi != -1 && hi < lo) || lo > Self.maxRepeat || hi > Self.maxRepeat {
                        throw invalid("invalid repetition size", text(start, end), at: start)
                    }
                    try applyRepeat(min: lo, max: hi, opStart: start, &stack)
                    isRepeat = start
                } else {
                    pos += 1
                    push(.literal(0x7B, fold: flags.foldCase), &stack)
                }
            case "\\":
                try parseEscapeAtom(&stack)
            default:
                pos += 1
                push(.literal(c.value, fold: flags.foldCase), &stack)
            }
            lastRepeat = isRepeat
        }
        if stack.count > 1 {
            let open = stack[stack.count - 1].openOffset
            throw invalid("missing ) for the group opened", text(open, open + 1), at: open)
        }
        finishBranch(&stack[0])
        return stack[0].branches.count == 1 ? stack[0].branches[0] : .alternate(stack[0].branches)
    }

    private func nestingError(at offset: Int) -> RuleError {
        RuleError(
            .unsupported,
            "regular expression \(Self.quoted(pattern)): groups or repetitions nested deeper than "
                + "\(Self.maxNesting) at offset \(offset) are not supported"
        )
    }

    /// A repetition operator right after another one: `a**` is an error in RE2, and `a*+` / `a{2}+` are
    /// possessive quantifiers of other dialects.
    private func badRepeatOperator(from previous: Int, current: Int) -> RuleError {
        let op = text(previous, pos)
        if text(current, pos) == "+" {
            return unsupported("possessive quantifier", op, at: previous)
        }
        return invalid("bad repetition operator", op, at: previous)
    }

    private func finishBranch(_ frame: inout Frame) {
        frame.branches.append(Self.concat(frame.items))
        frame.branchDepth = max(frame.branchDepth, frame.depths.max() ?? 0)
        frame.items = []
        frame.depths = []
    }

    private func push(_ node: RegexNode, _ stack: inout [Frame]) {
        stack[stack.count - 1].items.append(node)
        stack[stack.count - 1].depths.append(0)
    }

    /// Applies a repetition to the last item, as RE2's `PushRepeatOp` / `PushRepetition` do.
    private func applyRepeat(min: Int, max: Int, opStart: Int, _ stack: inout [Frame]) throws(RuleError) {
        let top = stack.count - 1
        guard let last = stack[top].items.last, let lastDepth = stack[top].depths.last else {
            throw invalid("no argument for repetition operator", text(opStart, pos), at: opStart)
        }
        var node: RegexNode = .repeat(last, min: min, max: max)
        var depth = lastDepth + 1
        // RE2 squashes a star/plus/quest applied to a star/plus/quest (reachable through `a*(?i)+`).
        if case .repeat(let inner, let iMin, let iMax) = last, Self.isSimple(iMin, iMax), Self.isSimple(min, max) {
            node = (iMin == min && iMax == max) ? last : .repeat(inner, min: 0, max: -1)
            depth = lastDepth
        }
        if depth > Self.maxNesting { throw nestingError(at: opStart) }
        if (min >= 2 || max >= 2) && Self.repetitionBudget(node, Self.maxRepeat) == 0 {
            throw invalid("invalid repetition size", text(opStart, pos), at: opStart)
        }
        stack[top].items[stack[top].items.count - 1] = node
        stack[top].depths[stack[top].depths.count - 1] = depth
    }

    private static func isSimple(_ min: Int, _ max: Int) -> Bool {
        (min == 0 || min == 1) && (max == -1 || (min == 0 && max == 1))
    }

    /// RE2's `RepetitionWalker`: divides the budget by each counted repetition on the way down; 0 means some
    /// path nests counts whose product exceeds 1000.
    private static func repetitionBudget(_ node: RegexNode, _ budget: Int) -> Int {
        switch node {
        case .empty, .literal, .charSet, .assertion:
            return budget
        case .group(let inner):
            return repetitionBudget(inner, budget)
        case .concat(let items), .alternate(let items):
            var result = budget
            for item in items { result = Swift.min(result, repetitionBudget(item, budget)) }
            return result
        case .repeat(let inner, let min, let max):
            var arg = budget
            // `*`, `+` and `?` are separate ops in RE2, so they do not divide.
            if !isSimple(min, max) {
                let m = max < 0 ? min : max
                if m > 0 { arg /= m }
            }
            return repetitionBudget(inner, arg)
        }
    }

    /// RE2's `MaybeParseRepeat`: `{n}`, `{n,}` or `{n,m}` without leading zeros; anything else is a literal `{`.
    private func maybeParseRepeat(at start: Int) -> (Int, Int, Int)? {
        var i = start + 1
        func integer() -> Int? {
            guard i < chars.count, chars[i].isASCII, ("0"..."9").contains(chars[i]) else { return nil }
            if chars[i] == "0" && i + 1 < chars.count && chars[i + 1].isASCII
                && ("0"..."9").contains(chars[i + 1])
            {
                return nil
            }
            var n = 0
            while i < chars.count && chars[i].isASCII && ("0"..."9").contains(chars[i]) {
                if n >= 100_000_000 { return nil }
                n = n * 10 + Int(chars[i].value - 0x30)
                i += 1
            }
            return n
        }
        guard let lo = integer(), i < chars.count else { return nil }
        var hi = lo
        if chars[i] == "," {
            i += 1
            guard i < chars.count else { return nil }
            if chars[i] == "}" {
                hi = -1
            } else {
                guard let h = integer() else { return nil }
                hi = h
            }
        }
        guard i < chars.count, chars[i] == "}" else { return nil }
        return (lo, hi, i + 1)
    }

    // MARK: (? ... ) forms

    /// Parses `(?flags)`, `(?flags:`, `(?P<name>` and `(?<name>`; returns whether a group opens, and the
    /// flags to restore when it closes.
    private mutating func parsePerlFlags() throws(RuleError) -> (opens: Bool, saved: Flags) {
        let start = pos
        let rest = chars.count - pos
        let c2: Unicode.Scalar? = rest > 2 ? chars[pos + 2] : nil
        let c3: Unicode.Scalar? = rest > 3 ? chars[pos + 3] : nil
        // Constructs of other dialects, named so the rule author knows what to rewrite.
        switch (c2, c3) {
        case ("=", _): throw unsupported("lookahead assertion", "(?=", at: start)
        case ("!", _): throw unsupported("negative lookahead assertion", "(?!", at: start)
        case ("<", "="): throw unsupported("lookbehind assertion", "(?<=", at: start)
        case ("<", "!"): throw unsupported("negative lookbehind assertion", "(?<!", at: start)
        case (">", _): throw unsupported("atomic group", "(?>", at: start)
        case ("(", _): throw unsupported("conditional", "(?(", at: start)
        case ("#", _): throw unsupported("comment group", "(?#", at: start)
        case ("'", _): throw unsupported("named group with quotes", "(?'", at: start)
        case ("|", _): throw unsupported("branch reset group", "(?|", at: start)
        case ("P", "="): throw unsupported("named backreference", "(?P=", at: start)
        case ("P", ">"): throw unsupported("named subroutine call", "(?P>", at: start)
        case ("R", _), ("&", _), ("+", _): throw unsupported("recursion", text(start, start + 3), at: start)
        default: break
        }
        if let c2, ("0"..."9").contains(c2) { throw unsupported("recursion", text(start, start + 3), at: start) }
        if (c2 == "P" && c3 == "<") || c2 == "<" {
            let begin = c2 == "P" ? pos + 4 : pos + 3
            var end = pos + 2
            while end < chars.count && chars[end] != ">" { end += 1 }
            guard end < chars.count else {
                throw invalid("invalid named capture group", text(start, chars.count), at: start)
            }
            let name = chars[begin..<end]
            if name.isEmpty || !name.allSatisfy(Self.isCaptureNameChar) {
                throw invalid("invalid named capture group", text(start, end + 1), at: start)
            }
            pos = end + 1
            return (true, flags)
        }
        var i = pos + 2
        var negated = false
        var sawFlag = false
        var newFlags = flags
        var opens = false
        loop: while true {
            guard i < chars.count else {
                throw invalid("invalid or unterminated flag group", text(start, i), at: start)
            }
            let c = chars[i]
            i += 1
            switch c {
            case "i":
                sawFlag = true
                newFlags.foldCase = !negated
            case "m":
                sawFlag = true
                newFlags.multiline = !negated
            case "s":
                sawFlag = true
                newFlags.dotNL = !negated
            case "U":
                // Ungreedy swaps lazy and greedy; irrelevant to whether a match exists.
                sawFlag = true
            case "-":
                if negated { throw invalid("invalid flag group", text(start, i), at: start) }
                negated = true
                sawFlag = false
            case ":":
                opens = true
                break loop
            case ")":
                break loop
            case "x":
                throw unsupported("verbose flag", text(start, i), at: start)
            case "a", "u", "L", "n", "J", "X", "^":
                throw unsupported("inline flag", text(start, i), at: start)
            default:
                throw invalid("invalid flag group", text(start, i), at: start)
            }
        }
        if negated && !sawFlag { throw invalid("invalid flag group", text(start, i), at: start) }
        let saved = flags
        flags = newFlags
        pos = i
        return (opens, saved)
    }

    /// RE2 accepts capture names made of letters, marks, decimal and letter numbers and connector
    /// punctuation (Python 3 identifiers without the first-character rule).
    private static func isCaptureNameChar(_ c: Unicode.Scalar) -> Bool {
        if c.isASCII {
            return ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_"
        }
        for name in ["Lu", "Ll", "Lt", "Lm", "Lo", "Nl", "Mn", "Mc", "Nd", "Pc"] {
            if let set = RegexNamedClass.unicode(name), set.contains(c.value) { return true }
        }
        return false
    }

    // MARK: Escapes

    private mutating func parseEscapeAtom(_ stack: inout [Frame]) throws(RuleError) {
        let start = pos
        guard pos + 1 < chars.count else { throw invalid("trailing backslash", "\\", at: start) }
        let c = chars[pos + 1]
        switch c {
        case "A":
            pos += 2
            push(.assertion(.beginText), &stack)
        case "z":
            pos += 2
            push(.assertion(.endText), &stack)
        case "b":
            pos += 2
            push(.assertion(.wordBoundary), &stack)
        case "B":
            pos += 2
            push(.assertion(.notWordBoundary), &stack)
        case "C":
            // RE2 accepts \C (one byte, even inside a UTF-8 sequence); matching here is per code point.
            throw unsupported("single-byte escape", "\\C", at: start)
        case "Q":
            pos += 2
            while pos < chars.count {
                if chars[pos] == "\\" && pos + 1 < chars.count && chars[pos + 1] == "E" {
                    pos += 2
                    break
                }
                push(.literal(chars[pos].value, fold: flags.foldCase), &stack)
                pos += 1
            }
        case "p", "P":
            push(.charSet(try parseUnicodeClass()), &stack)
        case "d", "D", "s", "S", "w", "W":
            pos += 2
            push(.charSet(perlClass(c)), &stack)
        default:
            let r = try parseSingleEscape()
            push(.literal(r, fold: flags.foldCase), &stack)
        }
    }

    private mutating func perlClass(_ c: Unicode.Scalar) -> RegexCharSet {
        let key = "perl:\(c):\(flags.foldCase)"
        if let cached = classCache[key] { return cached }
        var set = RegexCharSet()
        if let (group, negated) = RegexNamedClass.perl(c) {
            RegexNamedClass.add(RegexNamedClass.set(of: group), negated: negated, fold: flags.foldCase, to: &set)
        }
        classCache[key] = set
        return set
    }

    /// RE2's `ParseEscape`: one code point (octal, hex, C escapes, escaped punctuation).
    private mutating func parseSingleEscape() throws(RuleError) -> UInt32 {
        let start = pos
        guard pos + 1 < chars.count else { throw invalid("trailing backslash", "\\", at: start) }
        let c = chars[pos + 1]
        pos += 2
        func isOctal(_ i: Int) -> Bool { i < chars.count && ("0"..."7").contains(chars[i]) }
        switch c {
        case "1", "2", "3", "4", "5", "6", "7", "0":
            // \1-\7 alone are backreferences; followed by an octal digit they are octal escapes (RE2).
            if c != "0" && !isOctal(pos) {
                throw unsupported("backreference", text(start, pos), at: start)
            }
            var code = c.value - 0x30
            if isOctal(pos) {
                code = code * 8 + chars[pos].value - 0x30
                pos += 1
                if isOctal(pos) {
                    code = code * 8 + chars[pos].value - 0x30
                    pos += 1
                }
            }
            return code
        case "8", "9":
            throw unsupported("backreference", text(start, pos), at: start)
        case "x":
            guard pos < chars.count else { throw invalid("invalid escape sequence", "\\x", at: start) }
            if chars[pos] == "{" {
                pos += 1
                var code: UInt32 = 0
                var digits = 0
                while pos < chars.count, let h = Self.hexValue(chars[pos]) {
                    code = code * 16 + h
                    digits += 1
                    pos += 1
                    if code > RegexCharSet.maxRune {
                        throw invalid("invalid escape sequence", text(start, pos), at: start)
                    }
                }
                guard digits > 0, pos < chars.count, chars[pos] == "}" else {
                    throw invalid("invalid escape sequence", text(start, pos + 1), at: start)
                }
                pos += 1
                return code
            }
            guard pos + 1 < chars.count, let h1 = Self.hexValue(chars[pos]), let h2 = Self.hexValue(chars[pos + 1])
            else {
                throw invalid("invalid escape sequence", text(start, pos + 2), at: start)
            }
            pos += 2
            return h1 * 16 + h2
        case "a": return 0x07
        case "f": return 0x0C
        case "n": return 0x0A
        case "r": return 0x0D
        case "t": return 0x09
        case "v": return 0x0B
        case "Z":
            throw unsupported("end-of-text-or-before-final-newline anchor", "\\Z", at: start)
        case "G":
            throw unsupported("end-of-previous-match anchor", "\\G", at: start)
        case "k", "g":
            throw unsupported("backreference", text(start, pos), at: start)
        case "K":
            throw unsupported("match reset", "\\K", at: start)
        case "u", "U":
            throw unsupported("\\u escape (write \\x{hhhh})", text(start, pos), at: start)
        case "e":
            throw unsupported("escape character escape (write \\x1b)", "\\e", at: start)
        case "c":
            throw unsupported("control character escape", text(start, pos), at: start)
        case "N":
            throw unsupported("named character escape", "\\N", at: start)
        case "R", "X", "h", "H", "V":
            throw unsupported("escape", text(start, pos), at: start)
        case "E":
            throw invalid("\\E without a preceding \\Q", "\\E", at: start)
        default:
            // Escaped ASCII punctuation (and space) stands for itself; `\_` too, as in RE2.
            if c.isASCII && !(("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)) {
                return c.value
            }
            throw invalid("invalid escape sequence", text(start, pos), at: start)
        }
    }

    private static func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": return c.value - 0x30
        case "a"..."f": return c.value - 0x61 + 10
        case "A"..."F": return c.value - 0x41 + 10
        default: return nil
        }
    }

    /// `\pL`, `\p{Greek}`, `\p{^Greek}`, `\PL`, `\P{Greek}`.
    private mutating func parseUnicodeClass() throws(RuleError) -> RegexCharSet {
        let start = pos
        var negated = chars[pos + 1] == "P"
        pos += 2
        guard pos < chars.count else {
            throw invalid("invalid Unicode class", text(start, pos), at: start)
        }
        var name: String
        if chars[pos] == "{" {
            var end = pos + 1
            while end < chars.count && chars[end] != "}" { end += 1 }
            guard end < chars.count else {
                throw invalid("invalid Unicode class", text(start, chars.count), at: start)
            }
            name = text(pos + 1, end)
            pos = end + 1
        } else {
            name = String(chars[pos])
            pos += 1
        }
        if name.hasPrefix("^") {
            negated.toggle()
            name.removeFirst()
        }
        let key = "p:\(name):\(negated):\(flags.foldCase)"
        if let cached = classCache[key] { return cached }
        guard let group = RegexNamedClass.unicode(name) else {
            throw invalid("unknown Unicode class (RE2 knows general categories and scripts)", text(start, pos),
                at: start)
        }
        var set = RegexCharSet()
        RegexNamedClass.add(group, negated: negated, fold: flags.foldCase, to: &set)
        classCache[key] = set
        return set
    }

    // MARK: Bracket classes

    /// RE2's `ParseCharClass`.
    private mutating func parseClass() throws(RuleError) -> RegexCharSet {
        let start = pos
        pos += 1
        var set = RegexCharSet()
        var negated = false
        if pos < chars.count && chars[pos] == "^" {
            negated = true
            pos += 1
        }
        let fold = flags.foldCase
        var first = true
        while pos < chars.count && (chars[pos] != "]" || first) {
            first = false
            if pos + 2 < chars.count && chars[pos] == "[" && chars[pos + 1] == ":" {
                // [:name:] or [:^name:]; without a closing ":]" the "[" is an ordinary character.
                var end = pos + 2
                while end + 1 < chars.count && !(chars[end] == ":" && chars[end + 1] == "]") { end += 1 }
                if end + 1 < chars.count {
                    var name = text(pos + 2, end)
                    var neg = false
                    if name.hasPrefix("^") {
                        neg = true
                        name.removeFirst()
                    }
                    guard let group = RegexNamedClass.posix(name) else {
                        throw invalid("invalid POSIX class", text(pos, end + 2), at: pos)
                    }
                    RegexNamedClass.add(RegexNamedClass.set(of: group), negated: neg, fold: fold, to: &set)
                    pos = end + 2
                    continue
                }
            }
            if pos + 2 < chars.count && chars[pos] == "\\" && (chars[pos + 1] == "p" || chars[pos + 1] == "P") {
                set.add(try parseUnicodeClass())
                continue
            }
            if pos + 1 < chars.count && chars[pos] == "\\",
                let (group, neg) = RegexNamedClass.perl(chars[pos + 1])
            {
                RegexNamedClass.add(RegexNamedClass.set(of: group), negated: neg, fold: fold, to: &set)
                pos += 2
                continue
            }
            let rangeStart = pos
            let lo = try parseClassChar(classStart: start)
            var hi = lo
            if pos + 1 < chars.count && chars[pos] == "-" && chars[pos + 1] != "]" {
                pos += 1
                hi = try parseClassChar(classStart: start)
                if hi < lo {
                    throw invalid("invalid character class range", text(rangeStart, pos), at: rangeStart)
                }
            }
            if fold { set.addFolded(lo, hi) } else { set.add(lo, hi) }
        }
        guard pos < chars.count else {
            throw invalid("missing ] for the class opened", "[", at: start)
        }
        pos += 1
        return negated ? set.negated() : set
    }

    private mutating func parseClassChar(classStart: Int) throws(RuleError) -> UInt32 {
        guard pos < chars.count else { throw invalid("missing ] for the class opened", "[", at: classStart) }
        if chars[pos] == "\\" {
            if pos + 1 < chars.count {
                switch chars[pos + 1] {
                case "b", "B", "A", "z", "Q", "C", "p", "P", "d", "D", "s", "S", "w", "W":
                    throw invalid("invalid escape sequence in a class", text(pos, pos + 2), at: pos)
                default: break
                }
            }
            return try parseSingleEscape()
        }
        pos += 1
        return chars[pos - 1].value
    }
}
