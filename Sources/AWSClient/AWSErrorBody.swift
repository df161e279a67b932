import Foundation

/// Reads the error code and message out of an AWS error answer, whatever its protocol: S3's
/// `<Error><Code>…</Code><Message>…</Message></Error>`, the query protocol's `<ErrorResponse><Error>…`, or the
/// JSON protocols' `{"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "…"}`.
enum AWSErrorBody {
    /// The code (namespace before `#` removed) and message, each nil when absent.
    static func parse(_ body: [UInt8], headers: [(name: String, value: String)]) -> (code: String?, message: String?) {
        var code: String?
        var message: String?
        if let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] {
            code = (object["__type"] as? String) ?? (object["code"] as? String) ?? (object["Code"] as? String)
            message = (object["message"] as? String) ?? (object["Message"] as? String)
        } else {
            let text = String(decoding: body, as: UTF8.self)
            code = XMLTags.firstValue(of: "Code", in: text)
            message = XMLTags.firstValue(of: "Message", in: text)
        }
        // The JSON protocol also names the error in a header (the query-protocol code, for SQS), and a HEAD answer
        // has no body at all.
        let headerNames = ["x-amzn-query-error", "x-amzn-errortype"]
        if code == nil || code?.isEmpty == true {
            for name in headerNames {
                if let value = headers.first(where: { $0.name.lowercased() == name })?.value {
                    code = String(value.split(separator: ";").first ?? "")
                    break
                }
            }
        }
        if let raw = code {
            // `com.amazonaws.sqs#QueueDoesNotExist` → `QueueDoesNotExist`; `Code:http://…` suffixes dropped.
            let afterHash = raw.split(separator: "#").last.map(String.init) ?? raw
            code = afterHash.split(separator: ":").first.map(String.init) ?? afterHash
        }
        return (code?.isEmpty == true ? nil : code, message?.isEmpty == true ? nil : message)
    }
}

/// A small reader for the flat XML that S3 and the query protocol answer with: it finds element text by tag name,
/// which is all the client needs, and decodes the five predefined entities and numeric references.
enum XMLTags {
    /// The text of the first `<name>…</name>` element, or nil.
    static func firstValue(of name: String, in text: String) -> String? {
        values(of: name, in: text).first
    }

    /// The text of every `<name>…</name>` element, in document order (an empty `<name/>` gives "").
    static func values(of name: String, in text: String) -> [String] {
        elements(named: name, in: text).map { decodeEntities(String($0)) }
    }

    /// The raw inner text of every `<name>…</name>` element, for reading nested elements.
    static func elements(named name: String, in text: String) -> [Substring] {
        var results: [Substring] = []
        let open = "<\(name)>"
        let close = "</\(name)>"
        let empty = "<\(name)/>"
        var rest = text[...]
        while true {
            let openRange = rest.range(of: open)
            let emptyRange = rest.range(of: empty)
            if let emptyRange, openRange.map({ emptyRange.lowerBound < $0.lowerBound }) ?? true {
                results.append("")
                rest = rest[emptyRange.upperBound...]
                continue
            }
            guard let openRange, let closeRange = rest[openRange.upperBound...].range(of: close) else { break }
            results.append(rest[openRange.upperBound..<closeRange.lowerBound])
            rest = rest[closeRange.upperBound...]
        }
        return results
    }

    /// Replaces `&lt; &gt; &amp; &quot; &apos;` and `&#NN;` / `&#xHH;` with their characters.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = text[...]
        while let amp = rest.firstIndex(of: "&") {
            out.append(contentsOf: rest[..<amp])
            guard let semicolon = rest[amp...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: amp)..<semicolon]
            switch entity {
            case "lt": out += "<"
            case "gt": out += ">"
            case "amp": out += "&"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                let scalar: Unicode.Scalar?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if entity.hasPrefix("#") {
                    scalar = UInt32(entity.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init)
                } else {
                    scalar = nil
                }
                if let scalar { out.unicodeScalars.append(scalar) } else { out += "&\(entity);" }
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        out.append(contentsOf: rest)
        return out
    }
}
