import Foundation

/// Where one invocation's settings come from, in precedence: its flags, then the environment, then the config file
/// (`--config` or `SLUICE_CONFIG`), then each setting's default.
struct SettingSources {
    let environment: [String: String]
    let file: ConfigFile?

    /// Reads the config file named by `configPath`, else by `SLUICE_CONFIG`, if either is set.
    /// - Throws: ``ConfigurationError`` for a config file that cannot be used.
    init(configPath: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.environment = environment
        file = try (configPath ?? environment["SLUICE_CONFIG"]).map(ConfigFile.init(path:))
    }

    /// The value of `setting`: `flag` when given, else the environment's (an empty variable counts as unset, as
    /// an `EnvironmentFile` line `SLUICE_X=` would leave it), the file's, the default.
    func value(_ setting: Setting, flag: String? = nil) -> String? {
        given(setting, flag: flag) ?? setting.defaultValue
    }

    /// The value of `setting` when the user gave one (`flag`, the environment or the config file); nil for the
    /// default.
    func given(_ setting: Setting, flag: String? = nil) -> String? {
        flag ?? fromEnvironment(setting) ?? file?.values[setting]
    }

    private func fromEnvironment(_ setting: Setting) -> String? {
        environment[setting.environmentName].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The value of `setting` as a whole number within `range`.
    /// - Throws: ``ConfigurationError`` naming the setting and where its value came from.
    func number(_ setting: Setting, flag: Int? = nil, in range: ClosedRange<Int>) throws -> Int {
        if let flag {
            guard range.contains(flag) else {
                throw ConfigurationError(
                    "--\(setting.flagName) must be between \(range.lowerBound) and \(range.upperBound)")
            }
            return flag
        }
        let text = value(setting) ?? ""
        guard let number = Int(text), range.contains(number) else {
            throw ConfigurationError(
                "\(origin(of: setting)) must be a whole number between \(range.lowerBound) and \(range.upperBound), "
                    + "not \"\(text.prefix(20))\"")
        }
        return number
    }

    /// Names where `setting`'s value comes from, for error messages: `--flag` when `flagGiven`, else the variable,
    /// the file's key or the setting's name.
    func origin(of setting: Setting, flagGiven: Bool = false) -> String {
        if flagGiven { return "--\(setting.flagName)" }
        if fromEnvironment(setting) != nil { return setting.environmentName }
        if let file, file.values[setting] != nil { return "\(setting.rawValue) in \(file.path)" }
        return setting.rawValue
    }
}

extension Setting {
    /// The flag's name without dashes, such as `meta-base-url` or `asset-dir`.
    var flagName: String { rawValue.replacingOccurrences(of: "_", with: "-") }
}
