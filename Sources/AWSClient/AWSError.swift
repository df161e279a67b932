/// A failed AWS call: what was asked of which resource, what AWS (or the network) answered, and whether trying again
/// later can help.
public struct AWSError: Error, Sendable, CustomStringConvertible {
    /// The kinds of failure a caller acts on differently.
    public enum Kind: String, Sendable, Equatable {
        /// The access key is unknown or the signature does not match the secret (`InvalidClientTokenId`,
        /// `InvalidAccessKeyId`, `SignatureDoesNotMatch`, `UnrecognizedClientException`, expired tokens).
        case badCredentials
        /// The credentials are valid but lack the permission (`AccessDenied`, 403).
        case accessDenied
        /// S3 has no object under the key (`NoSuchKey`).
        case noSuchKey
        /// S3 has no such bucket (`NoSuchBucket`).
        case noSuchBucket
        /// SQS has no such queue (`QueueDoesNotExist`, `AWS.SimpleQueueService.NonExistentQueue`).
        case queueDoesNotExist
        /// The receipt handle is no longer valid (the message was redelivered or deleted).
        case invalidReceiptHandle
        /// AWS asked to slow down (`Throttling`, `SlowDown`, 429, …). Retryable.
        case throttled
        /// AWS failed on its side (5xx). Retryable.
        case serverError
        /// The connection failed or timed out before an answer came. Retryable.
        case transport
        /// The object is larger than the size limit the caller set.
        case objectTooLarge
        /// AWS answered something this client cannot read.
        case invalidResponse
        /// Any other error AWS reported (see `code`).
        case other
    }

    /// What kind of failure this is.
    public var kind: Kind
    /// The operation, e.g. `GetObject` or `ReceiveMessage`.
    public var operation: String
    /// The resource the operation was about: `s3://bucket/key` or the queue URL.
    public var resource: String
    /// The AWS error code (`NoSuchKey`), when AWS sent one.
    public var code: String?
    /// The message AWS sent, or a description of the local failure.
    public var message: String
    /// The HTTP status, when an answer came.
    public var statusCode: Int?

    /// An error from its parts.
    public init(
        kind: Kind, operation: String, resource: String, code: String? = nil, message: String, statusCode: Int? = nil
    ) {
        self.kind = kind
        self.operation = operation
        self.resource = resource
        self.code = code
        self.message = message
        self.statusCode = statusCode
    }

    /// Whether the same call may succeed later: throttling, AWS-side failures and transport errors.
    public var isRetryable: Bool {
        switch kind {
        case .throttled, .serverError, .transport: true
        default: false
        }
    }

    /// One line naming the operation, the resource, the AWS code and status, the message and, for credential
    /// problems, what to check.
    public var description: String {
        var text = "\(operation) \(resource) failed: "
        if let code { text += code }
        if let statusCode { text += code == nil ? "HTTP \(statusCode)" : " (HTTP \(statusCode))" }
        if code != nil || statusCode != nil { text += ": " }
        text += message
        switch kind {
        case .badCredentials:
            text += " — check the AWS credentials (access key id, secret access key, session token and its expiry)"
        case .accessDenied:
            text += " — the credentials lack a permission this needs (see docs/aws.md)"
        default:
            break
        }
        return text
    }

    /// The kind an AWS error code (and HTTP status) stands for.
    static func kind(code: String?, statusCode: Int) -> Kind {
        switch code ?? "" {
        case "InvalidClientTokenId", "InvalidAccessKeyId", "SignatureDoesNotMatch", "UnrecognizedClientException",
            "InvalidSecurity", "InvalidToken", "ExpiredToken", "ExpiredTokenException", "AuthFailure",
            "IncompleteSignature", "MissingAuthenticationToken", "RequestExpired":
            return .badCredentials
        case "AccessDenied", "AccessDeniedException", "KMS.AccessDeniedException":
            return .accessDenied
        case "NoSuchKey":
            return .noSuchKey
        case "NoSuchBucket":
            return .noSuchBucket
        case "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue":
            return .queueDoesNotExist
        case "ReceiptHandleIsInvalid", "AWS.SimpleQueueService.ReceiptHandleIsInvalid":
            return .invalidReceiptHandle
        case "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "SlowDown",
            "RequestLimitExceeded", "TooManyRequestsException", "RequestThrottledException",
            "ProvisionedThroughputExceededException", "AWS.SimpleQueueService.RequestThrottled":
            return .throttled
        case "InternalError", "InternalFailure", "ServiceUnavailable", "RequestTimeout",
            "AWS.SimpleQueueService.InternalError":
            return .serverError
        default:
            break
        }
        if statusCode == 429 { return .throttled }
        if statusCode >= 500 { return .serverError }
        return .other
    }
}
