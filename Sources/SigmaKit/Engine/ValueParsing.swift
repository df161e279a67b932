/// Parsing of event values for numeric, time and address comparisons. All functions are total: a value that
/// does not parse gives nil (and the comparison is false), never a trap.
enum ValueParsing {
    /// A JSON-grammar number (`-12`, `3.5`, `1e3`) as a Double. Leading/trailing spaces, `+`, hex, `inf` and
    /// `nan` are refused, so `"0x10"` or `"Infinity"` never compare as numbers.
    static func number(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        let n = bytes.count
        if i < n && bytes[i] == UInt8(ascii: "-") { i += 1 }
        let intStart = i
        while i < n && bytes[i] &- 0x30 < 10 { i += 1 }
        if i == intStart { return nil }
        if i < n && bytes[i] == UInt8(ascii: ".") {
            i += 1
            let fracStart = i
            while i < n && bytes[i] &- 0x30 < 10 { i += 1 }
            if i == fracStart { return nil }
        }
        if i < n && (bytes[i] | 0x20) == UInt8(ascii: "e") {
            i += 1
            if i < n && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            let expStart = i
            while i < n && bytes[i] &- 0x30 < 10 { i += 1 }
            if i == expStart { return nil }
        }
        guard i == n else { return nil }
        // Fast path for plain integers that fit exactly in a Double.
        if n - intStart <= 15, bytes[intStart...].allSatisfy({ $0 &- 0x30 < 10 }) {
            var value: Int64 = 0
            for k in intStart..<n { value = value * 10 + Int64(bytes[k] - 0x30) }
            return Double(intStart == 1 ? -value : value)
        }
        return Double(String(decoding: bytes, as: UTF8.self))
    }

    /// UTC calendar parts of an RFC 3339 / ISO 8601 timestamp (`2024-05-01T23:10:00Z`, fractional seconds and
    /// offsets allowed; a space may replace `T`). Offsets are applied so the parts are UTC.
    struct TimeParts: Equatable {
        var year: Int, month: Int, day: Int, hour: Int, minute: Int

        /// ISO 8601 week number (1...53) of the date (D9).
        var isoWeek: Int {
            let ordinal = TimeParts.dayOfYear(year: year, month: month, day: day)
            let weekday = TimeParts.isoWeekday(year: year, month: month, day: day)  // 1 = Monday
            let week = (ordinal - weekday + 10) / 7
            if week < 1 { return TimeParts.weeksInYear(year - 1) }
            if week > TimeParts.weeksInYear(year) { return 1 }
            return week
        }

        static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

        static func dayOfYear(year: Int, month: Int, day: Int) -> Int {
            let cumulative = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
            return cumulative[month - 1] + day + (month > 2 && isLeap(year) ? 1 : 0)
        }

        /// Monday = 1 ... Sunday = 7 (Sakamoto's method).
        static func isoWeekday(year: Int, month: Int, day: Int) -> Int {
            let offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
            let y = month < 3 ? year - 1 : year
            let sundayBased = (y + y / 4 - y / 100 + y / 400 + offsets[month - 1] + day) % 7  // 0 = Sunday
            return sundayBased == 0 ? 7 : sundayBased
        }

        static func weeksInYear(_ year: Int) -> Int {
            // A year has 53 ISO weeks when Jan 1 is a Thursday, or a Wednesday in a leap year.
            let jan1 = isoWeekday(year: year, month: 1, day: 1)
            return jan1 == 4 || (jan1 == 3 && isLeap(year)) ? 53 : 52
        }
    }

    static func timeParts(_ bytes: UnsafeBufferPointer<UInt8>) -> TimeParts? {
        guard let epoch = epochSeconds(bytes) else { return nil }
        return timeParts(epochSeconds: epoch)
    }

    static func timeParts(epochSeconds: Int64) -> TimeParts {
        // Civil-from-days (Howard Hinnant's algorithm).
        let days = Int(epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400)
        let secondsOfDay = Int(epochSeconds - Int64(days) * 86_400)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return TimeParts(
            year: year, month: month, day: day, hour: secondsOfDay / 3600, minute: (secondsOfDay % 3600) / 60)
    }

    /// Seconds since the Unix epoch of an RFC 3339 timestamp, or nil. A timestamp without an offset is UTC.
    static func epochSeconds(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        epochMilliseconds(bytes).map { $0 >= 0 ? $0 / 1000 : ($0 - 999) / 1000 }
    }

    /// Milliseconds since the Unix epoch of an RFC 3339 timestamp, or nil.
    static func epochMilliseconds(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= b.count else { return nil }
            var value = 0
            for i in start..<(start + count) {
                let d = b[i] &- 0x30
                guard d < 10 else { return nil }
                value = value * 10 + Int(d)
            }
            return value
        }
        guard b.count >= 10, let year = digits(0, 4), b[4] == UInt8(ascii: "-"), let month = digits(5, 2),
            b[7] == UInt8(ascii: "-"), let day = digits(8, 2), (1...12).contains(month), day >= 1
        else { return nil }
        let monthDays = [31, TimeParts.isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day <= monthDays[month - 1] else { return nil }
        var hour = 0
        var minute = 0
        var second = 0
        var millis = 0
        var offsetSeconds = 0
        var i = 10
        if i < b.count {
            guard b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == UInt8(ascii: " "),
                let h = digits(11, 2), b.count > 13, b[13] == UInt8(ascii: ":"), let m = digits(14, 2)
            else { return nil }
            hour = h
            minute = m
            i = 16
            if i < b.count && b[i] == UInt8(ascii: ":") {
                guard let s = digits(17, 2) else { return nil }
                second = s
                i = 19
                if i < b.count && (b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",")) {
                    i += 1
                    var scale = 100
                    let start = i
                    while i < b.count && b[i] &- 0x30 < 10 {
                        millis += Int(b[i] - 0x30) * scale
                        scale /= 10
                        i += 1
                    }
                    guard i > start else { return nil }
                }
            }
            guard hour < 24, minute < 60, second < 61 else { return nil }
            if i < b.count {
                if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
                    i += 1
                } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                    let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
                    guard let oh = digits(i + 1, 2) else { return nil }
                    var om = 0
                    if i + 3 < b.count && b[i + 3] == UInt8(ascii: ":") {
                        guard let m2 = digits(i + 4, 2) else { return nil }
                        om = m2
                        i += 6
                    } else if let m2 = digits(i + 3, 2) {
                        om = m2
                        i += 5
                    } else {
                        i += 3
                    }
                    offsetSeconds = sign * (oh * 3600 + om * 60)
                }
                guard i == b.count else { return nil }
            }
        }
        // Days from civil (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
        return seconds * 1000 + Int64(millis)
    }
}
