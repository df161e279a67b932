/// Something the feed handled without stopping, reported so the watcher can log it.
public enum FeedIssue: Sendable, CustomStringConvertible {
    /// A notified object does not exist (deleted since, or a wrong key). It counts as done for its message.
    case objectMissing(S3ObjectReference, messageID: String, error: AWSError)
    /// A notified object is larger than `Options.maxObjectBytes`. It counts as done: it will not shrink.
    case objectTooLarge(S3ObjectReference, messageID: String, error: AWSError)
    /// A notified object is outside the bucket/prefix, lacks a wanted suffix, or is a CloudTrail digest. Done.
    case objectSkipped(S3ObjectReference, messageID: String, reason: String)
    /// Fetching an object kept failing transiently; the message stays in the queue and will be delivered again.
    case objectFailed(S3ObjectReference, messageID: String, error: AWSError)
    /// A message names no new object (test event, deletion, nothing matching). It is deleted.
    case messageIgnored(messageID: String, reason: String)
    /// A message is not a notification this client understands. It is deleted (it would never become readable).
    case messageUnreadable(messageID: String, error: S3NotificationError)
    /// Deleting a finished message failed; it will come back after its visibility timeout.
    case deleteFailed(messageID: String, error: AWSError)
    /// A call failed transiently and is tried again after `delay`.
    case retrying(operation: String, error: AWSError, delay: Duration)

    /// One line for the log.
    public var description: String {
        switch self {
        case .objectMissing(let object, let messageID, let error):
            "\(object) (message \(messageID)) is missing, skipped: \(error)"
        case .objectTooLarge(let object, let messageID, let error):
            "\(object) (message \(messageID)) is too large, skipped: \(error)"
        case .objectSkipped(let object, let messageID, let reason):
            "\(object) (message \(messageID)) skipped: \(reason)"
        case .objectFailed(let object, let messageID, let error):
            "\(object) (message \(messageID)) not fetched, the message will be delivered again: \(error)"
        case .messageIgnored(let messageID, let reason):
            "message \(messageID) ignored and deleted: \(reason)"
        case .messageUnreadable(let messageID, let error):
            "message \(messageID) deleted: \(error)"
        case .deleteFailed(let messageID, let error):
            "message \(messageID) could not be deleted, it will be delivered again: \(error)"
        case .retrying(let operation, let error, let delay):
            "\(operation) failed, retrying in \(delay): \(error)"
        }
    }
}
