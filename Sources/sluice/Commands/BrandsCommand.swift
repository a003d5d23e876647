import ArgumentParser
import SluiceServer

/// `sluice brands`: the brands whose data Sluice gathers.
struct BrandsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "brands", abstract: "List, create, rename and delete brands.",
        subcommands: [List.self, Create.self, Rename.self, Delete.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List brands.")

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let brands = try await store.withClient { try await $0.brands() }
            output.emit(
                APIRepresentation.brands(brands),
                text: TextTable.render(
                    ["ID", "NAME", "CREATED"],
                    brands.map { [CLIText.id($0.id), $0.name, CLIText.time($0.createdAt)] }))
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a brand.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The brand's name.") var name: String
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let brand = try await store.withClient { try await $0.createBrand(name: name) }
            output.emit(
                APIRepresentation.brand(brand), text: "Created brand \(brand.name), id \(CLIText.id(brand.id)).")
        }
    }

    struct Rename: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rename a brand.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The brand, by id or name.") var brand: String
        @Argument(help: "Its new name.") var name: String

        func run() async throws {
            let renamed = try await store.withClient { client in
                try await client.renameBrand(
                    id: BrandReference.resolve(brand, with: client, option: "brand").id, name: name)
            }
            print("Renamed brand \(CLIText.id(renamed.id)) to \(renamed.name).")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Delete a brand with everything of it: competitors, ads, jobs, runs, logs, dataset records, webhooks and brand-scoped tokens."
        )

        @OptionGroup var store: StoreOptions
        @Argument(help: "The brand, by id or name.") var brand: String
        @Flag(help: "Confirm: everything of the brand is deleted.") var yes = false

        func run() async throws {
            guard yes else {
                throw ValidationError("deleting a brand deletes all its data; add --yes to confirm")
            }
            let deleted = try await store.withClient { client in
                let found = try await BrandReference.resolve(brand, with: client, option: "brand")
                try await client.deleteBrand(id: found.id)
                return found
            }
            print("Deleted brand \(deleted.name) (\(CLIText.id(deleted.id))).")
        }
    }
}
