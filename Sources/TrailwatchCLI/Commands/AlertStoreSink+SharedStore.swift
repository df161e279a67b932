import TrailwatchServer

extension AlertStoreSink {
    /// A sink into a store already open (`serve --watch` delivers into the store its pages read, `:memory:`
    /// included). `path` names the sink (`store:PATH`) in logs and the checkpoint's cursors.
    init(store: AlertStore, path: String) {
        self.store = store
        self.path = path
    }
}
