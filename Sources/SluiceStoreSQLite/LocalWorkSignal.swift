import Foundation
import Synchronization

/// Wakes the listeners of one process when runs may have become available in a database file: at once when a store
/// of this process made them available, and (on Linux) when another process wrote to the database's write-ahead log.
///
/// SQLite has no notifications of its own; the worker's short polling remains the safety net.
final class LocalWorkSignal: Sendable {
    /// The signals of this process, by database path.
    private static let byPath = Mutex<[String: LocalWorkSignal]>([:])

    private struct Listeners {
        var wakes: [UUID: @Sendable () -> Void] = [:]
        #if canImport(Glibc)
            var watch: WriteAheadLogWatcher.Registration?
        #endif
    }

    private let path: String
    private let listeners = Mutex(Listeners())

    private init(path: String) {
        self.path = path
    }

    /// The signal of the database at `path`.
    static func forDatabase(at path: String) -> LocalWorkSignal {
        let key = URL(fileURLWithPath: path).standardizedFileURL.path
        return byPath.withLock { signals in
            if let signal = signals[key] { return signal }
            let signal = LocalWorkSignal(path: key)
            signals[key] = signal
            return signal
        }
    }

    /// Calls every listener.
    func signal() {
        for listener in listeners.withLock({ Array($0.wakes.values) }) { listener() }
    }

    /// Calls `wake` once when listening starts, then on every signal, until the calling task is cancelled.
    func listen(_ wake: @escaping @Sendable () -> Void) async {
        let id = UUID()
        listeners.withLock { state in
            state.wakes[id] = wake
            #if canImport(Glibc)
                if state.watch == nil {
                    state.watch = WriteAheadLogWatcher.shared?.watch(databasePath: path) { [weak self] in
                        self?.signal()
                    }
                }
            #endif
        }
        wake()
        defer {
            listeners.withLock { state in
                state.wakes.removeValue(forKey: id)
                #if canImport(Glibc)
                    if state.wakes.isEmpty, let watch = state.watch {
                        WriteAheadLogWatcher.shared?.cancel(watch)
                        state.watch = nil
                    }
                #endif
            }
        }
        let (stream, continuation) = AsyncStream<Never>.makeStream()
        await withTaskCancellationHandler {
            for await _ in stream {}
        } onCancel: {
            continuation.finish()
        }
    }
}
