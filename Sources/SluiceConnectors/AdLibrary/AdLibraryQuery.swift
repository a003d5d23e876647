import Foundation

/// A query of the Meta Ad Library API (`GET /{version}/ads_archive`), as parsed from a web Ad Library URL.
///
/// ```swift
/// let parsed = try AdLibraryQuery(webURL: "https://www.facebook.com/ads/library/?country=US&view_all_page_id=123&search_type=page")
/// parsed.query.pageIDs       // ["123"]
/// parsed.ignored             // parameters without an API equivalent, such as sort options
/// ```
public struct AdLibraryQuery: Sendable, Hashable {
    /// How `searchTerms` match.
    public enum SearchType: String, Sendable, Hashable, CaseIterable {
        case keywordUnordered = "KEYWORD_UNORDERED"
        case keywordExactPhrase = "KEYWORD_EXACT_PHRASE"
    }

    /// `search_terms`: keywords (space means AND), at most 100 characters.
    public var searchTerms: String?
    /// `search_type`.
    public var searchType: SearchType?
    /// `search_page_ids`: at most 10 page ids.
    public var pageIDs: [String]
    /// `ad_reached_countries`: ISO 3166 alpha-2 codes or `ALL`; required.
    public var countries: [String]
    /// `ad_active_status`: `ACTIVE`, `INACTIVE` or `ALL`.
    public var activeStatus: String?
    /// `ad_type`, such as `ALL` or `POLITICAL_AND_ISSUE_ADS`.
    public var adType: String?
    /// `media_type`: `ALL`, `IMAGE`, `MEME`, `VIDEO` or `NONE`.
    public var mediaType: String?
    /// `ad_delivery_date_min`, `YYYY-MM-DD`.
    public var deliveryDateMin: String?
    /// `ad_delivery_date_max`, `YYYY-MM-DD`.
    public var deliveryDateMax: String?
    /// `publisher_platforms`, such as `FACEBOOK`.
    public var platforms: [String]
    /// `languages`: ISO 639-1 codes.
    public var languages: [String]

    /// Creates a query.
    public init(
        searchTerms: String? = nil, searchType: SearchType? = nil, pageIDs: [String] = [], countries: [String],
        activeStatus: String? = nil, adType: String? = nil, mediaType: String? = nil, deliveryDateMin: String? = nil,
        deliveryDateMax: String? = nil, platforms: [String] = [], languages: [String] = []
    ) {
        self.searchTerms = searchTerms
        self.searchType = searchType
        self.pageIDs = pageIDs
        self.countries = countries
        self.activeStatus = activeStatus
        self.adType = adType
        self.mediaType = mediaType
        self.deliveryDateMin = deliveryDateMin
        self.deliveryDateMax = deliveryDateMax
        self.platforms = platforms
        self.languages = languages
    }

    /// The API's query parameters (without `fields`, `limit`, `after` and the token). Lists are JSON arrays, as
    /// Meta's own clients send them.
    public var apiParameters: [(name: String, value: String)] {
        var parameters: [(String, String)] = [("ad_reached_countries", Self.jsonList(countries))]
        if let searchTerms { parameters.append(("search_terms", searchTerms)) }
        if let searchType { parameters.append(("search_type", searchType.rawValue)) }
        if !pageIDs.isEmpty { parameters.append(("search_page_ids", Self.jsonList(pageIDs))) }
        if let activeStatus { parameters.append(("ad_active_status", activeStatus)) }
        if let adType { parameters.append(("ad_type", adType)) }
        if let mediaType { parameters.append(("media_type", mediaType)) }
        if let deliveryDateMin { parameters.append(("ad_delivery_date_min", deliveryDateMin)) }
        if let deliveryDateMax { parameters.append(("ad_delivery_date_max", deliveryDateMax)) }
        if !platforms.isEmpty { parameters.append(("publisher_platforms", Self.jsonList(platforms))) }
        if !languages.isEmpty { parameters.append(("languages", Self.jsonList(languages))) }
        return parameters
    }

    private static func jsonList(_ values: [String]) -> String {
        "[" + values.map { "\"\($0)\"" }.joined(separator: ",") + "]"
    }
}
