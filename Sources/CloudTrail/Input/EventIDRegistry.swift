#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The eventIDs read so far, shared by all workers: 64-bit digests in 64 lock-sharded open-addressing tables,
/// each slot remembering the first input that had the id.
///
/// Memory: 16 bytes per slot, at most half full: 32-64 bytes per distinct eventID. Two different ids collide
/// with probability about n² / 2^65 (1e-7 for 2 million events); a collision would drop one record as a
/// duplicate.
///
/// This runs once per record on every worker, so it is laid out for the cache: each shard (lock and table
/// header) has a cache line of its own (no false sharing between workers), a slot holds the digest and its owner
/// side by side (one cache miss per probe, not two), the lock is a spin lock (a shard is held for a few
/// nanoseconds; the kernel is never asked), and the shards are reached through a raw pointer (no reference
/// counting per record).
final class EventIDRegistry: Sendable {
    private static let shardCount = 64
    private static let shardStride = 128
    private nonisolated(unsafe) let shards: UnsafeMutableRawPointer

    init() {
        shards = .allocate(byteCount: Self.shardCount * Self.shardStride, alignment: Self.shardStride)
        for i in 0..<Self.shardCount { shard(i).initialize(to: Shard()) }
    }

    deinit {
        for i in 0..<Self.shardCount { shard(i).deinitialize(count: 1) }
        shards.deallocate()
    }

    @inline(__always)
    private func shard(_ i: Int) -> UnsafeMutablePointer<Shard> {
        (shards + i * Self.shardStride).assumingMemoryBound(to: Shard.self)
    }

    /// Records `digest` for `input`. Returns false when another input already had it (a duplicate).
    func admit(_ digest: UInt64, input: Int) -> Bool {
        // The top bits pick the shard, the low bits the slot: both come from a mixed hash.
        let shard = shard(Int(digest >> 58))
        shard.pointee.lock()
        defer { shard.pointee.unlock() }
        return shard.pointee.table.admit(digest == 0 ? 1 : digest, UInt32(truncatingIfNeeded: input))
    }

    /// Distinct ids recorded.
    var count: Int {
        (0..<Self.shardCount).reduce(0) { total, i in
            let shard = shard(i)
            shard.pointee.lock()
            defer { shard.pointee.unlock() }
            return total + shard.pointee.table.count
        }
    }

    private struct Shard: ~Copyable {
        let state = Atomic<UInt32>(0)
        var table = DigestTable()

        @inline(__always)
        func lock() {
            while !state.compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged {
                // Held by the other worker (for nanoseconds, or for a resize): wait without hammering the line.
                while state.load(ordering: .relaxed) != 0 { sched_yield() }
            }
        }

        @inline(__always)
        func unlock() { state.store(0, ordering: .releasing) }
    }
}

/// Open addressing with linear probing over non-zero 64-bit digests; a slot is the digest and its owner.
private struct DigestTable: ~Copyable {
    private struct Slot {
        var digest: UInt64
        var owner: UInt32
    }

    private var slots: UnsafeMutablePointer<Slot>
    private var capacity: Int
    private(set) var count = 0

    init() {
        capacity = 1024
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(digest: 0, owner: 0), count: capacity)
    }

    deinit {
        slots.deallocate()
    }

    mutating func admit(_ digest: UInt64, _ owner: UInt32) -> Bool {
        if (count + 1) * 2 > capacity { grow() }
        let mask = capacity - 1
        var index = Int(truncatingIfNeeded: digest) & mask
        while true {
            let slot = slots[index]
            if slot.digest == digest { return slot.owner == owner }
            if slot.digest == 0 {
                slots[index] = Slot(digest: digest, owner: owner)
                count += 1
                return true
            }
            index = (index + 1) & mask
        }
    }

    private mutating func grow() {
        let old = slots
        let oldCapacity = capacity
        capacity *= 2
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(digest: 0, owner: 0), count: capacity)
        let mask = capacity - 1
        for i in 0..<oldCapacity where old[i].digest != 0 {
            var index = Int(truncatingIfNeeded: old[i].digest) & mask
            while slots[index].digest != 0 { index = (index + 1) & mask }
            slots[index] = old[i]
        }
        old.deallocate()
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
