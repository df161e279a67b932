/// An object that a queue notification announced, fetched from S3.
public struct FetchedObject: Sendable {
    /// The bucket.
    public var bucket: String
    /// The key.
    public var key: String
    /// The ETag S3 sent, quotes removed.
    public var etag: String?
    /// The object's bytes, as stored (gzip'd logs stay compressed).
    public var bytes: [UInt8]
    /// The SQS message that announced it; `acknowledge` uses it.
    public var messageID: String

    /// The bucket and key.
    public var reference: S3ObjectReference { S3ObjectReference(bucket: bucket, key: key) }
}

/// Long-polls an SQS queue for S3 object notifications and yields each announced object's bytes.
///
/// A message is deleted once every object it names has been acknowledged (or was missing, or filtered out). A
/// message that comes back after its visibility timeout gets its receipt handle updated, and its objects not yet
/// acknowledged are yielded again: the consumer deduplicates by key. Transient failures are retried with backoff
/// and reported through `onIssue`; bad credentials, missing permissions or a missing queue end the stream with
/// the `AWSError`.
public struct S3NotificationFeed: Sendable {
    /// What to read and how.
    public struct Options: Sendable {
        /// The SQS queue URL.
        public var queueURL: String
        /// Only objects in this bucket under this prefix; nil accepts any.
        public var location: S3Location?
        /// Only keys ending with one of these; empty accepts any.
        public var keySuffixes: [String]
        /// Long-poll wait, 0…20 seconds.
        public var waitSeconds: Int
        /// Messages per receive, 1…10.
        public var maxMessages: Int
        /// Visibility timeout for received messages; nil keeps the queue's.
        public var visibilityTimeout: Int?
        /// The largest object fetched.
        public var maxObjectBytes: Int
        /// Backoff for transient failures.
        public var retry: RetryPolicy

        /// The CloudTrail log suffixes: `.json.gz`, `.json`, `.jsonl`, `.jsonl.gz`.
        public static let cloudTrailSuffixes = [".json.gz", ".json", ".jsonl", ".jsonl.gz"]

        /// Options with defaults: CloudTrail suffixes, 20 s long polls, 10 messages, 1 GiB objects.
        public init(
            queueURL: String, location: S3Location? = nil, keySuffixes: [String] = cloudTrailSuffixes,
            waitSeconds: Int = 20, maxMessages: Int = 10, visibilityTimeout: Int? = nil,
            maxObjectBytes: Int = S3Client.defaultMaxObjectBytes, retry: RetryPolicy = .default
        ) {
            self.queueURL = queueURL
            self.location = location
            self.keySuffixes = keySuffixes
            self.waitSeconds = waitSeconds
            self.maxMessages = maxMessages
            self.visibilityTimeout = visibilityTimeout
            self.maxObjectBytes = maxObjectBytes
            self.retry = retry
        }

        /// Why an object is not fetched (outside the location, a CloudTrail digest, an unwanted suffix), or nil.
        public func skipReason(_ reference: S3ObjectReference) -> String? {
            if let location = location, !location.contains(reference) {
                return "outside \(location)"
            }
            if reference.key.contains("/CloudTrail-Digest/") {
                return "CloudTrail digest file"
            }
            if !keySuffixes.isEmpty, !keySuffixes.contains(where: { reference.key.hasSuffix($0) }) {
                return "the key does not end with \(keySuffixes.joined(separator: ", "))"
            }
            return nil
        }
    }

    /// The S3 client objects are fetched with.
    public let s3: S3Client
    /// The SQS client the queue is read with.
    public let sqs: SQSClient
    /// The options.
    public let options: Options
    private let onIssue: @Sendable (FeedIssue) -> Void
    private let state = FeedState()

    /// A feed; `onIssue` hears of every problem handled without stopping (it must return quickly).
    public init(
        s3: S3Client, sqs: SQSClient, options: Options, onIssue: @escaping @Sendable (FeedIssue) -> Void = { _ in }
    ) {
        self.s3 = s3
        self.sqs = sqs
        self.options = options
        self.onIssue = onIssue
    }

    /// The objects, one at a time: the next is fetched only when asked for, so a slow consumer holds back the
    /// queue. The stream ends when the consuming task is cancelled, and fails on a non-transient error.
    /// Iterate it from one task at a time.
    public func objects() -> AsyncThrowingStream<FetchedObject, any Error> {
        let feed = self
        return AsyncThrowingStream(unfolding: {
            do {
                return try await feed.nextObject()
            } catch is CancellationError {
                return nil
            }
        })
    }

    /// Marks an object as handled. When every object of its message is handled, the message is deleted.
    ///
    /// - Throws: `AWSError` when the delete fails for a reason other than a stale receipt handle or a transient
    ///   failure (those are reported through `onIssue`; the message then comes back and is handled again).
    public func acknowledge(_ object: FetchedObject) async throws {
        try await complete(object.reference, messageID: object.messageID)
    }

    // MARK: - Fetching

    func nextObject() async throws -> FetchedObject? {
        while true {
            try Task.checkCancellation()
            if let next = await state.nextQueued() {
                let (reference, messageID) = next
                if let object = try await fetch(reference, messageID: messageID) { return object }
                continue
            }
            let messages = try await withRetry("ReceiveMessage", attempts: nil) {
                try await sqs.receiveMessages(
                    queueURL: options.queueURL, max: options.maxMessages, waitSeconds: options.waitSeconds,
                    visibilityTimeout: options.visibilityTimeout
                )
            }
            for message in messages {
                try await accept(message)
            }
        }
    }

    /// Fetches one object; nil when it is missing, too large or kept failing (each reported).
    private func fetch(_ reference: S3ObjectReference, messageID: String) async throws -> FetchedObject? {
        do {
            let (bytes, etag) = try await withRetry("GetObject", attempts: options.retry.maxAttempts) {
                try await s3.getObject(bucket: reference.bucket, key: reference.key, maxBytes: options.maxObjectBytes)
            }
            return FetchedObject(
                bucket: reference.bucket, key: reference.key, etag: etag, bytes: bytes, messageID: messageID
            )
        } catch let error as AWSError where error.kind == .noSuchKey {
            onIssue(.objectMissing(reference, messageID: messageID, error: error))
            try await complete(reference, messageID: messageID)
            return nil
        } catch let error as AWSError where error.kind == .objectTooLarge {
            onIssue(.objectTooLarge(reference, messageID: messageID, error: error))
            try await complete(reference, messageID: messageID)
            return nil
        } catch let error as AWSError where error.isRetryable {
            // Left pending: the message comes back after its visibility timeout and the object is tried again.
            onIssue(.objectFailed(reference, messageID: messageID, error: error))
            return nil
        }
    }

    /// Registers a received message: its objects to fetch, or its deletion when it names none to fetch.
    private func accept(_ message: SQSClient.Message) async throws {
        let parsed = Result { () throws(S3NotificationError) in try S3ObjectNotification.parse(body: message.body) }
        let notification: S3ObjectNotification
        switch parsed {
        case .success(let value):
            notification = value
        case .failure(let error):
            onIssue(.messageUnreadable(messageID: message.messageID, error: error))
            try await delete(messageID: message.messageID, receiptHandle: message.receiptHandle)
            return
        }
        switch notification {
        case .ignored(let reason):
            onIssue(.messageIgnored(messageID: message.messageID, reason: reason))
            try await delete(messageID: message.messageID, receiptHandle: message.receiptHandle)
        case .objects(let references):
            var wanted: [S3ObjectReference] = []
            for reference in references {
                if let reason = options.skipReason(reference) {
                    onIssue(.objectSkipped(reference, messageID: message.messageID, reason: reason))
                } else {
                    wanted.append(reference)
                }
            }
            if wanted.isEmpty {
                onIssue(.messageIgnored(messageID: message.messageID, reason: "no object passes the filters"))
                try await delete(messageID: message.messageID, receiptHandle: message.receiptHandle)
                return
            }
            let finishedHandle = await state.register(
                messageID: message.messageID, receiptHandle: message.receiptHandle, objects: wanted
            )
            if let finishedHandle {
                // Redelivered after every object had been acknowledged but before the delete went through.
                try await delete(messageID: message.messageID, receiptHandle: finishedHandle)
            }
        }
    }

    // MARK: - Completion and deletion

    private func complete(_ reference: S3ObjectReference, messageID: String) async throws {
        if let receiptHandle = await state.markDone(reference, messageID: messageID) {
            try await delete(messageID: messageID, receiptHandle: receiptHandle)
        }
    }

    private func delete(messageID: String, receiptHandle: String) async throws {
        do {
            try await withRetry("DeleteMessage", attempts: options.retry.maxAttempts) {
                try await sqs.deleteMessage(queueURL: options.queueURL, receiptHandle: receiptHandle)
            }
        } catch let error as AWSError where error.isRetryable || error.kind == .invalidReceiptHandle {
            onIssue(.deleteFailed(messageID: messageID, error: error))
        }
    }

    /// Runs `body`, retrying retryable `AWSError`s with backoff up to `attempts` (nil: without limit).
    private func withRetry<T: Sendable>(
        _ operation: String, attempts: Int?, _ body: () async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await body()
            } catch let error as AWSError where error.isRetryable {
                if let attempts, attempt >= attempts { throw error }
                let delay = options.retry.delay(beforeRetry: attempt)
                onIssue(.retrying(operation: operation, error: error, delay: delay))
                try await Task.sleep(for: delay)
                attempt += 1
            }
        }
    }
}

/// The feed's book-keeping: messages in flight, their receipt handles and objects, and the objects to fetch.
actor FeedState {
    private struct Tracked {
        var receiptHandle: String
        var pending: Set<S3ObjectReference>
    }

    private var messages: [String: Tracked] = [:]
    private var queue: [(S3ObjectReference, String)] = []
    private var queued: Set<[String]> = []

    /// Records a delivery. Objects not yet done and not already queued are queued; returns the receipt handle
    /// when nothing is left to do for the message (so it should be deleted now).
    func register(messageID: String, receiptHandle: String, objects: [S3ObjectReference]) -> String? {
        if var tracked = messages[messageID] {
            tracked.receiptHandle = receiptHandle
            messages[messageID] = tracked
        } else {
            messages[messageID] = Tracked(receiptHandle: receiptHandle, pending: Set(objects))
        }
        guard let tracked = messages[messageID], !tracked.pending.isEmpty else {
            messages[messageID] = nil
            return receiptHandle
        }
        for object in objects where tracked.pending.contains(object) {
            if queued.insert(Self.key(object, messageID)).inserted {
                queue.append((object, messageID))
            }
        }
        return nil
    }

    /// The next object to fetch.
    func nextQueued() -> (S3ObjectReference, String)? {
        guard !queue.isEmpty else { return nil }
        let (object, messageID) = queue.removeFirst()
        queued.remove(Self.key(object, messageID))
        return (object, messageID)
    }

    /// Marks an object done; returns the receipt handle to delete with when it was the message's last one.
    func markDone(_ object: S3ObjectReference, messageID: String) -> String? {
        guard var tracked = messages[messageID] else { return nil }
        tracked.pending.remove(object)
        if tracked.pending.isEmpty {
            messages[messageID] = nil
            return tracked.receiptHandle
        }
        messages[messageID] = tracked
        return nil
    }

    private static func key(_ object: S3ObjectReference, _ messageID: String) -> [String] {
        [messageID, object.bucket, object.key]
    }
}
