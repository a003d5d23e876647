import Foundation
import SluiceCore

/// How both backends store a scraped ad's lists and assets as JSON text, and read them back.
public enum StoredAdValues {
    /// A list of strings as JSON text.
    public static func listText(_ values: [String]) -> String { JSONValue.array(values.map(JSONValue.string)).jsonText }

    /// A stored list of strings.
    ///
    /// - Throws: ``SluiceError/Code/storageFailure`` when it does not parse.
    public static func list(_ text: String) throws(SluiceError) -> [String] {
        guard case .array(let items) = try? JSONValue(parsing: text) else {
            throw SluiceError(.storageFailure, "stored list is invalid")
        }
        return items.compactMap { if case .string(let value) = $0 { value } else { nil } }
    }

    /// Assets as JSON text: `[{"kind", "url", "card"}]`.
    public static func assetsText(_ assets: [ScrapedAsset]) -> String {
        JSONValue.array(
            assets.map {
                .object([
                    "kind": .string($0.kind.rawValue), "url": .string($0.sourceURL), "card": .int(Int64($0.cardIndex)),
                ])
            }
        ).jsonText
    }

    /// Stored assets.
    ///
    /// - Throws: ``SluiceError/Code/storageFailure`` when they do not parse.
    public static func assets(_ text: String) throws(SluiceError) -> [ScrapedAsset] {
        guard case .array(let items) = try? JSONValue(parsing: text) else {
            throw SluiceError(.storageFailure, "stored assets are invalid")
        }
        return try items.map { item throws(SluiceError) in
            guard case .object(let object) = item, case .string(let kindText) = object["kind"],
                let kind = ScrapedAsset.Kind(rawValue: kindText), case .string(let url) = object["url"],
                case .int(let card) = object["card"]
            else { throw SluiceError(.storageFailure, "stored asset is invalid") }
            return ScrapedAsset(kind: kind, sourceURL: url, cardIndex: Int(card))
        }
    }

    /// Action counts as JSON text: `{"link_click": 12}`.
    public static func actionsText(_ actions: [String: Int64]) -> String {
        JSONValue.object(actions.mapValues { .int($0) }).jsonText
    }

    /// Stored action counts.
    ///
    /// - Throws: ``SluiceError/Code/storageFailure`` when they do not parse.
    public static func actions(_ text: String) throws(SluiceError) -> [String: Int64] {
        guard case .object(let object) = try? JSONValue(parsing: text) else {
            throw SluiceError(.storageFailure, "stored actions are invalid")
        }
        return object.compactMapValues { if case .int(let value) = $0 { value } else { nil } }
    }

    /// A stored decimal amount.
    ///
    /// - Throws: ``SluiceError/Code/storageFailure`` when it does not parse.
    public static func decimal(_ text: String) throws(SluiceError) -> Decimal {
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            throw SluiceError(.storageFailure, "stored amount is invalid")
        }
        return value
    }

    /// A decimal amount as exact text.
    public static func decimalText(_ value: Decimal) -> String {
        var value = value
        return NSDecimalString(&value, Locale(identifier: "en_US_POSIX"))
    }

    /// A whole scraped ad as JSON text (a template's copy of it).
    public static func adText(_ ad: ScrapedAd) -> String {
        var object: JSONObject = [
            "archive_id": .string(ad.archiveID), "is_active": .bool(ad.isActive),
            "platforms": .array(ad.platforms.map(JSONValue.string)), "bodies": .array(ad.bodies.map(JSONValue.string)),
            "titles": .array(ad.titles.map(JSONValue.string)),
        ]
        if let value = ad.pageID { object["page_id"] = .string(value) }
        if let value = ad.pageName { object["page_name"] = .string(value) }
        if let value = ad.startedAt { object["started_at"] = .int(value.microsecondsSince1970) }
        if let value = ad.endedAt { object["ended_at"] = .int(value.microsecondsSince1970) }
        if let value = ad.collationCount { object["collation_count"] = .int(Int64(value)) }
        return JSONValue.object(object).jsonText
    }

    /// A stored ad copy.
    ///
    /// - Throws: ``SluiceError/Code/storageFailure`` when it does not parse.
    public static func ad(_ text: String) throws(SluiceError) -> ScrapedAd {
        guard case .object(let object) = try? JSONValue(parsing: text), case .string(let id) = object["archive_id"]
        else { throw SluiceError(.storageFailure, "stored ad is invalid") }
        func string(_ name: String) -> String? { if case .string(let value) = object[name] { value } else { nil } }
        func strings(_ name: String) -> [String] {
            guard case .array(let items) = object[name] else { return [] }
            return items.compactMap { if case .string(let value) = $0 { value } else { nil } }
        }
        func date(_ name: String) -> Date? {
            if case .int(let value) = object[name] { Date(microsecondsSince1970: value) } else { nil }
        }
        var collation: Int?
        if case .int(let value) = object["collation_count"] { collation = Int(value) }
        let active: Bool = if case .bool(let value) = object["is_active"] { value } else { false }
        return ScrapedAd(
            archiveID: id, pageID: string("page_id"), pageName: string("page_name"), isActive: active,
            startedAt: date("started_at"), endedAt: date("ended_at"), platforms: strings("platforms"),
            bodies: strings("bodies"), titles: strings("titles"), collationCount: collation)
    }
}
