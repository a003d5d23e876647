import Foundation
import Mustache

/// The dashboard's templates and static files, bundled with the package as resources
/// (`Dashboard/Assets/templates/*.mustache`, `Dashboard/Assets/static/*`). Every `{{value}}` is HTML-escaped;
/// no template uses triple braces.
enum DashboardTemplates {
    /// The library of every template; `layout` wraps each page through `{{$body}}`.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        let folder = resources.appendingPathComponent("templates")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for file in names where file.hasSuffix(".mustache") {
            // The templates ship with the package: a missing or malformed one is a packaging error that the tests
            // (which render every page) catch.
            let text = try! String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            try! library.register(text, named: String(file.dropLast(".mustache".count)))
        }
        return library
    }()

    /// The static files (`dashboard.css`, `dashboard.js`) by name, with their content types, read once.
    static let staticFiles: [String: (contentType: String, bytes: [UInt8])] = {
        let types = ["css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8"]
        var files: [String: (String, [UInt8])] = [:]
        let folder = resources.appendingPathComponent("static")
        for file in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
            guard let type = types[(file as NSString).pathExtension],
                let data = FileManager.default.contents(atPath: folder.appendingPathComponent(file).path)
            else { continue }
            files[file] = (type, [UInt8](data))
        }
        return files
    }()

    /// The copied `Dashboard/Assets` folder. (Named from the bundle's root: Foundation on Linux takes a folder named
    /// `Resources` inside a bundle for the bundle's own resource folder.)
    private static let resources: URL = Bundle.module.bundleURL.appendingPathComponent("Assets")
}
