import Crypto
import Foundation
import SluiceEngine
import SluiceStore

/// API token secrets: random, shown once, stored only as their SHA-256.
///
/// ```swift
/// let (secret, hash) = AccessTokens.generate()
/// try await client.createToken(NewAPIToken(name: "ci", role: .viewer, secretHash: hash))
/// print(secret)  // "sluice_…", never stored
/// ```
public enum AccessTokens {
    /// The prefix of every secret, so that leaked tokens are easy to recognise and scan for.
    public static let prefix = "sluice_"

    /// A new secret (32 random bytes, base64url) and its hash.
    public static func generate() -> (secret: String, hash: String) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let encoded = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let secret = prefix + encoded
        return (secret, hash(secret))
    }

    /// The stored form of `secret`: its SHA-256 as 64 lowercase hex digits.
    public static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

extension SluiceClient {
    /// The unrevoked token whose secret is `secret` (as sent in a bearer header or the dashboard's cookie).
    func token(forSecret secret: String) async throws -> APIToken? {
        try await authenticate(secretHash: AccessTokens.hash(secret))
    }
}
