/// A set of Unicode code points as sorted, disjoint, non-adjacent closed ranges (RE2's `CharClassBuilder`).
///
/// Code points are `UInt32` rather than `Unicode.Scalar` because RE2 lets a pattern name surrogates
/// (`\x{D800}`); they simply never match, since decoded input never contains them.
struct RegexCharSet: Hashable, Sendable {
    static let maxRune: UInt32 = 0x10FFFF

    /// Flattened `lo, hi` pairs, ascending.
    private(set) var bounds: [UInt32] = []

    var rangeCount: Int { bounds.count / 2 }
    var isEmpty: Bool { bounds.isEmpty }

    func range(_ i: Int) -> (lo: UInt32, hi: UInt32) { (bounds[2 * i], bounds[2 * i + 1]) }

    /// The single code point this set holds, if it holds exactly one.
    var singleton: UInt32? {
        bounds.count == 2 && bounds[0] == bounds[1] ? bounds[0] : nil
    }

    func contains(_ c: UInt32) -> Bool {
        var lo = 0
        var hi = rangeCount
        while lo < hi {
            let mid = (lo + hi) / 2
            if c > bounds[2 * mid + 1] {
                lo = mid + 1
            } else if c < bounds[2 * mid] {
                hi = mid
            } else {
                return true
            }
        }
        return false
    }

    /// Whether `lo...hi` is already wholly inside the set.
    func containsRange(_ lo: UInt32, _ hi: UInt32) -> Bool {
        var a = 0
        var b = rangeCount
        while a < b {
            let mid = (a + b) / 2
            if lo > bounds[2 * mid + 1] {
                a = mid + 1
            } else if lo < bounds[2 * mid] {
                b = mid
            } else {
                return hi <= bounds[2 * mid + 1]
            }
        }
        return false
    }

    /// Adds `lo...hi`; returns false when it was already wholly present (RE2 relies on that to stop folding).
    @discardableResult
    mutating func add(_ lo: UInt32, _ hi: UInt32) -> Bool {
        guard lo <= hi else { return true }
        if containsRange(lo, hi) { return false }
        // First range that ends at or after lo - 1 (it may merge), then swallow every range starting by hi + 1.
        var first = 0
        var a = 0
        var b = rangeCount
        while a < b {
            let mid = (a + b) / 2
            if bounds[2 * mid + 1] &+ 1 < lo { a = mid + 1 } else { b = mid }
        }
        first = a
        var newLo = lo
        var newHi = hi
        var last = first
        while last < rangeCount && bounds[2 * last] <= hi &+ 1 {
            newLo = min(newLo, bounds[2 * last])
            newHi = max(newHi, bounds[2 * last + 1])
            last += 1
        }
        bounds.replaceSubrange((2 * first)..<(2 * last), with: [newLo, newHi])
        return true
    }

    mutating func add(_ other: RegexCharSet) {
        if isEmpty {
            bounds = other.bounds
            return
        }
        for i in 0..<other.rangeCount {
            let r = other.range(i)
            add(r.lo, r.hi)
        }
    }

    /// The complement within `0...maxRune`.
    func negated() -> RegexCharSet {
        var out = RegexCharSet()
        var next: UInt32 = 0
        for i in 0..<rangeCount {
            let r = range(i)
            if r.lo > next { out.bounds += [next, r.lo - 1] }
            next = r.hi &+ 1
        }
        if next <= Self.maxRune && !(rangeCount > 0 && bounds[bounds.count - 1] == Self.maxRune) {
            out.bounds += [next, Self.maxRune]
        }
        return out
    }

    // MARK: Case folding (RE2's AddFoldedRange / CycleFoldRune over RE2's own orbit tables)

    /// Adds `lo...hi` and, recursively, every code point that simple case folding makes equivalent.
    mutating func addFolded(_ lo: UInt32, _ hi: UInt32, depth: Int = 0) {
        // Orbits have at most four members, so the recursion is shallow; the cap only guards the tables.
        if depth > 10 { return }
        if !add(lo, hi) { return }
        var lo = lo
        let runs = RegexUnicodeTables.foldRuns
        while lo <= hi {
            guard let index = Self.foldRunIndex(atOrAfter: lo) else { break }
            let run = runs[index]
            if lo < run.0 {
                lo = run.0
                continue
            }
            var lo1 = Int64(lo)
            var hi1 = Int64(min(hi, run.1))
            switch run.2 {
            case RegexUnicodeTables.evenOdd:
                if lo1 % 2 == 1 { lo1 -= 1 }
                if hi1 % 2 == 0 { hi1 += 1 }
            case RegexUnicodeTables.oddEven:
                if lo1 % 2 == 0 { lo1 -= 1 }
                if hi1 % 2 == 1 { hi1 += 1 }
            default:
                lo1 += Int64(run.2)
                hi1 += Int64(run.2)
            }
            addFolded(UInt32(clamping: lo1), UInt32(clamping: hi1), depth: depth + 1)
            if run.1 == UInt32.max { break }
            lo = run.1 + 1
        }
    }

    /// Index of the first fold run whose last code point is at or after `c`.
    private static func foldRunIndex(atOrAfter c: UInt32) -> Int? {
        let runs = RegexUnicodeTables.foldRuns
        var a = 0
        var b = runs.count
        while a < b {
            let mid = (a + b) / 2
            if runs[mid].1 < c { a = mid + 1 } else { b = mid }
        }
        return a < runs.count ? a : nil
    }

    /// The next member of `c`'s case-folding orbit (c itself when it has none).
    static func cycleFold(_ c: UInt32) -> UInt32 {
        guard let index = foldRunIndex(atOrAfter: c) else { return c }
        let run = RegexUnicodeTables.foldRuns[index]
        guard c >= run.0 else { return c }
        switch run.2 {
        case RegexUnicodeTables.evenOdd: return c % 2 == 0 ? c + 1 : c - 1
        case RegexUnicodeTables.oddEven: return c % 2 == 1 ? c + 1 : c - 1
        default: return UInt32(Int64(c) + Int64(run.2))
        }
    }

    /// `c` and every code point simple case folding makes equivalent to it.
    static func foldOrbit(_ c: UInt32) -> RegexCharSet {
        var set = RegexCharSet()
        set.add(c, c)
        var next = cycleFold(c)
        var guardCount = 0
        while next != c && guardCount < 8 {
            set.add(next, next)
            next = cycleFold(next)
            guardCount += 1
        }
        return set
    }

    /// Whether `c` has other case-equivalent code points.
    static func hasFold(_ c: UInt32) -> Bool { cycleFold(c) != c }
}

/// Named classes: Perl (`\d`), POSIX (`[:alpha:]`) and Unicode (`\p{Greek}`), as RE2 defines them.
enum RegexNamedClass {
    /// A group of ranges (always ASCII for Perl and POSIX groups).
    typealias Group = [(UInt32, UInt32)]

    /// RE2's Perl classes are ASCII-only: `\s` is `[\t\n\f\r ]` (no `\v`, unlike Python).
    static func perl(_ letter: Unicode.Scalar) -> (group: Group, negated: Bool)? {
        switch letter {
        case "d": return ([(0x30, 0x39)], false)
        case "D": return ([(0x30, 0x39)], true)
        case "s": return ([(0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)], false)
        case "S": return ([(0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)], true)
        case "w": return (wordGroup, false)
        case "W": return (wordGroup, true)
        default: return nil
        }
    }

    static let wordGroup: Group = [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)]

    /// POSIX bracket names (`[:alpha:]`), ASCII-only as in RE2.
    static func posix(_ name: String) -> Group? {
        switch name {
        case "alnum": return [(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)]
        case "alpha": return [(0x41, 0x5A), (0x61, 0x7A)]
        case "ascii": return [(0x00, 0x7F)]
        case "blank": return [(0x09, 0x09), (0x20, 0x20)]
        case "cntrl": return [(0x00, 0x1F), (0x7F, 0x7F)]
        case "digit": return [(0x30, 0x39)]
        case "graph": return [(0x21, 0x7E)]
        case "lower": return [(0x61, 0x7A)]
        case "print": return [(0x20, 0x7E)]
        case "punct": return [(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)]
        case "space": return [(0x09, 0x0D), (0x20, 0x20)]
        case "upper": return [(0x41, 0x5A)]
        case "word": return wordGroup
        case "xdigit": return [(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)]
        default: return nil
        }
    }

    /// A Unicode general category or script RE2 knows (`L`, `Lu`, `Greek`, `Any`...), case-sensitive names.
    static func unicode(_ name: String) -> RegexCharSet? {
        guard let encoded = RegexUnicodeTables.properties[name] else { return nil }
        var set = RegexCharSet()
        var previous: UInt32 = 0
        for item in encoded.split(separator: ",") {
            let parts = item.split(separator: "+")
            guard let delta = UInt32(parts[0], radix: 16) else { continue }
            let lo = previous + delta
            var hi = lo
            if parts.count > 1, let extra = UInt32(parts[1], radix: 16) { hi = lo + extra }
            set.add(lo, hi)
            previous = hi
        }
        return set
    }

    /// Adds a group the way RE2's `AddUGroup` does: a negated group under case folding is folded first,
    /// then negated, so `(?i)\W` excludes `k`, `K` and the Kelvin sign alike.
    static func add(_ group: RegexCharSet, negated: Bool, fold: Bool, to set: inout RegexCharSet) {
        if !negated {
            for i in 0..<group.rangeCount {
                let r = group.range(i)
                if fold { set.addFolded(r.lo, r.hi) } else { set.add(r.lo, r.hi) }
            }
            return
        }
        var positive = RegexCharSet()
        add(group, negated: false, fold: fold, to: &positive)
        set.add(positive.negated())
    }

    static func set(of group: Group) -> RegexCharSet {
        var set = RegexCharSet()
        for (lo, hi) in group { set.add(lo, hi) }
        return set
    }
}
