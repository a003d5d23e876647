import Foundation

/// Why a web Ad Library URL cannot be turned into an API query; names the offending URL parameter.
public struct AdLibraryURLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL parameter at fault, or nil when the URL itself is wrong.
    public let parameter: String?
    /// What is wrong.
    public let message: String

    public var description: String {
        parameter.map { "parameter \($0): \(message)" } ?? message
    }
}

extension AdLibraryQuery {
    /// Parses a web Ad Library URL (`https://www.facebook.com/ads/library/?…`, page or keyword form).
    ///
    /// Lowercase web values become the API's uppercase ones. Sort options and `is_targeted_country` have no API
    /// equivalent: they are returned in `ignored`. Any other unknown parameter, or a bad value, is an error that
    /// names it.
    public init(webURL text: String) throws(AdLibraryURLError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = components.host?.lowercased(),
            host == "facebook.com" || host.hasSuffix(".facebook.com"),
            components.path.hasPrefix("/ads/library")
        else {
            throw AdLibraryURLError(
                parameter: nil, message: "not a Meta Ad Library URL (https://www.facebook.com/ads/library/?…)")
        }
        var values: [String: String] = [:]
        for (name, value) in Self.queryItems(of: text) where !value.isEmpty { values[name] = value }
        try self.init(webParameters: values)
    }

    /// The names of parameters in `webURL` that have no API equivalent and were ignored.
    public static func ignoredParameters(in webURL: String) -> [String] {
        queryItems(of: webURL).map(\.name).filter(isIgnored).sorted()
    }

    /// The decoded query items of a URL. Parsed by hand: the web Ad Library uses unencoded brackets
    /// (`start_date[min]`), which Foundation on Linux then leaves percent-encoded.
    private static func queryItems(of text: String) -> [(name: String, value: String)] {
        guard let start = text.firstIndex(of: "?") else { return [] }
        let query = text[text.index(after: start)...].prefix { $0 != "#" }
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decoded(parts[0]), parts.count > 1 ? decoded(parts[1]) : "")
        }
    }

    private static func isIgnored(_ name: String) -> Bool {
        name.hasPrefix("sort_data") || name == "is_targeted_country"
    }

    private init(webParameters values: [String: String]) throws(AdLibraryURLError) {
        let known: Set = [
            "q", "search_type", "view_all_page_id", "country", "active_status", "ad_type", "media_type",
            "start_date[min]", "start_date[max]", "publisher_platforms[0]", "content_languages[0]", "id",
        ]
        if let unknown = values.keys.sorted().first(where: { !known.contains($0) && !Self.isIgnored($0) }) {
            throw AdLibraryURLError(parameter: unknown, message: "is not an Ad Library search parameter")
        }
        guard values["id"] == nil else {
            throw AdLibraryURLError(
                parameter: "id", message: "names a single ad; use a page or keyword search URL")
        }
        guard let country = values["country"]?.uppercased() else {
            throw AdLibraryURLError(parameter: "country", message: "is required (a country code or ALL)")
        }
        guard country == "ALL" || (country.count == 2 && country.allSatisfy { $0.isASCII && $0.isLetter }) else {
            throw AdLibraryURLError(parameter: "country", message: "must be a two-letter country code or ALL")
        }
        self.init(countries: [country])
        switch values["search_type"] {
        case "page":
            guard let page = values["view_all_page_id"] else {
                throw AdLibraryURLError(parameter: "view_all_page_id", message: "is required with search_type=page")
            }
            guard page.allSatisfy(\.isWholeNumber), page.count <= 30 else {
                throw AdLibraryURLError(parameter: "view_all_page_id", message: "must be a numeric page id")
            }
            pageIDs = [page]
        case "keyword_unordered", "keyword_exact_phrase":
            guard let terms = values["q"] else {
                throw AdLibraryURLError(parameter: "q", message: "is required with a keyword search_type")
            }
            guard terms.count <= 100 else { throw AdLibraryURLError(parameter: "q", message: "is over 100 characters") }
            searchTerms = terms
            searchType = values["search_type"] == "keyword_exact_phrase" ? .keywordExactPhrase : .keywordUnordered
        case nil:
            if let page = values["view_all_page_id"] {
                guard page.allSatisfy(\.isWholeNumber), page.count <= 30 else {
                    throw AdLibraryURLError(parameter: "view_all_page_id", message: "must be a numeric page id")
                }
                pageIDs = [page]
            } else if let terms = values["q"] {
                guard terms.count <= 100 else {
                    throw AdLibraryURLError(parameter: "q", message: "is over 100 characters")
                }
                searchTerms = terms
            } else {
                throw AdLibraryURLError(
                    parameter: "search_type", message: "the URL searches neither a page nor keywords")
            }
        case let other?:
            throw AdLibraryURLError(
                parameter: "search_type",
                message: "\(other.prefix(40)) is not one of page, keyword_unordered, keyword_exact_phrase")
        }
        activeStatus = try Self.enumValue(values, "active_status", ["active", "inactive", "all"])
        adType = try Self.enumValue(
            values, "ad_type",
            [
                "all", "political_and_issue_ads", "housing_ads", "employment_ads", "credit_ads",
                "financial_products_and_services_ads",
            ])
        mediaType = try Self.enumValue(values, "media_type", ["all", "image", "meme", "video", "none"])
        deliveryDateMin = try Self.date(values, "start_date[min]")
        deliveryDateMax = try Self.date(values, "start_date[max]")
        if let platform = try Self.enumValue(
            values, "publisher_platforms[0]",
            ["facebook", "instagram", "audience_network", "messenger", "whatsapp", "oculus", "threads"])
        {
            platforms = [platform]
        }
        if let language = values["content_languages[0]"] {
            guard language.count == 2, language.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw AdLibraryURLError(parameter: "content_languages[0]", message: "must be an ISO 639-1 code")
            }
            languages = [language.lowercased()]
        }
    }

    private static func enumValue(
        _ values: [String: String], _ name: String, _ allowed: [String]
    ) throws(AdLibraryURLError) -> String? {
        guard let value = values[name] else { return nil }
        guard allowed.contains(value.lowercased()) else {
            throw AdLibraryURLError(
                parameter: name, message: "\(value.prefix(40)) is not one of \(allowed.joined(separator: ", "))")
        }
        return value.uppercased()
    }

    private static func date(_ values: [String: String], _ name: String) throws(AdLibraryURLError) -> String? {
        guard let value = values[name] else { return nil }
        let parts = value.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isWholeNumber) }), let month = Int(parts[1]), (1...12).contains(month),
            let day = Int(parts[2]), (1...31).contains(day)
        else { throw AdLibraryURLError(parameter: name, message: "must be a date YYYY-MM-DD") }
        return value
    }
}
