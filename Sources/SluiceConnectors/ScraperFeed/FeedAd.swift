import Foundation

/// An ad as the scraper feed's dataset lists it. Feeds spell keys in camelCase (`adArchiveID`) or snake_case
/// (`ad_archive_id`); both are read.
public struct FeedAd: Decodable, Sendable, Hashable {
    /// The rendered creative: texts, media and link.
    public struct Snapshot: Decodable, Sendable, Hashable {
        struct Body: Decodable, Sendable, Hashable {
            let text: String?
        }

        struct Image: Decodable, Sendable, Hashable {
            let originalImageURL: String?
            let resizedImageURL: String?

            private enum CodingKeys: String, CodingKey {
                case originalImageURL = "original_image_url"
                case resizedImageURL = "resized_image_url"
            }
        }

        struct Video: Decodable, Sendable, Hashable {
            let videoHDURL: String?
            let videoSDURL: String?

            private enum CodingKeys: String, CodingKey {
                case videoHDURL = "video_hd_url"
                case videoSDURL = "video_sd_url"
            }
        }

        private let body: Body?
        private let images: LenientList<Image>?
        private let videos: LenientList<Video>?
        /// `IMAGE`, `VIDEO`, `CAROUSEL`, … as sent.
        public let displayFormat: String?
        /// The link title.
        public let title: String?
        /// The landing page.
        public let linkURL: String?
        /// The call to action, such as `SHOP_NOW`.
        public let callToAction: String?

        private enum CodingKeys: String, CodingKey {
            case body, images, videos, title
            case displayFormat = "display_format"
            case linkURL = "link_url"
            case callToAction = "cta_type"
        }

        /// The body text.
        public var bodyText: String? { body?.text }

        /// Its images (the original size when given) and then its videos (HD when given).
        public var media: [CreativeMedia] {
            let images = (images?.elements ?? []).compactMap { image in
                (image.originalImageURL ?? image.resizedImageURL).map { CreativeMedia(kind: .image, url: $0) }
            }
            let videos = (videos?.elements ?? []).compactMap { video in
                (video.videoHDURL ?? video.videoSDURL).map { CreativeMedia(kind: .video, url: $0) }
            }
            return images + videos
        }
    }

    /// The Ad Library archive id (numeric).
    public let archiveID: String
    /// The advertiser's page id.
    public let pageID: String?
    /// The advertiser's page name.
    public let pageName: String?
    /// Whether it runs (false when not said).
    public let isActive: Bool
    /// When delivery started.
    public let startedAt: Date?
    /// When delivery stopped.
    public let endedAt: Date?
    /// Where it ran, as sent.
    public let publisherPlatforms: [String]
    /// How many ads share the creative.
    public let collationCount: Int?
    /// The rendered creative.
    public let snapshot: Snapshot?

    /// A key in either spelling.
    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decodes an item; one without a numeric archive id is undecodable (and skipped in a page).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        func value<T: Decodable>(_ type: T.Type, _ names: String...) -> T? {
            names.lazy.compactMap { try? container.decodeIfPresent(T.self, forKey: Key(stringValue: $0)) }.first
        }
        guard let id = value(String.self, "adArchiveID", "ad_archive_id"), !id.isEmpty, id.allSatisfy(\.isNumber)
        else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "no numeric archive id"))
        }
        archiveID = id
        pageID = value(String.self, "pageID", "page_id")
        pageName = value(String.self, "pageName", "page_name")
        isActive = value(Bool.self, "isActive", "is_active") ?? false
        startedAt = value(Int64.self, "startDate", "start_date").map { Date(timeIntervalSince1970: TimeInterval($0)) }
        endedAt = value(Int64.self, "endDate", "end_date").map { Date(timeIntervalSince1970: TimeInterval($0)) }
        publisherPlatforms = value(LenientList<String>.self, "publisherPlatform", "publisher_platform")?.elements ?? []
        collationCount = value(Int.self, "collationCount", "collation_count")
        snapshot = value(Snapshot.self, "snapshot")
    }
}

/// An actor run as the scraper feed reports it.
struct FeedRun: Decodable {
    struct Run: Decodable {
        let id: String
        let defaultDatasetId: String?
        let status: String?
    }

    let data: Run
}
