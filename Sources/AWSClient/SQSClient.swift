import Foundation

/// The SQS calls the monitor needs, over the JSON protocol (`POST /`, `X-Amz-Target: AmazonSQS.<Action>`,
/// `Content-Type: application/x-amz-json-1.0`).
public struct SQSClient: Sendable {
    /// The shared HTTP layer.
    public let http: AWSHTTPClient

    /// An SQS client over a shared HTTP layer.
    public init(http: AWSHTTPClient) {
        self.http = http
    }

    /// One received message.
    public struct Message: Sendable, Equatable {
        /// The message id, the same on every delivery of the message.
        public var messageID: String
        /// The receipt handle of this delivery, needed to delete it or change its visibility.
        public var receiptHandle: String
        /// The body text.
        public var body: String
        /// How many times SQS has delivered the message, when it said.
        public var receiveCount: Int?
    }

    /// Receives up to `max` messages (1…10), waiting up to `waitSeconds` (0…20) for one to arrive.
    /// `visibilityTimeout` overrides the queue's for these messages.
    public func receiveMessages(
        queueURL: String, max: Int = 10, waitSeconds: Int = 20, visibilityTimeout: Int? = nil
    )
        async throws -> [Message]
    {
        var input: [String: Any] = [
            "QueueUrl": queueURL, "MaxNumberOfMessages": Swift.min(Swift.max(max, 1), 10),
            "WaitTimeSeconds": Swift.min(Swift.max(waitSeconds, 0), 20),
            "MessageSystemAttributeNames": ["ApproximateReceiveCount"],
            "AttributeNames": ["ApproximateReceiveCount"],
        ]
        if let visibilityTimeout { input["VisibilityTimeout"] = visibilityTimeout }
        let output = try await call(
            "ReceiveMessage", queueURL: queueURL, input: input, extraTime: .seconds(Swift.max(waitSeconds, 0))
        )
        guard let messages = output["Messages"] else { return [] }
        guard let list = messages as? [[String: Any]] else {
            throw invalid("ReceiveMessage", queueURL, "Messages is not a list of objects")
        }
        return try list.map { entry in
            guard let id = entry["MessageId"] as? String, let handle = entry["ReceiptHandle"] as? String else {
                throw invalid("ReceiveMessage", queueURL, "a message lacks MessageId or ReceiptHandle")
            }
            let attributes = entry["Attributes"] as? [String: Any]
            let count = (attributes?["ApproximateReceiveCount"] as? String).flatMap(Int.init)
            return Message(
                messageID: id, receiptHandle: handle, body: entry["Body"] as? String ?? "", receiveCount: count)
        }
    }

    /// Deletes a delivered message.
    public func deleteMessage(queueURL: String, receiptHandle: String) async throws {
        _ = try await call(
            "DeleteMessage", queueURL: queueURL, input: ["QueueUrl": queueURL, "ReceiptHandle": receiptHandle])
    }

    /// Makes a delivered message visible again after `seconds` (0 returns it to the queue now).
    public func changeMessageVisibility(queueURL: String, receiptHandle: String, seconds: Int) async throws {
        _ = try await call(
            "ChangeMessageVisibility", queueURL: queueURL,
            input: ["QueueUrl": queueURL, "ReceiptHandle": receiptHandle, "VisibilityTimeout": seconds]
        )
    }

    /// Sends a message; returns its id.
    @discardableResult
    public func sendMessage(queueURL: String, body: String) async throws -> String {
        let output = try await call(
            "SendMessage", queueURL: queueURL, input: ["QueueUrl": queueURL, "MessageBody": body])
        guard let id = output["MessageId"] as? String else {
            throw invalid("SendMessage", queueURL, "the answer has no MessageId")
        }
        return id
    }

    /// Creates a queue (or finds the existing one of that name); returns its URL.
    public func createQueue(name: String, attributes: [String: String] = [:]) async throws -> String {
        var input: [String: Any] = ["QueueName": name]
        if !attributes.isEmpty { input["Attributes"] = attributes }
        let output = try await call("CreateQueue", queueURL: name, input: input)
        guard let url = output["QueueUrl"] as? String else {
            throw invalid("CreateQueue", name, "the answer has no QueueUrl")
        }
        return url
    }

    private func call(
        _ action: String, queueURL: String, input: [String: Any], extraTime: Duration = .zero
    )
        async throws -> [String: Any]
    {
        let endpoint = try http.endpoint(service: "sqs")
        let body: Data
        do {
            body = try JSONSerialization.data(withJSONObject: input)
        } catch {
            throw invalid(action, queueURL, "the request could not be encoded: \(error)")
        }
        let request = AWSRequest(
            method: "POST", scheme: endpoint.scheme, host: endpoint.host, path: "/",
            headers: [("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "AmazonSQS.\(action)")],
            body: Array(body)
        )
        let response = try await http.send(
            request, service: "sqs", operation: action, resource: queueURL, extraTime: extraTime
        )
        if response.body.isEmpty { return [:] }
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw invalid(action, queueURL, "the answer is not a JSON object (is the endpoint an SQS API?)")
        }
        return object
    }

    private func invalid(_ action: String, _ queueURL: String, _ message: String) -> AWSError {
        AWSError(kind: .invalidResponse, operation: action, resource: queueURL, message: message)
    }
}
