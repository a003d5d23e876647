import PostgresNIO
import Synchronization

/// Tells the statement running on a connection when that connection closes.
///
/// A statement whose connection closed under it may never be answered (PostgresNIO drops the failed write), so it
/// must be abandoned at once. Each connection's close is watched by one callback, registered the first time a
/// statement runs on it (a callback per statement would pile up on a connection that lives for days).
final class ConnectionWatch: Sendable {
    private struct Watched {
        /// Pulled when the connection closes; set while a statement runs.
        var onClose: (@Sendable () -> Void)?
    }

    private let watched = Mutex<[ObjectIdentifier: Watched]>([:])

    /// Calls `onClose` if `connection` closes before ``end(on:)``; at once if it is closed already.
    func begin(on connection: PostgresConnection, onClose: @escaping @Sendable () -> Void) {
        let key = ObjectIdentifier(connection)
        let firstSight = watched.withLock { watched in
            let isNew = watched[key] == nil
            watched[key, default: Watched()].onClose = onClose
            return isNew
        }
        guard firstSight else { return }
        connection.closeFuture.whenComplete { [self] _ in
            let onClose = watched.withLock { $0.removeValue(forKey: key)?.onClose }
            onClose?()
        }
    }

    /// The statement on `connection` ended: its close no longer concerns it.
    func end(on connection: PostgresConnection) {
        watched.withLock { $0[ObjectIdentifier(connection)]?.onClose = nil }
    }
}
