import Synchronization

/// The eventIDs read so far, shared by all workers: 64-bit digests in 64 lock-sharded open-addressing tables,
/// each slot remembering the first input that had the id.
///
/// Memory: 12 bytes per slot, at most half full: 24-48 bytes per distinct eventID. Two different ids collide
/// with probability about n² / 2^65 (1e-7 for 2 million events); a collision would drop one record as a
/// duplicate.
final class EventIDRegistry: Sendable {
    private final class Shard: Sendable {
        let table = Mutex(DigestTable())
    }

    private let shards: [Shard] = (0..<64).map { _ in Shard() }

    /// Records `digest` for `input`. Returns false when another input already had it (a duplicate).
    func admit(_ digest: UInt64, input: Int) -> Bool {
        // The top bits pick the shard, the low bits the slot: both come from a mixed hash.
        let shard = shards[Int(digest >> 58)]
        let owner = UInt32(truncatingIfNeeded: input)
        return shard.table.withLock { $0.admit(digest == 0 ? 1 : digest, owner) }
    }

    /// Distinct ids recorded.
    var count: Int { shards.reduce(0) { $0 + $1.table.withLock { $0.count } } }
}

/// Open addressing with linear probing over non-zero 64-bit digests.
private struct DigestTable: ~Copyable {
    private var keys: UnsafeMutablePointer<UInt64>
    private var owners: UnsafeMutablePointer<UInt32>
    private var capacity: Int
    private(set) var count = 0

    init() {
        capacity = 1024
        keys = .allocate(capacity: capacity)
        keys.initialize(repeating: 0, count: capacity)
        owners = .allocate(capacity: capacity)
        owners.initialize(repeating: 0, count: capacity)
    }

    deinit {
        keys.deallocate()
        owners.deallocate()
    }

    mutating func admit(_ digest: UInt64, _ owner: UInt32) -> Bool {
        if (count + 1) * 2 > capacity { grow() }
        let mask = capacity - 1
        var slot = Int(truncatingIfNeeded: digest) & mask
        while true {
            let key = keys[slot]
            if key == digest { return owners[slot] == owner }
            if key == 0 {
                keys[slot] = digest
                owners[slot] = owner
                count += 1
                return true
            }
            slot = (slot + 1) & mask
        }
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldOwners = owners
        let oldCapacity = capacity
        capacity *= 2
        keys = .allocate(capacity: capacity)
        keys.initialize(repeating: 0, count: capacity)
        owners = .allocate(capacity: capacity)
        owners.initialize(repeating: 0, count: capacity)
        let mask = capacity - 1
        for i in 0..<oldCapacity where oldKeys[i] != 0 {
            var slot = Int(truncatingIfNeeded: oldKeys[i]) & mask
            while keys[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = oldKeys[i]
            owners[slot] = oldOwners[i]
        }
        oldKeys.deallocate()
        oldOwners.deallocate()
    }
}

/// A 64-bit digest of an eventID, hashed a word at a time and finished with a strong mixer.
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
