/// Exponential backoff with jitter for transient AWS failures (throttling, 5xx, transport errors).
public struct RetryPolicy: Sendable, Equatable {
    /// The most attempts for one object fetch or one delete, the first included. Receiving from the queue is
    /// retried without limit (a watcher should outlast an outage), each retry reported.
    public var maxAttempts: Int
    /// The delay before the first retry.
    public var initialDelay: Duration
    /// The longest delay between two attempts.
    public var maxDelay: Duration

    /// A policy from its parts.
    public init(maxAttempts: Int = 5, initialDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(20)) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
    }

    /// The default: 5 attempts, 200 ms doubling up to 20 s.
    public static let `default` = RetryPolicy()

    /// The delay before retry number `retry` (1 for the first): `initialDelay · 2^(retry-1)` capped at `maxDelay`,
    /// then a random point in its upper half, so that many watchers do not retry in step.
    public func delay(beforeRetry retry: Int) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let grown = initialDelay * (1 << exponent)
        let capped = min(grown, maxDelay)
        return capped * Double.random(in: 0.5...1.0)
    }
}
