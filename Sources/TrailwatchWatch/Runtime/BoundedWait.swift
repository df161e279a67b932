import Synchronization

/// Waits for a task to end, but not longer than `limit` (the task goes on by itself after that): a stop must not
/// hang on a call that ignores cancellation, such as an SQS delete being retried against an unreachable queue.
/// - Returns: whether the task ended in time.
func waitForEnd(of task: Task<Void, Never>, upTo limit: Duration) async -> Bool {
    final class Ended: Sendable {
        let flag = Mutex(false)
    }
    let ended = Ended()
    Task {
        await task.value
        ended.flag.withLock { $0 = true }
    }
    let deadline = ContinuousClock.now + limit
    while !ended.flag.withLock({ $0 }) && ContinuousClock.now < deadline {
        try? await Task.sleep(for: .milliseconds(10))
    }
    return ended.flag.withLock { $0 }
}
