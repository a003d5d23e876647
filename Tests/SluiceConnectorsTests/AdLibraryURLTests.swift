import Testing

@testable import SluiceConnectors

@Suite("Ad Library URLs")
struct AdLibraryURLTests {
    @Test("a page URL becomes a page search with uppercase API values; sort options are ignored")
    func pageURL() throws {
        let url =
            "https://www.facebook.com/ads/library/?active_status=all&ad_type=all&country=US&is_targeted_country=false"
            + "&media_type=all&search_type=page&view_all_page_id=123456&sort_data[direction]=desc"
            + "&sort_data[mode]=relevancy_monthly_grouped"
        let query = try AdLibraryQuery(webURL: url)
        #expect(query.pageIDs == ["123456"] && query.countries == ["US"] && query.searchTerms == nil)
        #expect(query.activeStatus == "ALL" && query.adType == "ALL" && query.mediaType == "ALL")
        #expect(
            AdLibraryQuery.ignoredParameters(in: url) == [
                "is_targeted_country", "sort_data[direction]", "sort_data[mode]",
            ])
        let parameters = Dictionary(uniqueKeysWithValues: query.apiParameters.map { ($0.name, $0.value) })
        #expect(parameters["search_page_ids"] == "[\"123456\"]" && parameters["ad_reached_countries"] == "[\"US\"]")
        #expect(parameters["ad_active_status"] == "ALL")
    }

    @Test("a keyword URL maps q, the search type, dates, platform and language")
    func keywordURL() throws {
        let query = try AdLibraryQuery(
            webURL: "https://www.facebook.com/ads/library/?country=DE&q=coffee%20subscription"
                + "&search_type=keyword_exact_phrase&start_date[min]=2026-01-01&start_date[max]=2026-03-31"
                + "&publisher_platforms[0]=instagram&content_languages[0]=de&active_status=active")
        #expect(query.searchTerms == "coffee subscription" && query.searchType == .keywordExactPhrase)
        #expect(query.deliveryDateMin == "2026-01-01" && query.deliveryDateMax == "2026-03-31")
        #expect(query.platforms == ["INSTAGRAM"] && query.languages == ["de"] && query.activeStatus == "ACTIVE")
    }

    @Test(
        "bad URLs name the parameter at fault",
        arguments: [
            ("https://example.com/ads/library/?country=US&view_all_page_id=1", nil),
            ("ftp://www.facebook.com/ads/library/?country=US&view_all_page_id=1", nil),
            ("https://www.facebook.com/somepage", nil),
            ("https://www.facebook.com/ads/library/?view_all_page_id=1&search_type=page", "country"),
            ("https://www.facebook.com/ads/library/?country=USA&view_all_page_id=1", "country"),
            ("https://www.facebook.com/ads/library/?country=US&search_type=page", "view_all_page_id"),
            (
                "https://www.facebook.com/ads/library/?country=US&search_type=page&view_all_page_id=12a",
                "view_all_page_id"
            ),
            ("https://www.facebook.com/ads/library/?country=US&search_type=keyword_unordered", "q"),
            ("https://www.facebook.com/ads/library/?country=US&q=x&search_type=fuzzy", "search_type"),
            ("https://www.facebook.com/ads/library/?country=US", "search_type"),
            ("https://www.facebook.com/ads/library/?country=US&q=x&active_status=maybe", "active_status"),
            ("https://www.facebook.com/ads/library/?country=US&q=x&media_type=image_and_meme", "media_type"),
            ("https://www.facebook.com/ads/library/?country=US&q=x&start_date[min]=2026-13-01", "start_date[min]"),
            ("https://www.facebook.com/ads/library/?country=US&q=x&tracking=1", "tracking"),
            ("https://www.facebook.com/ads/library/?id=123&country=US", "id"),
        ])
    func refused(url: String, parameter: String?) {
        #expect(throws: AdLibraryURLError.self) { try AdLibraryQuery(webURL: url) }
        do {
            _ = try AdLibraryQuery(webURL: url)
        } catch {
            #expect(error.parameter == parameter)
        }
    }
}
