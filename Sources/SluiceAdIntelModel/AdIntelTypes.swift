import Foundation
import SluiceCore
import SluiceStore

/// A request to create a competitor of a brand.
public struct CompetitorRequest: Sendable, Hashable {
    /// The brand.
    public var brandID: UUID
    /// Its name.
    public var name: String
    /// Its Meta page id (digits), if known.
    public var pageID: String?
    /// Its Ad Library URL, if known.
    public var adLibraryURL: String?

    /// Creates a request.
    public init(brandID: UUID, name: String, pageID: String? = nil, adLibraryURL: String? = nil) {
        self.brandID = brandID
        self.name = name
        self.pageID = pageID
        self.adLibraryURL = adLibraryURL
    }

    /// Validates the request.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `name`, `page_id` or
    /// `ad_library_url`.
    public func validate() throws(SluiceError) {
        try DomainNames.validate(name)
        if let pageID,
            pageID.isEmpty || pageID.count > 30 || !pageID.allSatisfy(\.isASCII) || !pageID.allSatisfy(\.isNumber)
        {
            throw .invalidArgument("page_id", "must be a numeric Meta page id")
        }
        if let adLibraryURL { try Self.validate(adLibraryURL: adLibraryURL) }
    }
}

/// A competitor of a brand.
public struct Competitor: Sendable, Hashable, Identifiable {
    /// Its id.
    public let id: UUID
    /// The brand it competes with.
    public let brandID: UUID
    /// Its name.
    public let name: String
    /// Its Meta page id, if known.
    public let pageID: String?
    /// Its Ad Library URL, if known.
    public let adLibraryURL: String?
    /// When it was created.
    public let createdAt: Date

    /// Creates a competitor (stores build these from rows).
    public init(id: UUID, brandID: UUID, name: String, pageID: String?, adLibraryURL: String?, createdAt: Date) {
        self.id = id
        self.brandID = brandID
        self.name = name
        self.pageID = pageID
        self.adLibraryURL = adLibraryURL
        self.createdAt = createdAt
    }
}

extension CompetitorRequest {
    /// Checks that `text` is a web Meta Ad Library address: `https://www.facebook.com/ads/library/?…` (http or
    /// https, facebook.com or a subdomain, the `/ads/library` path), at most 2000 bytes, with no characters that a
    /// URL must percent-encode (spaces, quotes, angle brackets, control characters). The scrape handler parses its
    /// query parameters when a scrape is queued.
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `ad_library_url`.
    public static func validate(adLibraryURL text: String) throws(SluiceError) {
        guard text.utf8.count <= 2_000, hasOnlyURLCharacters(text),
            let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = components.host?.lowercased(),
            host == "facebook.com" || host.hasSuffix(".facebook.com"),
            host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }),
            !host.contains(".."), components.user == nil, components.password == nil, components.port == nil,
            components.percentEncodedPath.hasPrefix("/ads/library")
        else {
            throw .invalidArgument(
                "ad_library_url",
                "must be a Meta Ad Library URL such as https://www.facebook.com/ads/library/?view_all_page_id=123 "
                    + "(at most 2000 bytes, special characters percent-encoded)")
        }
    }

    /// Whether `text` holds only characters a URL may carry unencoded (letters, digits and
    /// `! $ & ' ( ) * + , . / : ; = ? @ [ ] _ ~ # -`), and `%` only as a well-formed escape. The OpenAPI
    /// document's pattern for `ad_library_url` states the same rule.
    static func hasOnlyURLCharacters(_ text: String) -> Bool {
        let allowed = Set("!$&'()*+,./:;=?@[]_~#-".utf8)
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, bytes[index + 1].isHexDigit, bytes[index + 2].isHexDigit else {
                    return false
                }
                index += 3
                continue
            }
            let isAlphanumeric =
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            guard isAlphanumeric || allowed.contains(byte) else { return false }
            index += 1
        }
        return true
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}

/// An ad of a competitor as a source (the Ad Library API or a scraper feed) reports it.
public struct ScrapedAd: Sendable, Hashable {
    /// The Ad Library archive id (numeric string).
    public var archiveID: String
    /// The advertiser's page id.
    public var pageID: String?
    /// The advertiser's page name.
    public var pageName: String?
    /// Whether it is running.
    public var isActive: Bool
    /// When delivery started.
    public var startedAt: Date?
    /// When delivery stopped.
    public var endedAt: Date?
    /// Where it ran, lowercase (`facebook`, `instagram`, …).
    public var platforms: [String]
    /// `IMAGE`, `VIDEO`, `CAROUSEL`, … when known.
    public var displayFormat: String?
    /// Body texts, one per card or version.
    public var bodies: [String]
    /// Link titles, one per card or version.
    public var titles: [String]
    /// The landing page.
    public var linkURL: String?
    /// The call to action, such as `SHOP_NOW`.
    public var callToAction: String?
    /// How many ads share the creative.
    public var collationCount: Int?
    /// The creative's image and video URLs.
    public var assets: [ScrapedAsset]

    /// Creates an ad.
    public init(
        archiveID: String, pageID: String? = nil, pageName: String? = nil, isActive: Bool, startedAt: Date? = nil,
        endedAt: Date? = nil, platforms: [String] = [], displayFormat: String? = nil, bodies: [String] = [],
        titles: [String] = [], linkURL: String? = nil, callToAction: String? = nil, collationCount: Int? = nil,
        assets: [ScrapedAsset] = []
    ) {
        self.archiveID = archiveID
        self.pageID = pageID
        self.pageName = pageName
        self.isActive = isActive
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.platforms = platforms
        self.displayFormat = displayFormat
        self.bodies = bodies
        self.titles = titles
        self.linkURL = linkURL
        self.callToAction = callToAction
        self.collationCount = collationCount
        self.assets = assets
    }

    /// The public Ad Library page of the ad (never the API's snapshot URL, which embeds an access token).
    public var libraryURL: String { "https://www.facebook.com/ads/library/?id=\(archiveID)" }

    /// Validates the ad.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `archive_id`.
    public func validate() throws(SluiceError) {
        guard !archiveID.isEmpty, archiveID.count <= 30, archiveID.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .invalidArgument("archive_id", "must be a numeric Ad Library id")
        }
    }
}

/// An image or video of an ad's creative.
public struct ScrapedAsset: Sendable, Hashable {
    /// What it is.
    public enum Kind: String, Sendable, Hashable, Codable {
        case image
        case video
    }

    /// What it is.
    public var kind: Kind
    /// Where to download it (often a signed, expiring CDN URL).
    public var sourceURL: String
    /// The carousel card it belongs to, 0 for single-creative ads.
    public var cardIndex: Int

    /// Creates an asset.
    public init(kind: Kind, sourceURL: String, cardIndex: Int = 0) {
        self.kind = kind
        self.sourceURL = sourceURL
        self.cardIndex = cardIndex
    }
}

/// A competitor's ad as stored: the last report of it, and when it was first and last seen.
public struct CompetitorAd: Sendable, Hashable, Identifiable {
    /// Its row id (increasing with first sight; the paging key).
    public let id: Int64
    /// The brand that tracks it.
    public let brandID: UUID
    /// The competitor it belongs to.
    public let competitorID: UUID
    /// What the source last reported.
    public let ad: ScrapedAd
    /// When a scrape first saw it.
    public let firstSeenAt: Date
    /// When a scrape last saw it.
    public let lastSeenAt: Date

    /// Creates a stored ad (stores build these from rows).
    public init(id: Int64, brandID: UUID, competitorID: UUID, ad: ScrapedAd, firstSeenAt: Date, lastSeenAt: Date) {
        self.id = id
        self.brandID = brandID
        self.competitorID = competitorID
        self.ad = ad
        self.firstSeenAt = firstSeenAt
        self.lastSeenAt = lastSeenAt
    }
}

/// What saving a batch of scraped ads did.
public struct AdUpsertResult: Sendable, Hashable {
    /// Archive ids seen for the first time (for this brand).
    public let newArchiveIDs: [String]
    /// How many were already known and were updated.
    public let updated: Int

    /// Creates a result.
    public init(newArchiveIDs: [String], updated: Int) {
        self.newArchiveIDs = newArchiveIDs
        self.updated = updated
    }
}

/// A query for a brand's stored competitor ads, newest first seen first.
public struct CompetitorAdQuery: Sendable, Hashable {
    /// The brand.
    public var brandID: UUID
    /// Only this competitor's ads.
    public var competitorID: UUID?
    /// Page size, 1...1000. Defaults to 50.
    public var limit: Int
    /// The cursor of the page to fetch.
    public var cursor: String?

    /// Creates a query.
    public init(brandID: UUID, competitorID: UUID? = nil, limit: Int = 50, cursor: String? = nil) {
        self.brandID = brandID
        self.competitorID = competitorID
        self.limit = limit
        self.cursor = cursor
    }
}

/// What became of one creative of an ad.
public struct AdAssetRecord: Sendable, Hashable {
    /// Where a download stands.
    public enum State: String, Sendable, Hashable, Codable {
        /// Stored in the asset store.
        case downloaded
        /// The signed CDN URL expired (HTTP 403 "URL signature expired"); a re-scrape brings a fresh one.
        case expired
        /// Refused by the egress policy, or not an image or video.
        case refused
        /// Failed otherwise.
        case failed
    }

    /// The creative.
    public let asset: ScrapedAsset
    /// Where its download stands.
    public let state: State
    /// The SHA-256 of its bytes (hex), when downloaded: its name in the content-addressed store.
    public let contentHash: String?
    /// Its content type, when downloaded.
    public let contentType: String?
    /// Its size in bytes, when downloaded.
    public let byteCount: Int?
    /// Why it is not downloaded.
    public let error: String?

    /// Creates a record.
    public init(
        asset: ScrapedAsset, state: State, contentHash: String? = nil, contentType: String? = nil,
        byteCount: Int? = nil, error: String? = nil
    ) {
        self.asset = asset
        self.state = state
        self.contentHash = contentHash
        self.contentType = contentType
        self.byteCount = byteCount
        self.error = error
    }
}

/// One ad's Meta Marketing insights for one day (`level=ad`, `time_increment=1`), values parsed from the API's strings.
public struct AdInsightRow: Sendable, Hashable {
    /// The ad account (`act_…`).
    public var adAccountID: String
    /// The ad.
    public var adID: String
    /// The ad's name.
    public var adName: String?
    /// The day, `YYYY-MM-DD` in the account's time zone.
    public var date: String
    /// Impressions.
    public var impressions: Int64
    /// Clicks.
    public var clicks: Int64
    /// Reach.
    public var reach: Int64
    /// Spend in the account's currency, exact.
    public var spend: Decimal
    /// Actions by type, such as `link_click` → 12.
    public var actions: [String: Int64]

    /// Creates a row.
    public init(
        adAccountID: String, adID: String, adName: String? = nil, date: String, impressions: Int64, clicks: Int64,
        reach: Int64, spend: Decimal, actions: [String: Int64] = [:]
    ) {
        self.adAccountID = adAccountID
        self.adID = adID
        self.adName = adName
        self.date = date
        self.impressions = impressions
        self.clicks = clicks
        self.reach = reach
        self.spend = spend
        self.actions = actions
    }

    /// Validates the row.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming the field.
    public func validate() throws(SluiceError) {
        guard !adID.isEmpty, adID.count <= 40 else { throw .invalidArgument("ad_id", "must be 1-40 characters") }
        guard date.count == 10, (try? Date("\(date)T00:00:00Z", strategy: .iso8601)) != nil else {
            throw .invalidArgument("date", "must be a date YYYY-MM-DD")
        }
        guard impressions >= 0, clicks >= 0, reach >= 0, spend >= 0 else {
            throw .invalidArgument("values", "must not be negative")
        }
    }
}

/// What saving insight rows did.
public struct InsightUpsertResult: Sendable, Hashable {
    /// Rows for days not stored before.
    public let inserted: Int
    /// Rows that replaced stored ones (Meta revises recent days).
    public let updated: Int

    /// Creates a result.
    public init(inserted: Int, updated: Int) {
        self.inserted = inserted
        self.updated = updated
    }
}

/// An ad kept as a template: a keyword search found it running long or widely collated.
public struct AdTemplate: Sendable, Hashable {
    /// The ad as the source reported it.
    public let ad: ScrapedAd
    /// The keywords that found it.
    public let searchTerms: String
    /// Why it is a template, such as "ran 94 days".
    public let reason: String
    /// When it was last saved.
    public let savedAt: Date

    /// Creates a template (stores build these from rows).
    public init(ad: ScrapedAd, searchTerms: String, reason: String, savedAt: Date) {
        self.ad = ad
        self.searchTerms = searchTerms
        self.reason = reason
        self.savedAt = savedAt
    }
}
