import Foundation
import SluiceCore

/// An error of the Meta Graph API: `{"error": {"message", "type", "code", "error_subcode", "is_transient",
/// "fbtrace_id"}}`, classified for what to do about it.
public struct MetaAPIError: RetryableError, Sendable, Hashable, CustomStringConvertible {
    /// What to do about an error.
    public enum Kind: Sendable, Hashable {
        /// A rate limit (codes 4, 17, 32, 613, 80000-80014): back off, through the shared limiter.
        case throttled
        /// The token or the app's permission (190, 10, 200): fail at once, retrying cannot help.
        case authorization
        /// A temporary failure (1, 2, or `is_transient`): retry with backoff.
        case transient
        /// A bad request (100 and others): fail at once.
        case invalidRequest
    }

    /// The HTTP status.
    public let status: Int
    /// `code`.
    public let code: Int
    /// `error_subcode`.
    public let subcode: Int?
    /// `message`.
    public let message: String
    /// `is_transient`.
    public let isTransient: Bool
    /// `fbtrace_id`, for Meta support.
    public let traceID: String?
    /// `estimated_time_to_regain_access` of the usage headers, when throttled.
    public let regainAccessAfter: Duration?

    /// What to do about it.
    public var kind: Kind {
        switch code {
        case 4, 17, 32, 613, 80000...80014: .throttled
        case 190, 10, 200...299: .authorization
        case 1, 2: .transient
        default: isTransient ? .transient : .invalidRequest
        }
    }

    /// Throttles and transient failures may pass; a refused token, a missing permission or a bad request will not.
    public var isRetryable: Bool { kind == .throttled || kind == .transient }

    public var description: String {
        let sub = subcode.map { "/\($0)" } ?? ""
        let hint =
            switch kind {
            case .authorization: " (check the Meta access token and the app's Ad Library permission)"
            case .throttled: " (rate limited)"
            default: ""
            }
        // Status 0 with code 2: the request never got an answer (a refused connection, a timeout).
        if status == 0 && code == 2 { return "could not reach the Meta API: \(message)" }
        // Status 0 otherwise: nothing was sent at all (no access token).
        let http = status == 0 ? "" : ", HTTP \(status)"
        return
            "Meta API error \(code)\(sub)\(http): \(message)\(hint)\(traceID.map { " [fbtrace_id \($0)]" } ?? "")"
    }

    /// No access token is configured: an authorization failure found before any request is sent.
    public static let missingAccessToken = MetaAPIError(
        status: 0, code: 190, subcode: nil,
        message:
            "no Meta access token is configured (sluice reads it from SLUICE_META_ACCESS_TOKEN or meta_access_token)",
        isTransient: false, traceID: nil, regainAccessAfter: nil)

    /// Reads the error envelope of a failed response; nil when the body is not one.
    static func parse(status: Int, body: [UInt8], usageHeader: String?) -> MetaAPIError? {
        guard case .object(let root) = try? JSONValue(parsing: String(decoding: body, as: UTF8.self)),
            case .object(let error) = root["error"], case .int(let code) = error["code"]
        else { return nil }
        var subcode: Int?
        if case .int(let value) = error["error_subcode"] { subcode = Int(value) }
        var message = "no message"
        if case .string(let text) = error["message"] { message = text }
        var traceID: String?
        if case .string(let text) = error["fbtrace_id"] { traceID = text }
        let transient: Bool = if case .bool(true) = error["is_transient"] { true } else { false }
        return MetaAPIError(
            status: status, code: Int(code), subcode: subcode, message: message, isTransient: transient,
            traceID: traceID, regainAccessAfter: usageHeader.flatMap(regainAccess))
    }

    /// The largest `estimated_time_to_regain_access` (minutes) in an `X-Business-Use-Case-Usage` header.
    static func regainAccess(_ header: String) -> Duration? {
        guard case .object(let accounts) = try? JSONValue(parsing: header) else { return nil }
        var minutes: Int64?
        for case .array(let entries) in accounts.values {
            for case .object(let entry) in entries {
                if case .int(let value) = entry["estimated_time_to_regain_access"] {
                    minutes = max(minutes ?? 0, value)
                }
            }
        }
        return minutes.map { .seconds($0 * 60) }
    }
}
