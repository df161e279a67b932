import Logging

extension WatchConfiguration {
    /// Checks the target before anything is opened: a folder that exists, or S3 settings without `--once`.
    func checkSource() throws(WatchError) {
        if let s3 {
            // The queue has no end to reach: `--once` would never finish.
            if once { throw WatchError("--once cannot be used with \(s3.location): an SQS queue has no end") }
            return
        }
        guard FileLook(path: root)?.isDirectory == true else {
            throw WatchError("cannot watch \(root): not a folder (or it cannot be read)")
        }
    }

    /// The folder's ``DirectorySource``, or an ``S3QueueSource`` when ``s3`` is set.
    func makeSource(checkpoint: Checkpoint, logger: Logger) throws(WatchError) -> any WatchSource {
        if let s3 {
            let s3Logger = Logger(label: "trailwatch.watch.s3") { label in
                // Keeps the caller's handler (stderr lines, level) under the S3 label.
                if logger.handler is StderrLogHandler { return StderrLogHandler(label: label, level: logger.logLevel) }
                return logger.handler
            }
            return try S3QueueSource.make(s3, logger: s3Logger)
        }
        var sourceOptions = source
        sourceOptions.once = once
        return DirectorySource(root: root, checkpoint: checkpoint, options: sourceOptions, logger: logger)
    }
}
