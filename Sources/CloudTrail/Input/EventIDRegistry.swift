import Synchronization

/// The eventIDs read so far, shared by all workers: 64-bit digests in 64 lock-sharded tables, each
/// remembering the first input that had the id.
///
/// Memory: about 20 bytes per distinct eventID. Two different ids collide with probability about
/// n² / 2^65 (1e-7 for 2 million events); a collision would drop one record as a duplicate.
final class EventIDRegistry: Sendable {
    private final class Shard: Sendable {
        let table = Mutex<DigestTable>(DigestTable())
    }

    private let shards: [Shard] = (0..<64).map { _ in Shard() }

    /// Records `digest` for `input`. Returns false when another input already had it (a duplicate).
    func admit(_ digest: UInt64, input: Int) -> Bool {
        let shard = shards[Int(digest >> 58)]
        let owner = UInt32(truncatingIfNeeded: input)
        return shard.table.withLock { $0.admit(digest, owner: owner) }
    }

    /// Distinct ids recorded.
    var count: Int { shards.reduce(0) { $0 + $1.table.withLock { $0.count } } }
}

/// An open-addressing hash table from digest to first owner. The digests are already well mixed, so the low
/// bits index the table directly: no second hash, no per-entry allocation (a `Dictionary` here cost a tenth of
/// the scan time).
struct DigestTable: Sendable {
    /// The keys alone, 8 bytes a slot, so the table stays small in cache; 0 marks an empty slot (a real digest of 0
    /// is stored as 1: one more collision in 2^64). Owners are only read on a hit, which is rare.
    private var keys = [UInt64](repeating: 0, count: 1024)
    private var owners = [UInt32](repeating: 0, count: 1024)
    private(set) var count = 0

    mutating func admit(_ digest: UInt64, owner: UInt32) -> Bool {
        if (count + 1) * 2 > keys.count { grow() }
        let key = digest == 0 ? 1 : digest
        let mask = keys.count - 1
        var index = Int(truncatingIfNeeded: key) & mask
        let found: Int? = keys.withUnsafeBufferPointer { table in
            while true {
                let present = table[index]
                if present == 0 { return nil }
                if present == key { return index }
                index = (index + 1) & mask
            }
        }
        if let found { return owners[found] == owner }
        keys[index] = key
        owners[index] = owner
        count += 1
        return true
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldOwners = owners
        keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
        owners = [UInt32](repeating: 0, count: oldKeys.count * 2)
        let mask = keys.count - 1
        for (key, owner) in zip(oldKeys, oldOwners) where key != 0 {
            var index = Int(truncatingIfNeeded: key) & mask
            while keys[index] != 0 { index = (index + 1) & mask }
            keys[index] = key
            owners[index] = owner
        }
    }
}

/// A 64-bit digest of an eventID: the bytes hashed a word at a time with a strong mixer (a canonical UUID is
/// 36 bytes: four words and a tail, cheaper than decoding its hex digits).
func eventIDDigest(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
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
