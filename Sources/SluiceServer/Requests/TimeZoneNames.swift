import Foundation
import SluiceCore

/// The IANA time zone names the server accepts (`TimeZone.iana`), as a component of the document: every job
/// request variant refers to it instead of repeating several hundred names.
struct TimeZoneNames: APIComponent {
    /// The component's name.
    static let name = "TimeZone"

    var component: String { Self.name }

    var schema: JSONValue {
        let names = Set(TimeZone.knownTimeZoneIdentifiers.filter { TimeZone.iana($0) != nil } + ["UTC"])
        return OpenAPISchema.enumeration(names.sorted())
    }
}
