/// Parsing of RFC 3339 / ISO 8601 timestamps to milliseconds since the Unix epoch, over bytes.
public enum Timestamp {
    /// Parses `YYYY-MM-DD`, optionally followed by `T` (or a space) `HH:MM[:SS[.fraction]]` and a zone
    /// (`Z`, `±HH:MM`, `±HHMM`; none means UTC). Returns milliseconds since 1970-01-01T00:00:00Z, or nil.
    ///
    /// CloudTrail writes `2014-09-26T11:20:15Z`; exports from Athena or SIEMs write `2023-01-10 21:04:02`,
    /// which is read as UTC. A date alone is its midnight UTC.
    public static func milliseconds(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
        var p = 0
        let n = text.count
        func digits(_ count: Int) -> Int? {
            guard p + count <= n else { return nil }
            var value = 0
            for i in 0..<count {
                let d = Int(text[p + i]) - 0x30
                guard d >= 0 && d <= 9 else { return nil }
                value = value * 10 + d
            }
            p += count
            return value
        }
        func expect(_ c: UInt8) -> Bool {
            guard p < n && text[p] == c else { return false }
            p += 1
            return true
        }
        guard let year = digits(4), expect(0x2D), let month = digits(2), expect(0x2D), let day = digits(2) else {
            return nil
        }
        guard month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) else { return nil }
        var seconds = Int64(daysFromCivil(year, month, day)) * 86_400
        var millis: Int64 = 0
        if p == n { return seconds * 1000 }
        guard text[p] == 0x54 || text[p] == 0x74 || text[p] == 0x20 else { return nil }  // T t space
        p += 1
        guard let hour = digits(2), expect(0x3A), let minute = digits(2) else { return nil }
        var second = 0
        if expect(0x3A) {
            guard let s = digits(2) else { return nil }
            second = s
            if p < n && (text[p] == 0x2E || text[p] == 0x2C) {  // . or ,
                p += 1
                var scale: Int64 = 100
                var any = false
                while p < n, text[p] >= 0x30 && text[p] <= 0x39 {
                    millis += Int64(text[p] - 0x30) * scale
                    scale /= 10
                    any = true
                    p += 1
                }
                guard any else { return nil }
            }
        }
        // 60 is a leap second: RFC 3339 allows it.
        guard hour <= 23 && minute <= 59 && second <= 60 else { return nil }
        seconds += Int64(hour * 3600 + minute * 60 + second)
        if p < n {
            let c = text[p]
            if c == 0x5A || c == 0x7A {  // Z z
                p += 1
            } else if c == 0x2B || c == 0x2D {  // + -
                p += 1
                guard let zh = digits(2) else { return nil }
                _ = expect(0x3A)
                guard let zm = digits(2), zh <= 23, zm <= 59 else { return nil }
                let offset = Int64(zh * 3600 + zm * 60)
                seconds += c == 0x2B ? -offset : offset
            } else {
                return nil
            }
        }
        guard p == n else { return nil }
        return seconds * 1000 + millis
    }

    /// ``milliseconds(_:)`` for a string.
    public static func milliseconds(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { milliseconds($0) }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (the civil-from-days arithmetic, era-based).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Formats milliseconds since the epoch as `YYYY-MM-DDTHH:MM:SS.sssZ` (for messages and reports).
    public static func format(_ milliseconds: Int64) -> String {
        let totalSeconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let millis = Int(milliseconds - totalSeconds * 1000)
        var days = Int(totalSeconds >= 0 ? totalSeconds / 86_400 : (totalSeconds - 86_399) / 86_400)
        let secondsOfDay = Int(totalSeconds - Int64(days) * 86_400)
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ v: Int, _ w: Int) -> String { String(v).leftPadded(to: w) }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondsOfDay / 3600, 2)):"
            + "\(pad(secondsOfDay / 60 % 60, 2)):\(pad(secondsOfDay % 60, 2)).\(pad(millis, 3))Z"
    }
}
