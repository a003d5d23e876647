import SluiceCore

/// One page of a keyset-paginated list, newest first.
public struct Page<Item: Sendable>: Sendable {
    /// The items.
    public let items: [Item]
    /// The cursor of the next page, nil on the last page.
    public let nextCursor: String?

    /// Creates a page from up to `limit + 1` fetched items: the extra item only proves a next page exists.
    public init(fetched: [Item], limit: Int, id: (Item) -> Int64) {
        items = Array(fetched.prefix(limit))
        nextCursor = fetched.count > limit ? items.last.map { PageCursor.encode(id($0)) } : nil
    }

    private init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// The page with each item transformed and the same cursor.
    public func map<Other: Sendable>(_ transform: (Item) throws -> Other) rethrows -> Page<Other> {
        Page<Other>(items: try items.map(transform), nextCursor: nextCursor)
    }
}

/// Opaque keyset cursors: the id of the last item of the previous page.
public enum PageCursor {
    /// The cursor after `id`.
    public static func encode(_ id: Int64) -> String { "k\(id)" }

    /// The id a cursor points after.
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `cursor`.
    public static func decode(_ cursor: String?) throws(SluiceError) -> Int64? {
        guard let cursor else { return nil }
        // At most 18 digits: every such id fits an Int64, so the rule is one a document's pattern can state.
        guard cursor.first == "k", cursor.count <= 19, let id = Int64(cursor.dropFirst()), id > 0 else {
            throw .invalidArgument("cursor", "is not a cursor returned by a previous page")
        }
        return id
    }
}

/// Checks of list limits shared by the stores.
public enum PageLimit {
    /// The largest page.
    public static let maximum = 1000

    /// Validates a page size.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `limit`.
    public static func validate(_ limit: Int, field: String = "limit") throws(SluiceError) {
        guard (1...maximum).contains(limit) else {
            throw .invalidArgument(field, "must be between 1 and \(maximum)")
        }
    }
}
