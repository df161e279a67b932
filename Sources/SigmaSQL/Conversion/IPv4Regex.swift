import SigmaKit

/// `|cidr` with an IPv4 network as a regular expression over the address text, so every dialect can test it
/// without an IP type. It accepts exactly what the engine's `IPNetwork.contains` accepts: four decimal octets
/// 0-255 without leading zeros, inside the network.
enum IPv4Regex {
    /// The anchored regex for the network.
    static func pattern(for network: IPNetwork) -> String {
        var octets: [String] = []
        for index in 0..<4 {
            let covered = min(max(network.prefixLength - 8 * index, 0), 8)
            let base = Int(network.address[index])
            let size = 1 << (8 - covered)
            octets.append(range(base, base + size - 1))
        }
        return "^" + octets.joined(separator: "\\.") + "$"
    }

    /// A regex for the decimal numbers `low...high` (0...255), written without leading zeros.
    static func range(_ low: Int, _ high: Int) -> String {
        var alternatives: [String] = []
        // Split by number of digits: 0-9, 10-99, 100-255.
        for (start, end) in [(0, 9), (10, 99), (100, 999)] {
            let a = max(low, start)
            let b = min(high, end)
            if a <= b { alternatives += sameLength(String(a), String(b)) }
        }
        return alternatives.count == 1 ? alternatives[0] : "(?:" + alternatives.joined(separator: "|") + ")"
    }

    /// Alternatives matching the numbers between two decimal texts of the same length.
    private static func sameLength(_ a: String, _ b: String) -> [String] {
        if a == b { return [a] }
        let da = Array(a)
        let db = Array(b)
        let rest = da.count - 1
        if rest == 0 { return ["[\(da[0])-\(db[0])]"] }
        if da[0] == db[0] {
            let tails = sameLength(String(da.dropFirst()), String(db.dropFirst()))
            return tails.map { "\(da[0])" + $0 }
        }
        let anyTail = String(repeating: "[0-9]", count: rest)
        let lowTailIsZero = da.dropFirst().allSatisfy { $0 == "0" }
        let highTailIsNine = db.dropFirst().allSatisfy { $0 == "9" }
        guard let firstA = da[0].wholeNumberValue, let firstB = db[0].wholeNumberValue else { return [] }
        var out: [String] = []
        var middleLow = firstA + 1
        var middleHigh = firstB - 1
        if lowTailIsZero {
            middleLow = firstA
        } else {
            out += sameLength(String(da.dropFirst()), String(repeating: "9", count: rest)).map { "\(da[0])" + $0 }
        }
        if highTailIsNine { middleHigh = firstB }
        if middleLow <= middleHigh {
            let digits = middleLow == middleHigh ? "\(middleLow)" : "[\(middleLow)-\(middleHigh)]"
            out.append(digits + anyTail)
        }
        if !highTailIsNine {
            out += sameLength(String(repeating: "0", count: rest), String(db.dropFirst())).map { "\(db[0])" + $0 }
        }
        return out
    }
}
