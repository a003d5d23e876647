import ArgumentParser
import Logging

/// `--log-format` and `--log-level`, for the long-running commands.
struct LogOptions: ParsableArguments {
    @Option(help: "Log format: text or json \(Setting.logFormat.sources).")
    var logFormat: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical \(Setting.logLevel.sources).")
    var logLevel: String?

    /// The format and level from the flags, environment, config file or defaults.
    /// - Throws: ``ConfigurationError`` naming the setting for an unknown format or level.
    func resolved(_ sources: SettingSources) throws -> (format: LogFormat, level: Logger.Level) {
        guard let format = sources.value(.logFormat, flag: logFormat).flatMap(LogFormat.init(rawValue:)) else {
            throw ConfigurationError(
                "\(sources.origin(of: .logFormat, flagGiven: logFormat != nil)) must be text or json")
        }
        guard let level = sources.value(.logLevel, flag: logLevel).flatMap(Logger.Level.init(rawValue:)) else {
            throw ConfigurationError(
                "\(sources.origin(of: .logLevel, flagGiven: logLevel != nil)) must be one of trace, debug, info, "
                    + "notice, warning, error, critical")
        }
        return (format, level)
    }
}
