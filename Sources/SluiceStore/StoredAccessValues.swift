import Foundation
import SluiceCore

/// Conversions of access values to and from their stored forms, shared by the backends.
public enum StoredAccessValues {
    /// The role stored as `text`.
    ///
    /// - Throws: ``SluiceError/Code/storageFailure`` for an unknown role.
    public static func role(_ text: String) throws(SluiceError) -> AccessRole {
        guard let role = AccessRole(rawValue: text) else {
            throw SluiceError(.storageFailure, "unknown stored role \(text)")
        }
        return role
    }

    /// `date` truncated to its minute: token use is stored to the minute, so a busy token is written once a minute.
    public static func minute(of date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60)
    }
}
