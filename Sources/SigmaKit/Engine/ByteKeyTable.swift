/// A read-only hash table from ASCII-case-folded byte strings to small integer lists, looked up straight from
/// an event's bytes without building a `String` or an array (the hot path of the rule index, and of hashed
/// equality lists).
///
/// Flat storage: slots (open addressing, linear probing) point at entries, entries at ranges of one key arena
/// and one value arena. A lookup hashes the bytes, probes, compares once, and touches no reference-counted
/// object: the dictionary of arrays it replaced cost a hash through `Hasher` and two retains per event and index.
struct ByteKeyTable: Sendable {
    fileprivate struct Slot: Sendable {
        var hash: UInt64
        /// Index into `entries`, -1 for an empty slot.
        var entry: Int32
    }

    fileprivate struct Entry: Sendable {
        var keyStart: Int32
        var keyCount: Int32
        var valuesStart: Int32
        var valuesCount: Int32
    }

    fileprivate private(set) var slots = [Slot](repeating: Slot(hash: 0, entry: -1), count: 8)
    fileprivate private(set) var entries: [Entry] = []
    /// Folded keys, one after the other.
    fileprivate private(set) var keys: [UInt8] = []
    /// Each entry's values are contiguous; a value added to an older entry moves its list to the end (compile
    /// time only; the few stale values left behind are never read).
    fileprivate private(set) var values: [Int32] = []

    /// Distinct keys.
    var count: Int { entries.count }

    /// Adds `value` under `key` (folded here).
    mutating func insert(_ key: String, _ value: Int32) {
        let folded = Array(key.utf8).map(asciiLower)
        let hash = folded.withUnsafeBufferPointer { ByteKeyTable.hash($0) }
        if let existing = folded.withUnsafeBufferPointer({ find($0, hash: hash) }) {
            var entry = entries[existing]
            let list = values[Int(entry.valuesStart)..<Int(entry.valuesStart + entry.valuesCount)]
            guard !list.contains(value) else { return }
            if Int(entry.valuesStart + entry.valuesCount) != values.count {
                let moved = Array(list)
                entry.valuesStart = Int32(values.count)
                values.append(contentsOf: moved)
            }
            values.append(value)
            entry.valuesCount += 1
            entries[existing] = entry
            return
        }
        entries.append(Entry(keyStart: Int32(keys.count), keyCount: Int32(folded.count),
                             valuesStart: Int32(values.count), valuesCount: 1))
        keys.append(contentsOf: folded)
        values.append(value)
        if entries.count * 2 > slots.count {
            rehash(capacity: slots.count * 2)
        } else {
            place(hash: hash, entry: Int32(entries.count - 1))
        }
    }

    /// Appends the values stored under `bytes` (compared with ASCII case folding) to `result`; false when the key
    /// is absent.
    @inline(__always)
    func appendValues(of bytes: UnsafeBufferPointer<UInt8>, to result: inout [Int32]) -> Bool {
        guard let index = find(bytes, hash: ByteKeyTable.hash(bytes)) else { return false }
        entries.withUnsafeBufferPointer { entries in
            let entry = entries[index]
            values.withUnsafeBufferPointer { values in
                result.append(contentsOf: UnsafeBufferPointer(rebasing: values[Int(entry.valuesStart)..<Int(
                    entry.valuesStart + entry.valuesCount)]))
            }
        }
        return true
    }

    /// The values stored under `bytes`, or nil (tests and slow paths).
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int32]? {
        var result: [Int32] = []
        return appendValues(of: bytes, to: &result) ? result : nil
    }

    @inline(__always)
    func contains(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        find(bytes, hash: ByteKeyTable.hash(bytes)) != nil
    }

    /// The entry whose key equals `bytes` folded, or nil.
    @inline(__always)
    private func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                keys.withUnsafeBufferPointer { keys in
                    let mask = slots.count - 1
                    var index = Int(truncatingIfNeeded: hash) & mask
                    while true {
                        let slot = slots[index]
                        if slot.entry < 0 { return nil }
                        if slot.hash == hash {
                            let entry = entries[Int(slot.entry)]
                            if Int(entry.keyCount) == bytes.count && ByteKeyTable.equalFolded(
                                bytes, UnsafeBufferPointer(rebasing: keys[Int(entry.keyStart)..<Int(
                                    entry.keyStart + entry.keyCount)]))
                            {
                                return Int(slot.entry)
                            }
                        }
                        index = (index + 1) & mask
                    }
                }
            }
        }
    }

    private mutating func place(hash: UInt64, entry: Int32) {
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while slots[index].entry >= 0 { index = (index + 1) & mask }
        slots[index] = Slot(hash: hash, entry: entry)
    }

    private mutating func rehash(capacity: Int) {
        slots = [Slot](repeating: Slot(hash: 0, entry: -1), count: capacity)
        for (i, entry) in entries.enumerated() {
            let hash = keys.withUnsafeBufferPointer { keys in
                ByteKeyTable.hash(UnsafeBufferPointer(rebasing: keys[Int(entry.keyStart)..<Int(
                    entry.keyStart + entry.keyCount)]))
            }
            place(hash: hash, entry: Int32(i))
        }
    }

    /// `value` folded equals `folded` (already folded, same length).
    @inline(__always)
    fileprivate static func equalFolded(_ value: UnsafeBufferPointer<UInt8>, _ folded: UnsafeBufferPointer<UInt8>)
        -> Bool
    {
        for i in 0..<value.count where asciiLower(value[i]) != folded[i] { return false }
        return true
    }

    /// FNV-1a over folded bytes, with a final mix so that the low bits (the slot) depend on every byte.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h = (h ^ UInt64(asciiLower(b))) &* 0x100_0000_01b3
        }
        h ^= h >> 32
        return h
    }
}

/// A built ``ByteKeyTable`` in plain memory, for the per-event hot path: a class whose storage is raw pointers,
/// so that a lookup reached through an `Unmanaged` reference retains nothing (the struct's four arrays were
/// retained and released on every event and index field).
final class FrozenByteKeyTable: @unchecked Sendable {  // immutable after init
    private let slots: UnsafeMutablePointer<ByteKeyTable.Slot>
    private let mask: Int
    private let entries: UnsafeMutablePointer<ByteKeyTable.Entry>
    private let keys: UnsafeMutablePointer<UInt8>
    private let values: UnsafeMutablePointer<Int32>
    let count: Int

    init(_ table: ByteKeyTable) {
        func copy<T>(_ array: [T]) -> UnsafeMutablePointer<T> {
            let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(1, array.count))
            _ = UnsafeMutableBufferPointer(start: pointer, count: array.count).initialize(from: array)
            return pointer
        }
        slots = copy(table.slots)
        mask = table.slots.count - 1
        entries = copy(table.entries)
        keys = copy(table.keys)
        values = copy(table.values)
        count = table.entries.count
    }

    deinit {
        slots.deallocate()
        entries.deallocate()
        keys.deallocate()
        values.deallocate()
    }

    /// Appends the values stored under `bytes` (compared with ASCII case folding) to `result`; false when absent.
    @inline(__always)
    func appendValues(of bytes: UnsafeBufferPointer<UInt8>, to result: inout [Int32]) -> Bool {
        guard let index = find(bytes) else { return false }
        let entry = entries[index]
        result.append(contentsOf: UnsafeBufferPointer(start: values + Int(entry.valuesStart),
                                                      count: Int(entry.valuesCount)))
        return true
    }

    @inline(__always)
    func contains(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { find(bytes) != nil }

    @inline(__always)
    private func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = ByteKeyTable.hash(bytes)
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[index]
            if slot.entry < 0 { return nil }
            if slot.hash == hash {
                let entry = entries[Int(slot.entry)]
                if Int(entry.keyCount) == bytes.count && ByteKeyTable.equalFolded(
                    bytes, UnsafeBufferPointer(start: keys + Int(entry.keyStart), count: Int(entry.keyCount)))
                {
                    return Int(slot.entry)
                }
            }
            index = (index + 1) & mask
        }
    }
}
