/// Facts about a parsed pattern that let the engine skip the NFA: literal shapes and required substrings.
enum RegexAnalysis {
    // MARK: Required literal

    /// The longest run of code points every match must contain, as UTF-8 bytes; `folded[i]` marks an ASCII
    /// letter (stored lower-case) that matches either case. Letters whose fold orbit leaves ASCII (`k`, `s`)
    /// end a case-insensitive run, since the Kelvin sign and long s would escape a byte comparison.
    static func requiredLiteral(_ node: RegexNode) -> (bytes: [UInt8], folded: [Bool]) {
        var collector = RunCollector()
        collector.walk(node)
        collector.endRun()
        return (collector.best, collector.bestFolded)
    }

    private struct RunCollector {
        var run: [UInt8] = []
        var runFolded: [Bool] = []
        var best: [UInt8] = []
        var bestFolded: [Bool] = []

        mutating func endRun() {
            if run.count > best.count {
                best = run
                bestFolded = runFolded
            }
            run = []
            runFolded = []
        }

        mutating func append(_ c: UInt32, fold: Bool) {
            if !fold || !RegexCharSet.hasFold(c) {
                guard let scalar = Unicode.Scalar(c) else { return endRun() }
                for byte in String(Character(scalar)).utf8 {
                    run.append(byte)
                    runFolded.append(false)
                }
                return
            }
            let lower = c | 0x20
            if c < 0x80 && (0x61...0x7A).contains(lower) && lower != 0x6B && lower != 0x73 {
                run.append(UInt8(lower))
                runFolded.append(true)
            } else {
                endRun()
            }
        }

        mutating func walk(_ node: RegexNode) {
            switch node {
            case .empty, .assertion:
                // Zero-width: the code points on either side stay adjacent.
                break
            case .literal(let c, let fold):
                append(c, fold: fold)
            case .charSet(let set):
                if let c = set.singleton { append(c, fold: false) } else { endRun() }
            case .group(let inner):
                walk(inner)
            case .concat(let items):
                for item in items { walk(item) }
            case .alternate(let branches):
                if branches.count == 1 {
                    walk(branches[0])
                } else {
                    endRun()
                }
            case .repeat(let inner, let min, let max):
                if min == 1 && max == 1 {
                    walk(inner)
                } else {
                    endRun()
                    // One copy is required when min >= 1, but it is not adjacent to its neighbours.
                    if min >= 1 {
                        walk(inner)
                        endRun()
                    }
                }
            }
        }
    }

    // MARK: Minimum length

    /// The fewest code points a match consumes; an input with fewer bytes cannot match. Saturates at 2^31.
    static func minimumLength(_ node: RegexNode) -> Int {
        let cap = 1 << 31
        switch node {
        case .empty, .assertion: return 0
        case .literal, .charSet: return 1
        case .group(let inner): return minimumLength(inner)
        case .concat(let items): return min(cap, items.reduce(0) { min(cap, $0 + minimumLength($1)) })
        case .alternate(let branches): return branches.map(minimumLength).min() ?? 0
        case .repeat(let inner, let lo, _): return min(cap, lo * minimumLength(inner))
        }
    }

    // MARK: Literal form

    /// The pattern as a plain string test, when it is nothing but literal code points between optional
    /// text anchors.
    static func literalForm(_ node: RegexNode) -> (form: SigmaRegex.LiteralForm, caseSensitive: Bool)? {
        var atoms: [RegexNode] = []
        guard flatten(node, into: &atoms) else { return nil }
        var anchoredStart = false
        var anchoredEnd = false
        if case .assertion(.beginText) = atoms.first {
            anchoredStart = true
            atoms.removeFirst()
        }
        if case .assertion(.endText) = atoms.last {
            anchoredEnd = true
            atoms.removeLast()
        }
        var text = String.UnicodeScalarView()
        var needsSensitive = false
        var needsInsensitive = false
        for atom in atoms {
            let code: UInt32
            var fold = false
            switch atom {
            case .literal(let c, let f):
                code = c
                fold = f
            case .charSet(let set):
                guard let c = set.singleton else { return nil }
                code = c
            default:
                return nil
            }
            guard let scalar = Unicode.Scalar(code) else { return nil }
            if RegexCharSet.hasFold(code) {
                if fold { needsInsensitive = true } else { needsSensitive = true }
            }
            text.append(scalar)
        }
        if needsSensitive && needsInsensitive { return nil }
        let string = String(text)
        let form: SigmaRegex.LiteralForm
        switch (anchoredStart, anchoredEnd) {
        case (true, true): form = .equals(string)
        case (true, false): form = .prefix(string)
        case (false, true): form = .suffix(string)
        case (false, false): form = .contains(string)
        }
        return (form, !needsInsensitive)
    }

    /// Flattens groups, single-branch alternations and concatenations into atoms; false for anything else.
    private static func flatten(_ node: RegexNode, into atoms: inout [RegexNode]) -> Bool {
        switch node {
        case .empty:
            return true
        case .literal, .charSet, .assertion(.beginText), .assertion(.endText):
            atoms.append(node)
            return true
        case .group(let inner):
            return flatten(inner, into: &atoms)
        case .concat(let items):
            for item in items where !flatten(item, into: &atoms) { return false }
            return true
        case .alternate(let branches):
            return branches.count == 1 && flatten(branches[0], into: &atoms)
        case .repeat(let inner, 1, 1):
            return flatten(inner, into: &atoms)
        default:
            return false
        }
    }
}
