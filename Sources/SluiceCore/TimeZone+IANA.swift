import Foundation

extension TimeZone {
    /// The time zone of the IANA time zone database named exactly `name` (`Europe/Berlin`, `UTC`, `Etc/GMT-5`),
    /// or nil. Foundation also makes zones of ad-hoc offsets such as `UTC+5` or `GMT+14` (named `GMT+0500` and
    /// `GMT+1400`): those are refused, since a fixed offset does not follow a region's daylight saving time and
    /// is almost always a mistake for the zone a user meant.
    public static func iana(_ name: String) -> TimeZone? {
        guard !name.isEmpty, let zone = TimeZone(identifier: name) else { return nil }
        guard zone.identifier == name || zone.ianaName == name else { return nil }
        return zone
    }

    /// The zone's IANA name as Sluice stores and shows it: `UTC` rather than Foundation's `GMT` for the zone that
    /// `UTC` names.
    public var ianaName: String { identifier == "GMT" ? "UTC" : identifier }
}
