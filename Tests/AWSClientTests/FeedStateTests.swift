import Testing

@testable import AWSClient

@Suite struct FeedStateTests {
    let a = S3ObjectReference(bucket: "b", key: "a.json")
    let b = S3ObjectReference(bucket: "b", key: "b.json")

    @Test func messageFinishesWhenEveryObjectIsDone() async {
        let state = FeedState()
        #expect(await state.register(messageID: "m", receiptHandle: "h1", objects: [a, b]) == nil)
        #expect(await state.nextQueued()?.0 == a)
        #expect(await state.nextQueued()?.0 == b)
        #expect(await state.nextQueued() == nil)
        #expect(await state.markDone(a, messageID: "m") == nil)
        #expect(await state.markDone(b, messageID: "m") == "h1")
        #expect(await state.markDone(b, messageID: "m") == nil)  // already deleted: nothing to do
    }

    @Test func redeliveryTakesTheNewReceiptHandleAndRequeuesWhatIsNotDone() async {
        let state = FeedState()
        _ = await state.register(messageID: "m", receiptHandle: "h1", objects: [a, b])
        _ = await state.nextQueued()
        _ = await state.nextQueued()
        #expect(await state.markDone(a, messageID: "m") == nil)
        // Visibility timeout over: the same message again, with a new handle.
        #expect(await state.register(messageID: "m", receiptHandle: "h2", objects: [a, b]) == nil)
        #expect(await state.nextQueued()?.0 == b)
        #expect(await state.nextQueued() == nil)
        #expect(await state.markDone(b, messageID: "m") == "h2")
    }

    @Test func redeliveryWhileStillQueuedDoesNotQueueTwice() async {
        let state = FeedState()
        _ = await state.register(messageID: "m", receiptHandle: "h1", objects: [a])
        _ = await state.register(messageID: "m", receiptHandle: "h2", objects: [a])
        #expect(await state.nextQueued()?.0 == a)
        #expect(await state.nextQueued() == nil)
        #expect(await state.markDone(a, messageID: "m") == "h2")
    }
}
