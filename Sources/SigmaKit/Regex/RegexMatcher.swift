/// Runs a ``RegexProgram`` over UTF-8 bytes by simulating the NFA (Thompson's construction, without captures:
/// the engine only asks whether a match exists). Time is O(input length × program size), never exponential.
///
/// Invalid UTF-8 bytes are single positions that no character, class or `.` accepts (RE2 lets only `\C`
/// match them, which this engine refuses).
enum RegexMatcher {
    /// Stands for an invalid byte: above every code point, so no class contains it.
    static let invalid: UInt32 = 0xFFFF_FFFF

    /// A sparse set of program counters over caller-provided, uninitialised storage (Briggs & Torczon).
    struct SparseSet {
        let dense: UnsafeMutablePointer<Int32>
        let sparse: UnsafeMutablePointer<Int32>
        var count: Int32 = 0

        @inline(__always)
        func contains(_ pc: Int32) -> Bool {
            let i = sparse[Int(pc)]
            return UInt32(bitPattern: i) < UInt32(bitPattern: count) && dense[Int(i)] == pc
        }

        @inline(__always)
        mutating func insert(_ pc: Int32) {
            sparse[Int(pc)] = count
            dense[Int(count)] = pc
            count += 1
        }
    }

    @inline(__always)
    static func decode(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> (UInt32, Int) {
        let b0 = p[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        return decodeMultibyte(p, i, n)
    }

    static func decodeMultibyte(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> (UInt32, Int) {
        let b0 = p[i]
        @inline(__always) func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> UInt32? {
            guard i + k < n else { return nil }
            let b = p[i + k]
            return b >= lo && b <= hi ? UInt32(b & 0x3F) : nil
        }
        switch b0 {
        case 0xC2...0xDF:
            if let c1 = cont(1) { return (UInt32(b0 & 0x1F) << 6 | c1, 2) }
        case 0xE0...0xEF:
            let lo: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
            let hi: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            if let c1 = cont(1, lo, hi), let c2 = cont(2) { return (UInt32(b0 & 0x0F) << 12 | c1 << 6 | c2, 3) }
        case 0xF0...0xF4:
            let lo: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
            let hi: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
            if let c1 = cont(1, lo, hi), let c2 = cont(2), let c3 = cont(3) {
                return (UInt32(b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3, 4)
            }
        default:
            break
        }
        return (invalid, 1)
    }

    @inline(__always)
    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    static func assertionHolds(_ kind: Int32, _ p: UnsafePointer<UInt8>, _ pos: Int, _ n: Int) -> Bool {
        guard let assertion = RegexAssertion(rawValue: kind) else { return false }
        switch assertion {
        case .beginText: return pos == 0
        case .endText: return pos == n
        case .beginLine: return pos == 0 || p[pos - 1] == 0x0A
        case .endLine: return pos == n || p[pos] == 0x0A
        case .wordBoundary, .notWordBoundary:
            let before = pos > 0 && isWordByte(p[pos - 1])
            let after = pos < n && isWordByte(p[pos])
            return (before != after) == (assertion == .wordBoundary)
        }
    }

    /// Whether the program matches somewhere in `bytes` (search semantics).
    static func search(_ program: RegexProgram, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else {
            // An empty buffer may have no address; search the empty string instead.
            var empty: UInt8 = 0
            return withUnsafePointer(to: &empty) { search(program, $0, 0) }
        }
        return search(program, base, bytes.count)
    }

    private static func search(_ program: RegexProgram, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        // Each code point takes at least one byte, so `.{1000,}` never runs on a short value.
        if n < program.minimumLength { return false }
        if program.emptyMatchInsideCharacter {
            var i = 1
            while i < n {
                if p[i] & 0xC0 == 0x80 && p[i - 1] >= 0x80 { return true }
                i += 1
            }
        }
        if !program.required.isEmpty && !containsRequired(program, p, n) { return false }
        let size = program.insts.count
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: 5 * size) { scratch in
            guard let buffer = scratch.baseAddress else { return false }
            return program.insts.withUnsafeBufferPointer { insts in
                program.classes.withUnsafeBufferPointer { classes in
                    guard let instBase = insts.baseAddress else { return false }
                    var machine = Machine(
                        insts: instBase, classes: classes, p: p, n: n, stack: buffer + 4 * size,
                        clist: SparseSet(dense: buffer, sparse: buffer + size),
                        nlist: SparseSet(dense: buffer + 2 * size, sparse: buffer + 3 * size)
                    )
                    return machine.run(program)
                }
            }
        }
    }

    /// The NFA simulation over preallocated lists.
    private struct Machine {
        let insts: UnsafePointer<RegexInst>
        let classes: UnsafeBufferPointer<RegexClassMatcher>
        let p: UnsafePointer<UInt8>
        let n: Int
        let stack: UnsafeMutablePointer<Int32>
        var clist: SparseSet
        var nlist: SparseSet

        /// Adds `pc` and everything reachable from it without consuming input at `pos` to `list`; returns
        /// true as soon as the match instruction is reached.
        @inline(__always)
        func addClosure(_ list: inout SparseSet, _ entry: Int32, _ pos: Int) -> Bool {
            if list.contains(entry) { return false }
            list.insert(entry)
            stack[0] = entry
            var top = 1
            // Marking on push keeps every counter on the stack at most once, so `size` slots suffice.
            while top > 0 {
                top -= 1
                let inst = insts[Int(stack[top])]
                var next: Int32 = -1
                switch inst.op {
                case .match:
                    return true
                case .split:
                    if !list.contains(inst.arg) {
                        list.insert(inst.arg)
                        stack[top] = inst.arg
                        top += 1
                    }
                    next = inst.out
                case .nop:
                    next = inst.out
                case .assert:
                    if assertionHolds(inst.arg, p, pos, n) { next = inst.out }
                default:
                    // A consuming instruction waits in the list for the next code point.
                    break
                }
                if next >= 0 && !list.contains(next) {
                    list.insert(next)
                    stack[top] = next
                    top += 1
                }
            }
            return false
        }

        mutating func run(_ program: RegexProgram) -> Bool {
            let start = program.start
            let anchored = program.anchoredStart
            let firstBytes = program.firstBytes
            let single = program.singleFirstByte
            var pos = 0
            clist.count = 0
            while true {
                if clist.count == 0 {
                    // Nothing in flight: a match can only start at a byte that may lead it.
                    if anchored && pos > 0 { return false }
                    if let single {
                        guard let next = RegexMatcher.find(single, p, from: pos, n) else { return false }
                        pos = next
                    } else if let firstBytes {
                        while pos < n && !firstBytes[Int(p[pos])] { pos += 1 }
                        if pos == n { return false }
                    }
                }
                if (!anchored || pos == 0) && addClosure(&clist, start, pos) { return true }
                if pos >= n { return false }
                let (c, length) = RegexMatcher.decode(p, pos, n)
                let next = pos + length
                nlist.count = 0
                var k: Int32 = 0
                while k < clist.count {
                    let pc = clist.dense[Int(k)]
                    k += 1
                    let inst = insts[Int(pc)]
                    let accepted: Bool
                    switch inst.op {
                    case .char: accepted = c == UInt32(bitPattern: inst.arg)
                    case .charClass: accepted = classes[Int(inst.arg)].contains(c)
                    case .anyNotNL: accepted = c != 0x0A && c != RegexMatcher.invalid
                    case .any: accepted = c != RegexMatcher.invalid
                    default: accepted = false
                    }
                    if accepted && addClosure(&nlist, inst.out, next) { return true }
                }
                swap(&clist, &nlist)
                pos = next
            }
        }
    }

    /// The first index at or after `from` holding `byte`.
    @inline(__always)
    static func find(_ byte: UInt8, _ p: UnsafePointer<UInt8>, from: Int, _ n: Int) -> Int? {
        var i = from
        while i < n {
            if p[i] == byte { return i }
            i += 1
        }
        return nil
    }

    /// Whether the required literal occurs in the input.
    private static func containsRequired(_ program: RegexProgram, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let needle = program.required
        let folded = program.requiredFolded
        let m = needle.count
        if m > n { return false }
        return needle.withUnsafeBufferPointer { nd in
            folded.withUnsafeBufferPointer { fd in
                let first = nd[0]
                let firstFolded = fd[0]
                var i = 0
                let last = n - m
                while i <= last {
                    let b = p[i]
                    if b == first || (firstFolded && b | 0x20 == first) {
                        var j = 1
                        while j < m {
                            let x = p[i + j]
                            if x != nd[j] && !(fd[j] && x | 0x20 == nd[j]) { break }
                            j += 1
                        }
                        if j == m { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }
}
