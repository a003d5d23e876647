import ArgumentParser
import Foundation
import SluiceAdIntel
import SluiceCore
import SluiceEngine
import SluiceServer
import SluiceStore

/// `sluice rate-limiters`: the shared rate limiters and their buckets, and their rate and burst. The catalog's
/// limiters are created with their defaults first (as `serve` does), so they can be set before any server runs.
struct RateLimitersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rate-limiters", abstract: "List the shared rate limiters, set their rate and burst, pause them.",
        subcommands: [List.self, Update.self, Pause.self, Resume.self], defaultSubcommand: List.self)

    static let columns = ["NAME", "PER SECOND", "PER HOUR", "BURST", "TOKENS", "PAUSED", "WAITING RUNS"]

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Each limiter: its rate, its burst, the tokens in its bucket, whether paused, the runs waiting.")

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let limiters = try await store.withClient { client in
                try await AdIntelCatalog.installRateLimiters(in: client)
                return try await client.rateLimiters()
            }
            output.emit(
                APIRepresentation.rateLimiters(limiters),
                text: TextTable.render(RateLimitersCommand.columns, limiters.map(RateLimitersCommand.row)))
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Set a limiter's rate and burst; it binds every worker at its next request.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The limiter, such as meta_ad_render.") var name: String
        @Option(help: "Tokens per second, such as 0.5 (give this or --per-hour).") var perSecond: Double?
        @Option(help: "Tokens per hour, such as 200 (give this or --per-second).") var perHour: Double?
        @Option(help: "The bucket's size: how many requests may go at once after a quiet spell.") var burst: Int
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard (perSecond == nil) != (perHour == nil) else {
                throw ValidationError("give exactly one of --per-second and --per-hour")
            }
        }

        func run() async throws {
            let settings = RateLimiterSettings(
                name: name, ratePerSecond: perSecond ?? (perHour ?? 0) / 3600, burst: burst)
            let limiter = try await store.withClient { client in
                try await AdIntelCatalog.installRateLimiters(in: client)
                return try await client.updateRateLimiter(settings)
            }
            output.emit(
                APIRepresentation.rateLimiter(limiter),
                text: TextTable.render(RateLimitersCommand.columns, [RateLimitersCommand.row(limiter)]))
        }
    }

    static func row(_ limiter: RateLimiterState) -> [String] {
        let rate = limiter.settings.ratePerSecond
        return [
            limiter.settings.name, rate.formatted(.number.precision(.significantDigits(1...6))),
            (rate * 3600).formatted(.number.precision(.significantDigits(1...6)).grouping(.never)),
            String(limiter.settings.burst), limiter.tokens.formatted(.number.precision(.fractionLength(1))),
            limiter.paused ? "yes" : "no", String(limiter.waitingRuns),
        ]
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pause a limiter: it grants no token until resumed (its bucket keeps refilling).")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The limiter, such as meta_ad_render.") var name: String
        @OptionGroup var output: OutputOptions

        func run() async throws { try await RateLimitersCommand.setPaused(name, true, store, output) }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume a paused limiter.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The limiter, such as meta_ad_render.") var name: String
        @OptionGroup var output: OutputOptions

        func run() async throws { try await RateLimitersCommand.setPaused(name, false, store, output) }
    }

    static func setPaused(_ name: String, _ paused: Bool, _ store: StoreOptions, _ output: OutputOptions) async throws {
        let limiter = try await store.withClient { client in
            try await AdIntelCatalog.installRateLimiters(in: client)
            return try await client.setRateLimiterPaused(name, paused: paused)
        }
        output.emit(
            APIRepresentation.rateLimiter(limiter),
            text: "\(paused ? "Paused" : "Resumed") rate limiter \(limiter.settings.name).")
    }
}
