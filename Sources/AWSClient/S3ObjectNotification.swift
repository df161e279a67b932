import Foundation

/// A bucket and key that a notification names.
public struct S3ObjectReference: Sendable, Hashable, CustomStringConvertible {
    /// The bucket name.
    public var bucket: String
    /// The object key, decoded (as S3's API takes it).
    public var key: String

    /// A reference from its parts.
    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    /// `s3://bucket/key`.
    public var description: String { "s3://\(bucket)/\(key)" }
}

/// What a queue message body says about new objects.
public enum S3ObjectNotification: Sendable, Equatable {
    /// The message names these objects (in order, duplicates removed).
    case objects([S3ObjectReference])
    /// The message is well-formed but names no new object (an S3 test event, a deletion, an SNS subscription
    /// confirmation); the reason says which.
    case ignored(reason: String)

    /// Reads a message body. Understands S3 event notifications (`Records[].s3`, keys URL-encoded with `+` for a
    /// space), the same wrapped in an SNS envelope (`Type: Notification`, `Message` a JSON string), CloudTrail's own
    /// SNS notification (`{"s3Bucket": …, "s3ObjectKey": [...]}`, keys as they are), and EventBridge
    /// `Object Created` events (`detail.bucket.name`, `detail.object.key`).
    ///
    /// - Throws: `S3NotificationError` when the body is not JSON or not one of those shapes.
    public static func parse(body: String) throws(S3NotificationError) -> S3ObjectNotification {
        guard let json = try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed]),
            let object = json as? [String: Any]
        else {
            throw S3NotificationError(reason: "the message body is not a JSON object", body: body)
        }
        return try parse(object: object, body: body, depth: 0)
    }

    private static func parse(
        object: [String: Any], body: String, depth: Int
    ) throws(S3NotificationError)
        -> S3ObjectNotification
    {
        // SNS envelope: the payload is a JSON string in `Message`.
        if let type = object["Type"] as? String, object["TopicArn"] != nil || object["Message"] != nil {
            guard type == "Notification" else { return .ignored(reason: "SNS \(type) message") }
            guard depth == 0, let message = object["Message"] as? String,
                let inner = try? JSONSerialization.jsonObject(with: Data(message.utf8)) as? [String: Any]
            else {
                throw S3NotificationError(reason: "the SNS Message is not a JSON object", body: body)
            }
            return try parse(object: inner, body: body, depth: depth + 1)
        }
        if let records = object["Records"] {
            return try parseS3Event(records: records, body: body)
        }
        if let event = object["Event"] as? String, event == "s3:TestEvent" {
            return .ignored(reason: "S3 test event" + ((object["Bucket"] as? String).map { " for bucket \($0)" } ?? ""))
        }
        if object["s3Bucket"] != nil || object["s3ObjectKey"] != nil {
            return try parseCloudTrail(object, body: body)
        }
        if object["detail-type"] != nil, let source = object["source"] as? String {
            return try parseEventBridge(object, source: source, body: body)
        }
        throw S3NotificationError(
            reason: "not an S3 event notification, an SNS notification, a CloudTrail notification or an "
                + "EventBridge event", body: body
        )
    }

    private static func parseS3Event(records: Any, body: String) throws(S3NotificationError) -> S3ObjectNotification {
        guard let list = records as? [[String: Any]] else {
            throw S3NotificationError(reason: "Records is not a list of objects", body: body)
        }
        var found: [S3ObjectReference] = []
        var skippedEvents: [String] = []
        for (index, record) in list.enumerated() {
            let eventName = record["eventName"] as? String ?? ""
            guard eventName.hasPrefix("ObjectCreated:") || eventName.hasPrefix("s3:ObjectCreated:") else {
                skippedEvents.append(eventName.isEmpty ? "a record without eventName" : eventName)
                continue
            }
            let s3 = record["s3"] as? [String: Any]
            guard let bucket = (s3?["bucket"] as? [String: Any])?["name"] as? String,
                let encodedKey = (s3?["object"] as? [String: Any])?["key"] as? String
            else {
                throw S3NotificationError(
                    reason: "record \(index) lacks s3.bucket.name or s3.object.key", body: body
                )
            }
            guard let key = URIEncoding.decode(encodedKey, plusIsSpace: true) else {
                throw S3NotificationError(reason: "record \(index) has a malformed URL-encoded key", body: body)
            }
            found.append(S3ObjectReference(bucket: bucket, key: key))
        }
        if found.isEmpty {
            let what =
                skippedEvents.isEmpty
                ? "no records" : "no ObjectCreated record (\(skippedEvents.joined(separator: ", ")))"
            return .ignored(reason: "S3 event with \(what)")
        }
        return .objects(unique(found))
    }

    private static func parseCloudTrail(
        _ object: [String: Any], body: String
    ) throws(S3NotificationError)
        -> S3ObjectNotification
    {
        guard let bucket = object["s3Bucket"] as? String, !bucket.isEmpty,
            let keys = object["s3ObjectKey"] as? [String]
        else {
            throw S3NotificationError(
                reason: "a CloudTrail notification needs s3Bucket (string) and s3ObjectKey (list of strings)",
                body: body
            )
        }
        if keys.isEmpty { return .ignored(reason: "CloudTrail notification with no keys") }
        return .objects(unique(keys.map { S3ObjectReference(bucket: bucket, key: $0) }))
    }

    private static func parseEventBridge(
        _ object: [String: Any], source: String, body: String
    )
        throws(S3NotificationError) -> S3ObjectNotification
    {
        let detailType = object["detail-type"] as? String ?? ""
        guard source == "aws.s3" else { return .ignored(reason: "EventBridge event from \(source)") }
        guard detailType == "Object Created" else { return .ignored(reason: "EventBridge S3 '\(detailType)' event") }
        let detail = object["detail"] as? [String: Any]
        guard let bucket = (detail?["bucket"] as? [String: Any])?["name"] as? String,
            let key = (detail?["object"] as? [String: Any])?["key"] as? String
        else {
            throw S3NotificationError(
                reason: "the EventBridge event lacks detail.bucket.name or detail.object.key", body: body)
        }
        return .objects([S3ObjectReference(bucket: bucket, key: key)])
    }

    private static func unique(_ references: [S3ObjectReference]) -> [S3ObjectReference] {
        var seen = Set<S3ObjectReference>()
        return references.filter { seen.insert($0).inserted }
    }
}

/// A message body that is not a notification this client understands.
public struct S3NotificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with it.
    public var reason: String
    /// The start of the body, for the log.
    public var excerpt: String

    /// An error for a body.
    public init(reason: String, body: String) {
        self.reason = reason
        self.excerpt = body.count > 200 ? String(body.prefix(200)) + "…" : body
    }

    /// The reason and the start of the body.
    public var description: String { "unreadable notification: \(reason): \(excerpt)" }
}
