import Foundation

/// Finds an executable that SwiftPM built next to the running test bundle or benchmark, such as `sluice-test-worker`.
public enum SiblingExecutable {
    /// The URL of the executable named `name`.
    /// - Throws: ``TestPostgresError`` (a plain message) when it is not there.
    public static func url(named name: String) throws -> URL {
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent(),
            Bundle.main.bundleURL,
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        ].map { $0.appendingPathComponent(name) }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw TestPostgresError("\(name) not found next to the running program: \(candidates.map(\.path))")
        }
        return found
    }
}
