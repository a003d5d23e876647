/// One page of a Graph API edge (`ads_archive`, `insights`): its items and the cursor of the next page. Items that
/// do not decode are skipped; a missing `data` is an empty page.
struct GraphPage<Item: Decodable>: Decodable {
    private struct Paging: Decodable {
        struct Cursors: Decodable {
            let after: String?
        }

        let cursors: Cursors?
        let next: String?
    }

    private let data: LenientList<Item>?
    private let paging: Paging?

    /// The page's items.
    var items: [Item] { data?.elements ?? [] }

    /// The cursor of the next page; nil at the end (no `paging.next`).
    var after: String? {
        guard let paging, paging.next != nil else { return nil }
        return paging.cursors?.after
    }
}
