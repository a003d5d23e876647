import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc

    /// Calls back whenever any process writes to a watched database's write-ahead log (`<file>-wal`), so a worker in
    /// one process learns within a millisecond of runs enqueued by another, where it would otherwise find them only at
    /// its next poll.
    ///
    /// One Linux inotify instance and one thread serve the whole process (instances are limited per user), with a
    /// watch on each database's folder (the log file comes and goes with the connections). A call-back is only a
    /// hint: the receiver looks for due runs, and finds none when the write was something else.
    final class WriteAheadLogWatcher: Sendable {
        /// The process's watcher; nil where inotify is unavailable (workers then keep polling).
        static let shared = WriteAheadLogWatcher()

        /// A registered call-back, for ``cancel(_:)``.
        struct Registration: Sendable {
            fileprivate let folder: Int32
            fileprivate let id: UUID
        }

        private struct Watch {
            var logName: String
            var changed: @Sendable () -> Void
        }

        private let descriptor: Int32
        /// The call-backs by folder watch descriptor, then by registration.
        private let watches = Mutex<[Int32: [UUID: Watch]]>([:])

        private init?() {
            let descriptor = inotify_init1(Int32(IN_CLOEXEC))
            guard descriptor >= 0 else { return nil }
            self.descriptor = descriptor
            let thread = Thread { [self] in readEvents() }
            thread.name = "sluice-sqlite-wal-watch"
            thread.start()
        }

        /// Calls `changed` on every write to the log of the database at `path` until cancelled; nil when its folder
        /// cannot be watched.
        func watch(databasePath path: String, _ changed: @escaping @Sendable () -> Void) -> Registration? {
            // SQLite keeps the log beside the real file, so symbolic links are followed.
            let url = URL(fileURLWithPath: path).resolvingSymlinksInPath()
            let mask = UInt32(IN_MODIFY) | UInt32(IN_CREATE)
            // Adding a watch on a folder already watched returns its descriptor again.
            let folder = inotify_add_watch(descriptor, url.deletingLastPathComponent().path, mask)
            guard folder >= 0 else { return nil }
            let registration = Registration(folder: folder, id: UUID())
            watches.withLock {
                $0[folder, default: [:]][registration.id] = Watch(
                    logName: url.lastPathComponent + "-wal", changed: changed)
            }
            return registration
        }

        /// Stops the call-backs of `registration`. The folder's watch stays until the folder is removed (the kernel
        /// then drops it), so another database in it can reuse it.
        func cancel(_ registration: Registration) {
            watches.withLock { _ = $0[registration.folder]?.removeValue(forKey: registration.id) }
        }

        private func readEvents() {
            let capacity = 64 * 1024
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
            while true {
                let count = read(descriptor, buffer, capacity)
                guard count > 0 else {
                    if errno == EINTR { continue }
                    return
                }
                for callback in callbacks(for: Self.events(in: UnsafeRawBufferPointer(start: buffer, count: count))) {
                    callback()
                }
            }
        }

        /// The call-backs that `events` concern: those of the logs written, or all after an overflowed queue.
        private func callbacks(for events: [Event]) -> [@Sendable () -> Void] {
            watches.withLock { watches in
                if events.contains(where: \.overflowed) {
                    return watches.values.flatMap { $0.values.map(\.changed) }
                }
                return Set(events.map(\.file)).flatMap { file in
                    (watches[file.folder] ?? [:]).values.filter { $0.logName == file.name }.map(\.changed)
                }
            }
        }

        /// A file in a watched folder.
        private struct File: Hashable {
            let folder: Int32
            let name: String
        }

        /// One inotify event.
        private struct Event {
            let file: File
            let overflowed: Bool
        }

        /// The inotify events in `buffer` (header: wd, mask, cookie, len; then `len` name bytes, NUL-padded).
        private static func events(in buffer: UnsafeRawBufferPointer) -> [Event] {
            var events: [Event] = []
            var offset = 0
            let header = 16
            while offset + header <= buffer.count {
                let folder = buffer.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                let mask = buffer.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                let length = Int(buffer.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                let name = buffer[(offset + header)..<min(buffer.count, offset + header + length)]
                events.append(
                    Event(
                        file: File(folder: folder, name: String(decoding: name.prefix { $0 != 0 }, as: UTF8.self)),
                        overflowed: mask & UInt32(IN_Q_OVERFLOW) != 0))
                offset += header + length
            }
            return events
        }
    }
#endif
