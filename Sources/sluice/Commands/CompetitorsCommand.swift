import ArgumentParser
import Foundation
import SluiceAdIntelModel
import SluiceServer
import SluiceStore

/// `sluice competitors`: the competitors of a brand whose ads are scraped.
struct CompetitorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "competitors", abstract: "List, add and delete a brand's competitors.",
        subcommands: [List.self, Add.self, Delete.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a brand's competitors.")

        @OptionGroup var store: StoreOptions
        @Option(help: "The brand, by id or name.") var brand: String
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let competitors = try await store.withClients { client, adIntel in
                try await adIntel.competitors(brandID: BrandReference.resolve(brand, with: client).id)
            }
            output.emit(
                APIRepresentation.competitors(competitors),
                text: TextTable.render(
                    ["ID", "NAME", "PAGE", "AD LIBRARY URL"],
                    competitors.map { [CLIText.id($0.id), $0.name, $0.pageID ?? "-", $0.adLibraryURL ?? "-"] }))
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a competitor to a brand.")

        @OptionGroup var store: StoreOptions
        @Option(help: "The brand, by id or name.") var brand: String
        @Option(help: "The competitor's name.") var name: String
        @Option(help: "Its Facebook page id.") var pageID: String?
        @Option(help: "Its Meta Ad Library URL.") var adLibraryURL: String?
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let competitor = try await store.withClients { client, adIntel in
                try await adIntel.createCompetitor(
                    CompetitorRequest(
                        brandID: BrandReference.resolve(brand, with: client).id, name: name, pageID: pageID,
                        adLibraryURL: adLibraryURL))
            }
            output.emit(
                APIRepresentation.competitor(competitor),
                text: "Added competitor \(competitor.name), id \(CLIText.id(competitor.id)).")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a competitor and its scraped ads.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The competitor's id.") var id: String

        func run() async throws {
            guard let competitorID = UUID(uuidString: id) else {
                throw ValidationError("the competitor id must be a UUID")
            }
            let competitor = try await store.withClients { _, adIntel in
                let found = try await adIntel.competitor(id: competitorID)
                try await adIntel.deleteCompetitor(id: competitorID)
                return found
            }
            print("Deleted competitor \(competitor.name) (\(CLIText.id(competitor.id))).")
        }
    }
}
