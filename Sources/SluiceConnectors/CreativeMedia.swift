/// An image or video of an ad's creative, as a source lists it.
public struct CreativeMedia: Sendable, Hashable {
    /// What it is.
    public enum Kind: String, Sendable, Hashable {
        case image
        case video
    }

    /// What it is.
    public var kind: Kind
    /// Where to download it (often a signed, expiring CDN URL).
    public var url: String
    /// The carousel card it belongs to, 0 for single-creative ads.
    public var cardIndex: Int

    /// Creates a creative's medium.
    public init(kind: Kind, url: String, cardIndex: Int = 0) {
        self.kind = kind
        self.url = url
        self.cardIndex = cardIndex
    }
}
