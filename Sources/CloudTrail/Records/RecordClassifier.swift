/// Decides which object of a document is the CloudTrail record (the documented wrapper rule).
///
/// Applied to every top-level JSON Lines value, every element of a top-level array and every element of a
/// `Records` array:
/// 1. An object with a `Records` array member (and no `eventName`/`eventSource`) is a batch: each element is
///    read as below (a batch inside a batch is not unwrapped again).
/// 2. An object with any CloudTrail marker key (`eventVersion`, `eventName`, `eventSource`, `eventID`,
///    `eventTime`, `eventType`, or their lower-case forms written by Athena-style exports) is the record.
/// 3. An EventBridge / CloudWatch Events envelope (a `detail-type` string containing `CloudTrail`, and a
///    `detail` object) yields its `detail`.
/// 4. A wrapper (no marker key) with exactly one object-valued member among `event`, `log`, `detail`,
///    `record`, `_source` yields that member, itself checked once more for rule 3 (Panther `log`,
///    StreamAlert `event`, AWS documentation `event`, logstash / Elasticsearch `_source`).
/// 5. Any other object is read as a record as it is (rules then simply do not match it).
public enum RecordClassifier {
    static let markerKeys: [[UInt8]] = [
        "eventVersion", "eventName", "eventSource", "eventID", "eventTime", "eventType",
        "eventversion", "eventname", "eventsource", "eventid", "eventtime",
    ].map { Array($0.utf8) }
    static let wrapperKeys: [[UInt8]] = ["event", "log", "detail", "record", "_source"].map { Array($0.utf8) }
    static let recordsKey = Array("Records".utf8)
    static let detailTypeKey = Array("detail-type".utf8)
    static let detailKey = Array("detail".utf8)
    static let cloudTrailWord = Array("CloudTrail".utf8)

    /// Rules 1-5 in one go: `batch` is the tape index of the `Records` array of a batch (else -1), `record`
    /// the index of the record to read (when not a batch).
    static func classify(_ tape: UnsafePointer<TapeEntry>, _ base: UnsafePointer<UInt8>,
                         _ index: Int) -> (batch: Int, record: Int) {
        guard tape[index].kind == .object, !hasMarker(tape, base, index) else { return (-1, index) }
        let records = recordsKey.withUnsafeBufferPointer { memberIndex(tape, base, index, $0) }
        if records >= 0 && tape[records].kind == .array { return (records, index) }
        return (-1, unwrap(tape, base, index))
    }

    /// The tape index of the record to read for the object (or other value) at `index` (rules 2-5).
    static func recordIndex(_ tape: UnsafePointer<TapeEntry>, _ base: UnsafePointer<UInt8>, _ index: Int) -> Int {
        guard tape[index].kind == .object, !hasMarker(tape, base, index) else { return index }
        return unwrap(tape, base, index)
    }

    /// Rules 3-5 for an object without marker keys.
    private static func unwrap(_ tape: UnsafePointer<TapeEntry>, _ base: UnsafePointer<UInt8>, _ index: Int) -> Int {
        let envelope = envelopeDetail(tape, base, index)
        if envelope >= 0 { return envelope }
        var found = -1
        for key in wrapperKeys {
            let member = key.withUnsafeBufferPointer { memberIndex(tape, base, index, $0) }
            if member >= 0 && tape[member].kind == .object {
                if found >= 0 { return index }  // ambiguous: more than one wrapper member
                found = member
            }
        }
        guard found >= 0 else { return index }
        let inner = envelopeDetail(tape, base, found)
        return inner >= 0 ? inner : found
    }

    /// One pass over the object's keys: only keys starting with `event` can be markers.
    private static func hasMarker(_ tape: UnsafePointer<TapeEntry>, _ base: UnsafePointer<UInt8>,
                                  _ index: Int) -> Bool {
        let end = Int(tape[index].next)
        var i = index + 1
        while i < end {
            let k = tape[i]
            let length = Int(k.end &- k.start)
            if length >= 7 && length <= 12 && base[Int(k.start)] == 0x65 && base[Int(k.start) + 1] == 0x76 {
                let key = UnsafeBufferPointer(start: base + Int(k.start), count: length)
                for marker in markerKeys where marker.withUnsafeBufferPointer({ ASCII.equals(key, $0) }) {
                    return true
                }
            }
            i = Int(tape[i + 1].next)
        }
        return false
    }

    private static func envelopeDetail(_ tape: UnsafePointer<TapeEntry>, _ base: UnsafePointer<UInt8>,
                                       _ index: Int) -> Int {
        let type = detailTypeKey.withUnsafeBufferPointer { memberIndex(tape, base, index, $0) }
        guard type >= 0, tape[type].kind == .string else { return -1 }
        let mentionsCloudTrail = withValueText(base, tape, type) { text in
            cloudTrailWord.withUnsafeBufferPointer { contains(text, $0) }
        }
        guard mentionsCloudTrail else { return -1 }
        let detail = detailKey.withUnsafeBufferPointer { memberIndex(tape, base, index, $0) }
        guard detail >= 0, tape[detail].kind == .object else { return -1 }
        return detail
    }

    private static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) {
            var i = 0
            while i < needle.count && haystack[start + i] == needle[i] { i += 1 }
            if i == needle.count { return true }
        }
        return false
    }
}
