/// One instruction of the Thompson NFA.
struct RegexInst: Sendable {
    enum Op: UInt8, Sendable {
        /// Consumes the code point `arg`.
        case char
        /// Consumes a code point of class `arg` (an index into ``RegexProgram/classes``).
        case charClass
        /// Consumes any code point but `\n`.
        case anyNotNL
        /// Consumes any code point.
        case any
        /// Continues at `out` and at `arg`.
        case split
        /// Continues at `out`.
        case nop
        /// Continues at `out` when assertion `arg` holds here.
        case assert
        /// The pattern has matched.
        case match
    }

    var op: Op
    var out: Int32
    var arg: Int32
}

/// A class compiled for matching: a bitmap for ASCII, sorted ranges above it.
struct RegexClassMatcher: Sendable {
    var ascii0: UInt64 = 0
    var ascii1: UInt64 = 0
    /// `lo, hi` pairs of the ranges at or above 0x80.
    var high: [UInt32] = []

    init(_ set: RegexCharSet) {
        for i in 0..<set.rangeCount {
            let r = set.range(i)
            var c = r.lo
            while c <= r.hi && c < 128 {
                if c < 64 { ascii0 |= 1 << UInt64(c) } else { ascii1 |= 1 << UInt64(c - 64) }
                c += 1
            }
            if r.hi >= 128 { high += [max(r.lo, 128), r.hi] }
        }
    }

    @inline(__always)
    func contains(_ c: UInt32) -> Bool {
        if c < 64 { return ascii0 & (1 << UInt64(c)) != 0 }
        if c < 128 { return ascii1 & (1 << UInt64(c - 64)) != 0 }
        return containsHigh(c)
    }

    private func containsHigh(_ c: UInt32) -> Bool {
        high.withUnsafeBufferPointer { h in
            var lo = 0
            var hi = h.count / 2
            while lo < hi {
                let mid = (lo + hi) / 2
                if c > h[2 * mid + 1] {
                    lo = mid + 1
                } else if c < h[2 * mid] {
                    hi = mid
                } else {
                    return true
                }
            }
            return false
        }
    }

    /// Whether the class accepts some code point whose UTF-8 encoding starts with `byte`.
    func acceptsLeadByte(_ byte: UInt8) -> Bool {
        if byte < 0x80 { return contains(UInt32(byte)) }
        guard let (lo, hi) = RegexProgram.codePoints(withLeadByte: byte) else { return false }
        var i = 0
        while i < high.count {
            if high[i] <= hi && high[i + 1] >= lo { return true }
            i += 2
        }
        return false
    }
}

/// A compiled pattern: the NFA plus what the matcher can use to avoid running it.
struct RegexProgram: Sendable {
    /// RE2's program size limit under pySigma's default options: two thirds of the 8 MiB `max_mem` at 8 bytes
    /// an instruction, about 699,000 (measured: `a` repeated 698,992 times is the longest literal RE2 takes).
    /// This engine never needs more instructions than RE2 for the same pattern (a code point is one
    /// instruction here, one per UTF-8 byte or more there), so nothing RE2 accepts is refused for size.
    static let maxInstructions = 700_000

    var insts: [RegexInst] = []
    var classes: [RegexClassMatcher] = []
    var start: Int32 = 0
    /// Every match starts at offset 0 (`\A`, or `^` without `m`, leads every branch).
    var anchoredStart = false
    var hasAssertions = false
    /// Bytes a match can start with, when a match must consume at least one code point.
    var firstBytes: [Bool]? = nil
    /// RE2 starts matches at every byte offset, so an empty match that needs only `\B` (which holds between
    /// two bytes of one UTF-8 sequence) is found inside any multi-byte character. This is set when the
    /// pattern can match so; the matcher then reproduces RE2's answer.
    var emptyMatchInsideCharacter = false
    /// The fewest code points (so also bytes) a match consumes.
    var minimumLength = 0
    /// A single byte every match starts with.
    var singleFirstByte: UInt8? = nil
    /// UTF-8 bytes every match contains; `requiredFolded` marks ASCII letters compared case-insensitively.
    var required: [UInt8] = []
    var requiredFolded: [Bool] = []

    // MARK: Compilation

    private struct Fragment {
        var start: Int32
        /// Instructions whose `out` (false) or `arg` (true) still dangles.
        var holes: [(Int32, Bool)]
    }

    private struct TooLarge: Error {}

    /// Class indices by content, so `[a-z]{1000}` stores its class once.
    private var classIndex: [RegexCharSet: Int32] = [:]

    /// Compiles `node`; throws when the program would exceed ``maxInstructions``.
    static func compile(_ node: RegexNode, pattern: String) throws(RuleError) -> RegexProgram {
        var program = RegexProgram()
        do {
            let fragment = try program.emit(node)
            let matchPC = try program.append(RegexInst(op: .match, out: 0, arg: 0))
            program.patch(fragment.holes, to: matchPC)
            program.start = fragment.start
            program.classIndex = [:]
        } catch {
            throw RuleError(
                .invalidValue,
                "regular expression \(RegexParser.quoted(pattern)) is too large: it compiles to more than "
                    + "\(maxInstructions) instructions (RE2's limit under pySigma's default memory budget)"
            )
        }
        program.anchoredStart = Self.startsAnchored(node)
        program.minimumLength = RegexAnalysis.minimumLength(node)
        program.hasAssertions = program.insts.contains { $0.op == .assert }
        program.computeFirstBytes()
        program.emptyMatchInsideCharacter = program.reachesMatchInsideCharacter()
        let literal = RegexAnalysis.requiredLiteral(node)
        program.required = literal.bytes
        program.requiredFolded = literal.folded
        return program
    }

    private mutating func append(_ inst: RegexInst) throws(TooLarge) -> Int32 {
        if insts.count >= Self.maxInstructions { throw TooLarge() }
        insts.append(inst)
        return Int32(insts.count - 1)
    }

    private mutating func patch(_ holes: [(Int32, Bool)], to target: Int32) {
        for (pc, isArg) in holes {
            if isArg { insts[Int(pc)].arg = target } else { insts[Int(pc)].out = target }
        }
    }

    private mutating func emitClass(_ set: RegexCharSet) throws(TooLarge) -> Fragment {
        let pc: Int32
        if let c = set.singleton {
            pc = try append(RegexInst(op: .char, out: -1, arg: Int32(bitPattern: c)))
        } else if set.rangeCount == 1 && set.range(0) == (0, RegexCharSet.maxRune) {
            pc = try append(RegexInst(op: .any, out: -1, arg: 0))
        } else if set.rangeCount == 2 && set.range(0) == (0, 9) && set.range(1) == (11, RegexCharSet.maxRune) {
            pc = try append(RegexInst(op: .anyNotNL, out: -1, arg: 0))
        } else {
            let index: Int32
            if let known = classIndex[set] {
                index = known
            } else {
                classes.append(RegexClassMatcher(set))
                index = Int32(classes.count - 1)
                classIndex[set] = index
            }
            pc = try append(RegexInst(op: .charClass, out: -1, arg: index))
        }
        return Fragment(start: pc, holes: [(pc, false)])
    }

    private mutating func emit(_ node: RegexNode) throws(TooLarge) -> Fragment {
        switch node {
        case .empty:
            let pc = try append(RegexInst(op: .nop, out: -1, arg: 0))
            return Fragment(start: pc, holes: [(pc, false)])
        case .literal(let c, let fold):
            if fold && RegexCharSet.hasFold(c) { return try emitClass(RegexCharSet.foldOrbit(c)) }
            var set = RegexCharSet()
            set.add(c, c)
            return try emitClass(set)
        case .charSet(let set):
            return try emitClass(set)
        case .assertion(let kind):
            let pc = try append(RegexInst(op: .assert, out: -1, arg: kind.rawValue))
            return Fragment(start: pc, holes: [(pc, false)])
        case .group(let inner):
            return try emit(inner)
        case .concat(let items):
            var result: Fragment? = nil
            for item in items {
                let next = try emit(item)
                if let current = result {
                    patch(current.holes, to: next.start)
                    result = Fragment(start: current.start, holes: next.holes)
                } else {
                    result = next
                }
            }
            if let result { return result }
            return try emit(.empty)
        case .alternate(let branches):
            // A chain of splits, each trying one branch or the rest.
            var starts: [Int32] = []
            var holes: [(Int32, Bool)] = []
            for branch in branches {
                let fragment = try emit(branch)
                starts.append(fragment.start)
                holes += fragment.holes
            }
            guard var entry = starts.last else { return try emit(.empty) }
            for s in starts.dropLast().reversed() {
                entry = try append(RegexInst(op: .split, out: s, arg: entry))
            }
            return Fragment(start: entry, holes: holes)
        case .repeat(let inner, let min, let max):
            return try emitRepeat(inner, min: min, max: max)
        }
    }

    private mutating func emitRepeat(_ inner: RegexNode, min: Int, max: Int) throws(TooLarge) -> Fragment {
        if max == 0 { return try emit(.empty) }
        var pieces: [Fragment] = []
        // Mandatory copies; with no upper bound the last one loops (x{2,} is x x+).
        let mandatory = max == -1 ? Swift.max(min - 1, 0) : min
        for _ in 0..<mandatory { pieces.append(try emit(inner)) }
        if max == -1 {
            let body = try emit(inner)
            let loop = try append(RegexInst(op: .split, out: body.start, arg: -1))
            patch(body.holes, to: loop)
            // x+ enters the body; x* (min 0) enters the loop test.
            pieces.append(Fragment(start: min == 0 ? loop : body.start, holes: [(loop, true)]))
        } else if max > min {
            // (x(x(x)?)?)? written out: each optional copy may stop the repetition.
            var exits: [(Int32, Bool)] = []
            var previousHoles: [(Int32, Bool)]? = nil
            var firstStart: Int32 = -1
            for _ in min..<max {
                let body = try emit(inner)
                let gate = try append(RegexInst(op: .split, out: body.start, arg: -1))
                if let holes = previousHoles { patch(holes, to: gate) } else { firstStart = gate }
                exits.append((gate, true))
                previousHoles = body.holes
            }
            pieces.append(Fragment(start: firstStart, holes: exits + (previousHoles ?? [])))
        }
        guard var result = pieces.first else { return try emit(.empty) }
        for piece in pieces.dropFirst() {
            patch(result.holes, to: piece.start)
            result = Fragment(start: result.start, holes: piece.holes)
        }
        return result
    }

    // MARK: Analysis

    private static func startsAnchored(_ node: RegexNode) -> Bool {
        switch node {
        case .assertion(.beginText): return true
        case .group(let inner): return startsAnchored(inner)
        case .concat(let items): return items.first.map(startsAnchored) ?? false
        case .alternate(let branches): return !branches.isEmpty && branches.allSatisfy(startsAnchored)
        case .repeat(let inner, let min, _): return min > 0 && startsAnchored(inner)
        default: return false
        }
    }

    /// Whether the match instruction is reachable without consuming anything where only `\B` holds.
    private func reachesMatchInsideCharacter() -> Bool {
        var seen = [Bool](repeating: false, count: insts.count)
        var stack: [Int32] = [start]
        while let pc = stack.popLast() {
            let i = Int(pc)
            if seen[i] { continue }
            seen[i] = true
            let inst = insts[i]
            switch inst.op {
            case .match: return true
            case .split: stack += [inst.out, inst.arg]
            case .nop: stack.append(inst.out)
            case .assert where inst.arg == RegexAssertion.notWordBoundary.rawValue: stack.append(inst.out)
            default: break
            }
        }
        return false
    }

    /// Collects the lead bytes of every code point the first consuming step can take, treating assertions as
    /// passable; nil when the pattern can match without consuming anything.
    private mutating func computeFirstBytes() {
        var seen = [Bool](repeating: false, count: insts.count)
        var stack: [Int32] = [start]
        var lead = [Bool](repeating: false, count: 256)
        while let pc = stack.popLast() {
            let i = Int(pc)
            if seen[i] { continue }
            seen[i] = true
            let inst = insts[i]
            switch inst.op {
            case .match:
                return
            case .split:
                stack.append(inst.out)
                stack.append(inst.arg)
            case .nop, .assert:
                stack.append(inst.out)
            case .char:
                if let byte = Self.leadByte(of: UInt32(bitPattern: inst.arg)) { lead[Int(byte)] = true }
            case .any, .anyNotNL:
                for b in 0..<256 where !(inst.op == .anyNotNL && b == 0x0A) {
                    if Self.codePoints(withLeadByte: UInt8(b)) != nil { lead[b] = true }
                }
            case .charClass:
                let cls = classes[Int(inst.arg)]
                for b in 0..<256 where !lead[b] && cls.acceptsLeadByte(UInt8(b)) { lead[b] = true }
            }
        }
        let count = lead.lazy.filter { $0 }.count
        if count == 1, let only = lead.firstIndex(of: true) { singleFirstByte = UInt8(only) }
        // A set that lets almost everything through only costs time.
        if count < 200 { firstBytes = lead }
    }

    /// The first UTF-8 byte of `c`; nil for surrogates and values past U+10FFFF, which input never holds.
    static func leadByte(of c: UInt32) -> UInt8? {
        switch c {
        case 0..<0x80: return UInt8(c)
        case 0x80..<0x800: return UInt8(0xC0 | (c >> 6))
        case 0xD800...0xDFFF: return nil
        case 0x800..<0x10000: return UInt8(0xE0 | (c >> 12))
        case 0x10000...0x10FFFF: return UInt8(0xF0 | (c >> 18))
        default: return nil
        }
    }

    /// The code points whose UTF-8 encoding starts with `byte`, if it can lead a valid sequence.
    static func codePoints(withLeadByte byte: UInt8) -> (UInt32, UInt32)? {
        switch byte {
        case 0x00...0x7F: return (UInt32(byte), UInt32(byte))
        case 0xC2...0xDF:
            let base = UInt32(byte & 0x1F) << 6
            return (base, base | 0x3F)
        case 0xE0...0xEF:
            let base = UInt32(byte & 0x0F) << 12
            return (Swift.max(base, 0x800), base | 0xFFF)
        case 0xF0...0xF4:
            let base = UInt32(byte & 0x07) << 18
            return (Swift.max(base, 0x10000), Swift.min(base | 0x3FFFF, 0x10FFFF))
        default: return nil
        }
    }
}
