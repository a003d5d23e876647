import Crypto
import Foundation

/// The signature on every webhook delivery, in the `Sluice-Signature` header: `t=<unix seconds>,v1=<hex>`, where
/// `v1` is HMAC-SHA256 with the webhook's secret over `"<t>.<body>"`. Receivers recompute it, compare in constant
/// time, and refuse stale timestamps (replays).
public enum WebhookSignature {
    /// The header's name.
    public static let headerName = "Sluice-Signature"

    /// The header value for `body` sent at `time`.
    public static func header(body: String, secret: String, at time: Date) -> String {
        let timestamp = Int64(time.timeIntervalSince1970.rounded(.down))
        return "t=\(timestamp),v1=\(mac(body: body, secret: secret, timestamp: timestamp))"
    }

    /// Whether `header` is a valid signature of `body` with `secret`, made at most `tolerance` before or after `now`.
    public static func isValid(
        header: String, body: String, secret: String, now: Date, tolerance: Duration = .seconds(300)
    ) -> Bool {
        var fields: [Substring: Substring] = [:]
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[pair[0]] = pair[1] }
        }
        guard let timestamp = fields["t"].flatMap({ Int64($0) }), let given = fields["v1"],
            abs(now.timeIntervalSince1970 - Double(timestamp)) <= Double(tolerance.components.seconds)
        else { return false }
        let expected = mac(body: body, secret: secret, timestamp: timestamp)
        // Constant time: compare every byte whatever differs first.
        guard given.utf8.count == expected.utf8.count else { return false }
        return zip(given.utf8, expected.utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func mac(body: String, secret: String, timestamp: Int64) -> String {
        let code = HMAC<SHA256>.authenticationCode(
            for: Data("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }
}
