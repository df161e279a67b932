/// A read-only hash table from ASCII-case-folded byte strings to small integer lists, looked up straight from
/// an event's bytes without building a `String` or an array (the hot path of the rule index, and of hashed
/// equality lists).
struct ByteKeyTable: Sendable {
    private struct Entry: Sendable {
        var key: [UInt8]
        var values: [Int32]
    }

    private var buckets: [Int: [Entry]] = [:]
    private(set) var count = 0

    /// Adds `value` under `key` (folded here).
    mutating func insert(_ key: String, _ value: Int32) {
        let folded = Array(key.utf8).map(asciiLower)
        let hash = folded.withUnsafeBufferPointer { ByteKeyTable.hash($0) }
        var entries = buckets[hash] ?? []
        if let index = entries.firstIndex(where: { $0.key == folded }) {
            if !entries[index].values.contains(value) { entries[index].values.append(value) }
        } else {
            entries.append(Entry(key: folded, values: [value]))
            count += 1
        }
        buckets[hash] = entries
    }

    /// The values stored under `bytes` compared with ASCII case folding, or nil.
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int32]? {
        guard let entries = buckets[ByteKeyTable.hash(bytes)] else { return nil }
        for entry in entries where entry.key.count == bytes.count && bytesEqual(bytes, 0, entry.key, true) {
            return entry.values
        }
        return nil
    }

    func contains(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { lookup(bytes) != nil }

    /// FNV-1a over folded bytes.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h = (h ^ UInt64(asciiLower(b))) &* 0x100_0000_01b3
        }
        return Int(truncatingIfNeeded: h)
    }
}
