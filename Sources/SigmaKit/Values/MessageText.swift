extension StringProtocol {
    /// The text as quoted in an error message: cut to 60 characters so that a 10 MB value never ends up
    /// verbatim in a diagnostic.
    var forMessage: String {
        let limit = 60
        var index = startIndex
        var count = 0
        while index < endIndex {
            if count == limit { return String(self[startIndex..<index]) + "…" }
            count += 1
            index = self.index(after: index)
        }
        return String(self)
    }
}
