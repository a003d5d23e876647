import ArgumentParser

/// `--limit` and `--cursor` for the list commands (keyset pages, as in the HTTP API).
struct PagingOptions: ParsableArguments {
    @Option(help: "Rows per page, 1-1000.") var limit = 50
    @Option(help: "The cursor of the next page, as printed below the previous one.") var cursor: String?

    func validate() throws {
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000") }
    }

    /// `table`, followed by how to get the next page when there is one.
    func footer(_ table: String, next: String?) -> String {
        guard let next else { return table }
        return table + "\n\nMore: add --cursor \(next)"
    }
}
