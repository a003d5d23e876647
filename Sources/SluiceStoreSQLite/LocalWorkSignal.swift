import Foundation
import Synchronization

/// Wakes the listeners of one process when a store of that process made runs available in a database file.
///
/// SQLite has no cross-process notifications: other processes' inserts are found by the worker's short polling.
final class LocalWorkSignal: Sendable {
    /// The signals of this process, by database path.
    private static let byPath = Mutex<[String: LocalWorkSignal]>([:])

    private let listeners = Mutex<[UUID: @Sendable () -> Void]>([:])

    /// The signal of the database at `path`.
    static func forDatabase(at path: String) -> LocalWorkSignal {
        let key = URL(fileURLWithPath: path).standardizedFileURL.path
        return byPath.withLock { signals in
            if let signal = signals[key] { return signal }
            let signal = LocalWorkSignal()
            signals[key] = signal
            return signal
        }
    }

    /// Calls every listener.
    func signal() {
        for listener in listeners.withLock({ Array($0.values) }) { listener() }
    }

    /// Calls `wake` once when listening starts, then on every signal, until the calling task is cancelled.
    func listen(_ wake: @escaping @Sendable () -> Void) async {
        let id = UUID()
        listeners.withLock { $0[id] = wake }
        wake()
        defer { _ = listeners.withLock { $0.removeValue(forKey: id) } }
        let (stream, continuation) = AsyncStream<Never>.makeStream()
        await withTaskCancellationHandler {
            for await _ in stream {}
        } onCancel: {
            continuation.finish()
        }
    }
}
