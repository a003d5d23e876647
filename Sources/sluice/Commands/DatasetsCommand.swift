import ArgumentParser
import Foundation
import SluiceCore
import SluiceEngine
import SluiceServer
import SluiceStore

/// `sluice datasets`: how fresh each brand's datasets are, and a dataset's refresh history.
struct DatasetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasets", abstract: "Show dataset freshness and refresh history.",
        subcommands: [List.self, History.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Each brand's datasets: state, last success, last attempt, rows.")

        @OptionGroup var store: StoreOptions
        @Option(help: "Only this brand (id or name); with it, datasets never refreshed are listed too.")
        var brand: String?
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (rows, names) = try await store.withClient { client in
                let rows =
                    if let brand {
                        try await client.freshness(brandID: BrandReference.resolve(brand, with: client).id)
                    } else {
                        try await client.freshness()
                    }
                return (rows, try await BrandReference.names(client))
            }
            output.emit(
                APIRepresentation.freshnessList(rows),
                text: TextTable.render(
                    ["BRAND", "DATASET", "STATE", "LAST SUCCESS", "LAST ATTEMPT", "ROWS", "LAST ERROR"],
                    rows.map { row in
                        [
                            names[row.brandID] ?? CLIText.id(row.brandID), row.dataset.name, row.state.rawValue,
                            CLIText.time(row.record?.lastSuccessAt), CLIText.time(row.record?.lastAttemptAt),
                            row.record?.rowsWritten.map(String.init) ?? "-",
                            row.record?.lastError.map { String($0.prefix(60)) } ?? "-",
                        ]
                    }))
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A brand's finished refreshes of a dataset.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The dataset, such as competitor_ads.") var dataset: String
        @Option(help: "The brand (id or name).") var brand: String
        @Option(help: "How many refreshes, newest first (1-500).") var limit = 20
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard (1...500).contains(limit) else { throw ValidationError("--limit must be between 1 and 500") }
        }

        func run() async throws {
            let entries = try await store.withClient { client in
                try await client.datasetHistory(
                    DatasetHistoryQuery(
                        brandID: BrandReference.resolve(brand, with: client).id, dataset: dataset, limit: limit))
            }
            output.emit(
                APIRepresentation.historyPage(
                    HistoryPage(entries: entries, nextBefore: entries.count == limit ? entries.last?.id : nil)),
                text: TextTable.render(
                    ["RUN", "OUTCOME", "FINISHED", "ROWS", "ERROR"],
                    entries.map { entry in
                        [
                            String(entry.runID), entry.outcome.rawValue, CLIText.time(entry.finishedAt),
                            entry.rowsWritten.map(String.init) ?? "-", entry.error.map { String($0.prefix(60)) } ?? "-",
                        ]
                    }))
        }
    }
}
