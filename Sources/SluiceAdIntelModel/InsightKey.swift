/// One ad's row of one day in a brand's insights.
public struct InsightKey: Sendable, Hashable {
    /// The ad.
    public var adID: String
    /// The day, `YYYY-MM-DD`.
    public var date: String

    /// Creates a key.
    public init(adID: String, date: String) {
        self.adID = adID
        self.date = date
    }
}
