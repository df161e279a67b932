import Synchronization

/// The eventIDs read so far, shared by all workers: 64-bit digests in 64 lock-sharded tables, each
/// remembering the first input that had the id.
///
/// Memory: about 20 bytes per distinct eventID. Two different ids collide with probability about
/// n² / 2^65 (1e-7 for 2 million events); a collision would drop one record as a duplicate.
final class EventIDRegistry: Sendable {
    private final class Shard: Sendable {
        let table = Mutex<[UInt64: UInt32]>([:])
    }

    private let shards: [Shard] = (0..<64).map { _ in Shard() }

    /// Records `digest` for `input`. Returns false when another input already had it (a duplicate).
    func admit(_ digest: UInt64, input: Int) -> Bool {
        let shard = shards[Int(digest >> 58)]
        let owner = UInt32(truncatingIfNeeded: input)
        return shard.table.withLock { table in
            if let first = table[digest] { return first == owner }
            table[digest] = owner
            return true
        }
    }

    /// Distinct ids recorded.
    var count: Int { shards.reduce(0) { $0 + $1.table.withLock { $0.count } } }
}

/// A 64-bit digest of an eventID. Canonical UUIDs (what CloudTrail writes) are read as their 128 bits and
/// folded; other ids are hashed word by word. Both end with a strong mixer.
func eventIDDigest(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    if bytes.count == 36, let value = uuidBits(bytes) {
        return mix64(value.0 ^ mix64(value.1 &+ 0x9E37_79B9_7F4A_7C15))
    }
    var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(bytes.count)
    guard let base = bytes.baseAddress else { return mix64(h) }
    var i = 0
    while i + 8 <= bytes.count {
        let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
        h = mix64(h ^ w) &* 0x9E37_79B9_7F4A_7C15
        i += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while i < bytes.count {
        tail |= UInt64(base[i]) << shift
        shift += 8
        i += 1
    }
    return mix64(h ^ tail ^ 0x5151_5151)
}

/// The 128 bits of `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (case-insensitive), or nil.
private func uuidBits(_ b: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64)? {
    var hi: UInt64 = 0
    var lo: UInt64 = 0
    var n = 0
    for (i, c) in b.enumerated() {
        if i == 8 || i == 13 || i == 18 || i == 23 {
            guard c == 0x2D else { return nil }
            continue
        }
        let d = hexValue(c)
        guard d >= 0 else { return nil }
        if n < 16 { hi = hi << 4 | UInt64(d) } else { lo = lo << 4 | UInt64(d) }
        n += 1
    }
    return (hi, lo)
}

/// A 64-bit finaliser (xor-shift-multiply rounds) that spreads every input bit over the output.
@inline(__always)
func mix64(_ value: UInt64) -> UInt64 {
    var x = value
    x ^= x >> 30
    x = x &* 0xBF58_476D_1CE4_E5B9
    x ^= x >> 27
    x = x &* 0x94D0_49BB_1331_11EB
    x ^= x >> 31
    return x
}
