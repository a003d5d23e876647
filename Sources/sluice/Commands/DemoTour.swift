import Foundation
import SluiceAdIntelModel
import SluiceCore
import SluiceEngine
import SluiceStore

/// The values the README's tour needs on the demo's database (its path, the API's address, the admin token, the
/// brand, a competitor with its Ad Library URL, the recurring meta_sync), which `sluice demo` prints as shell lines
/// ready to paste into a second terminal. The README's tour shows the same lines and uses their variables.
struct DemoTour: Sendable {
    /// The SQLite database, as an absolute path.
    var database: String
    /// The first admin token's secret, when this start of the demo created it.
    var token: String?
    var brand: Brand?
    /// The brand's "Rival Coffee" (else its first competitor): the one with the most ads in the fake Ad Library.
    var competitor: Competitor?
    /// The brand's recurring meta_sync job.
    var syncJobID: Int64?

    /// Reads the demo's brand (else the first brand), its competitor and its recurring meta_sync.
    static func load(
        _ client: SluiceClient, _ adIntel: AdIntelClient, database: String, token: String?
    ) async throws -> DemoTour {
        var tour = DemoTour(database: database, token: token)
        let brands = try await client.brands()
        guard let brand = brands.first(where: { $0.name == DemoData.brandName }) ?? brands.first else { return tour }
        tour.brand = brand
        let competitors = try await adIntel.competitors(brandID: brand.id)
        tour.competitor = competitors.first { $0.name == DemoData.competitors[0].0 } ?? competitors.first
        let syncs = try await client.jobs(
            JobQuery(brandID: brand.id, jobType: "meta_sync", recurring: true, limit: 1))
        tour.syncJobID = syncs.items.first?.id
        return tour
    }

    /// The shell lines for the API on `port`: `export SLUICE_DATABASE_URL=…`, then `API`, `TOKEN`, `BRAND`,
    /// `COMPETITOR`, `AD_LIBRARY_URL` and `SYNC_JOB`, each with a comment saying what it is where that helps.
    func shellLines(port: Int) -> [String] {
        var lines = [
            "export SLUICE_DATABASE_URL=\(Self.quoted(database))", "API=http://127.0.0.1:\(port)/api/v1",
            token.map { "TOKEN=\($0)" }
                ?? "# TOKEN=… (the admin token printed when this database was first used)",
        ]
        if let brand { lines.append("BRAND=\(brand.id.uuidString.lowercased())  # \(Self.comment(brand.name))") }
        if let competitor {
            lines.append("COMPETITOR=\(competitor.id.uuidString.lowercased())  # \(Self.comment(competitor.name))")
            if let url = competitor.adLibraryURL { lines.append("AD_LIBRARY_URL=\(Self.quoted(url))") }
        }
        if let syncJobID { lines.append("SYNC_JOB=\(syncJobID)  # the recurring meta_sync") }
        return lines
    }

    /// `text` as one shell word: as is when it has only safe characters, else in single quotes.
    static func quoted(_ text: String) -> String {
        let safe = CharacterSet(
            charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-")
        guard text.unicodeScalars.contains(where: { !safe.contains($0) }) || text.isEmpty else { return text }
        return "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// `name` on one line, for a shell comment.
    private static func comment(_ name: String) -> String {
        name.components(separatedBy: .newlines).joined(separator: " ")
    }
}
