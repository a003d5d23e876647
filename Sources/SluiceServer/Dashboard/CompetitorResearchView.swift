import Foundation
import SluiceAdIntelModel
import SluiceCore
import SluiceEngine
import SluiceStore

/// What Competitor Research shows: brand and competitor pickers, the scrape form, the competitor's last scrape
/// runs and its scraped ads with their downloaded creatives.
struct CompetitorResearchView {
    /// The job type the page queues.
    static let scrapeType = "competitor_scrape"
    /// How many ads one page of the grid shows.
    static let adsPerPage = 24

    /// What the caller picked and what came back from a submission.
    struct Selection {
        var brandID: UUID?
        var competitorID: UUID?
        var adsCursor: String?
        /// The run a queued submission created.
        var queuedRunID: Int64?
        /// The active run a submission was deduplicated against (one scrape per competitor at a time).
        var activeRunID: Int64?
        /// The run a direct submission finished.
        var finishedRunID: Int64?
        /// The submitted scrape form, when it is shown again with errors.
        var submitted: [String: String]?
        var errors: [String: String] = [:]
    }

    let context: [String: Any]

    static func load(
        client: SluiceClient, adIntel: AdIntelClient, identity: AccessIdentity, selection: Selection,
        canRunDirectly: Bool
    ) async throws -> CompetitorResearchView {
        let brands = try await client.brands().filter { identity.brandID == nil || $0.id == identity.brandID }
        let brand = brands.first { $0.id == selection.brandID } ?? brands.first
        var page: [String: Any] = [
            "brands": brands.map { ["id": $0.id.lowercased, "name": $0.name, "selected": $0.id == brand?.id] },
            "hasBrands": !brands.isEmpty,
        ]
        guard let brand else { return CompetitorResearchView(context: page) }
        page["brand"] = ["id": brand.id.lowercased, "name": brand.name]
        let competitors = try await adIntel.competitors(brandID: brand.id)
        page["competitors"] = competitors.map {
            ["id": $0.id.lowercased, "name": $0.name, "selected": $0.id == selection.competitorID]
        }
        page["hasCompetitors"] = !competitors.isEmpty
        guard let competitor = competitors.first(where: { $0.id == selection.competitorID }) ?? competitors.first
        else { return CompetitorResearchView(context: page) }
        page["competitors"] = competitors.map {
            ["id": $0.id.lowercased, "name": $0.name, "selected": $0.id == competitor.id]
        }
        page["competitor"] = [
            "id": competitor.id.lowercased, "name": competitor.name, "url": competitor.adLibraryURL ?? "",
        ]
        page["form"] = try scrapeForm(client: client, competitor: competitor, selection: selection)
        page["canScrape"] = identity.role >= .operator
        page["canRunDirectly"] = canRunDirectly
        page["runs"] = try await lastRuns(client: client, competitor: competitor)
        if let id = selection.queuedRunID { page["queued"] = ["id": id] }
        if let id = selection.activeRunID, let run = try? await client.run(id: id), run.brandID == brand.id {
            // Deduplicated against the competitor's active scrape job: its run, or a recurring job between ticks.
            page["already"] = ["id": id, "jobID": run.jobID, "active": !run.state.isTerminal]
        }
        if let id = selection.finishedRunID, let run = try? await client.run(id: id), run.brandID == brand.id {
            page["finished"] = DashboardFormat.runRow(run, summary: try await client.logSummary(runID: run.id))
        }
        let ads = try await adIntel.competitorAds(
            CompetitorAdQuery(
                brandID: brand.id, competitorID: competitor.id, limit: adsPerPage, cursor: selection.adsCursor))
        var cards: [[String: Any]] = []
        for stored in ads.items { cards.append(try await card(stored, adIntel: adIntel)) }
        page["ads"] = cards
        page["hasAds"] = !cards.isEmpty
        page["nextAds"] = ads.nextCursor
        return CompetitorResearchView(context: page)
    }

    /// The competitor's last 5 scrape runs, newest first, with their log summaries.
    static func lastRuns(client: SluiceClient, competitor: Competitor) async throws -> [[String: Any]] {
        let runs = try await client.runs(
            RunQuery(
                brandID: competitor.brandID, jobType: scrapeType,
                parameter: ParameterFilter("competitor_id", equals: .string(competitor.id.lowercased)), limit: 5))
        let summaries = try await client.logSummaries(runIDs: runs.items.map(\.id))
        return runs.items.map { DashboardFormat.runRow($0, summary: summaries[$0.id] ?? .empty) }
    }

    private static func scrapeForm(
        client: SluiceClient, competitor: Competitor, selection: Selection
    ) throws -> [String: Any] {
        let type = try client.registry.require(scrapeType)
        let defaults = type.schema.defaults
        let maxAds: String
        if let submitted = selection.submitted {
            maxAds = submitted["max_ads"] ?? ""
        } else if case .int(let value) = defaults["max_ads"] {
            maxAds = String(value)
        } else {
            maxAds = ""
        }
        var form: [String: Any] = [
            "url": selection.submitted?["ad_library_url"] ?? competitor.adLibraryURL ?? "", "maxAds": maxAds,
            "direct": selection.submitted?["direct"] == "on",
        ]
        form["urlError"] = selection.errors["ad_library_url"]
        form["maxAdsError"] = selection.errors["max_ads"]
        form["error"] =
            selection.errors.filter { !["ad_library_url", "max_ads"].contains($0.key) }
            .map { "\($0.key.replacingOccurrences(of: "_", with: " ")): \($0.value)" }.sorted().first
        return form
    }

    private static func card(_ stored: CompetitorAd, adIntel: AdIntelClient) async throws -> [String: Any] {
        let ad = stored.ad
        let assets = try await adIntel.adAssets(brandID: stored.brandID, archiveID: ad.archiveID)
        let shown = assets.first { $0.state == .downloaded && $0.contentHash != nil }
        var card: [String: Any] = [
            "archiveID": ad.archiveID, "body": ad.bodies.first ?? ad.titles.first ?? "",
            "platforms": ad.platforms.joined(separator: ", "), "active": ad.isActive,
            "started": ad.startedAt.map { $0.formatted(.iso8601.year().month().day()) } ?? "—",
            "libraryURL": ad.libraryURL, "firstSeen": DashboardFormat.age(of: stored.firstSeenAt),
        ]
        if let shown, let hash = shown.contentHash, let type = shown.contentType,
            let fileExtension = MediaFiles.fileExtension(ofContentType: type)
        {
            card["media"] = [
                "src": "/media/\(hash).\(fileExtension)", "video": shown.asset.kind == .video,
            ]
        } else {
            card["placeholder"] =
                assets.isEmpty ? "Creative not downloaded yet" : (assets.first?.state.rawValue ?? "not downloaded")
        }
        return card
    }
}
