import Foundation

/// A deterministic corpus of Ad Library ads for the fake Graph API: the same seed always gives the same ads.
public struct AdCorpus: Sendable {
    /// One ad as the fake stores it.
    public struct Ad: Sendable, Hashable {
        public let id: String
        public let pageID: String
        public let pageName: String
        public let bodies: [String]
        public let titles: [String]
        public let startDate: String
        public let stopDate: String?
        public let platforms: [String]
        public let countries: [String]
        public let languages: [String]
        public let mediaType: String
    }

    /// The ads, in a stable order.
    public let ads: [Ad]

    /// Builds `count` ads per page for each page id.
    public init(pages: [(id: String, name: String, count: Int)]) {
        var ads: [Ad] = []
        let words = ["coffee", "subscription", "espresso", "beans", "organic", "roast", "morning", "delivery"]
        for (pageIndex, page) in pages.enumerated() {
            for index in 0..<page.count {
                let seed = pageIndex * 10_007 + index
                let word = words[seed % words.count]
                let other = words[(seed / 3 + 1) % words.count]
                let day = 1 + seed % 28
                let month = 1 + (seed / 28) % 9
                ads.append(
                    Ad(
                        id: String(900_000_000_000 + pageIndex * 100_000 + index), pageID: page.id, pageName: page.name,
                        bodies: ["\(page.name): fresh \(word) and \(other), ad \(index)"],
                        titles: ["\(page.name) \(word)"],
                        startDate: String(format: "2026-%02d-%02d", month, day),
                        stopDate: seed % 4 == 0 ? String(format: "2026-%02d-%02d", min(month + 1, 12), day) : nil,
                        platforms: seed % 3 == 0 ? ["facebook"] : ["facebook", "instagram"],
                        countries: seed % 5 == 0 ? ["US"] : ["US", "DE", "FR"], languages: ["en"],
                        mediaType: seed % 2 == 0 ? "IMAGE" : "VIDEO"))
            }
        }
        self.ads = ads
    }

    /// Three competitor pages (620, 140 and 35 ads): a 500-ad scrape of the first spans many pages. A fourth page,
    /// ``trapPageID``, has 3 ads whose creatives point at private addresses (SSRF traps).
    public static let standard = AdCorpus(pages: [
        (id: "123456", name: "Rival Coffee", count: 620), (id: "234567", name: "Bean Bros", count: 140),
        (id: "345678", name: "Roast Republic", count: 35), (id: trapPageID, name: "Trap Page", count: 3),
    ])

    /// The page whose ads' creatives are SSRF traps.
    public static let trapPageID = "666666"
}
