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
        commandName: "rate-limiters", abstract: "List the shared rate limiters and set their rate and burst.",
        subcommands: [List.self, Update.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Each limiter: its rate, its burst and the tokens in its bucket now.")

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let limiters = try await store.withClient { client in
                try await AdIntelCatalog.installRateLimiters(in: client)
                return try await client.rateLimiters()
            }
            output.emit(
                APIRepresentation.rateLimiters(limiters),
                text: TextTable.render(
                    ["NAME", "PER SECOND", "PER HOUR", "BURST", "TOKENS"], limiters.map(RateLimitersCommand.row)))
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
                text: TextTable.render(
                    ["NAME", "PER SECOND", "PER HOUR", "BURST", "TOKENS"], [RateLimitersCommand.row(limiter)]))
        }
    }

    static func row(_ limiter: RateLimiterState) -> [String] {
        let rate = limiter.settings.ratePerSecond
        return [
            limiter.settings.name, rate.formatted(.number.precision(.significantDigits(1...6))),
            (rate * 3600).formatted(.number.precision(.significantDigits(1...6)).grouping(.never)),
            String(limiter.settings.burst), limiter.tokens.formatted(.number.precision(.fractionLength(1))),
        ]
    }
}
