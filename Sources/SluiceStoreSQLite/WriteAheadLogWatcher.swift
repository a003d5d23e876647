import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc

    /// Calls `changed` whenever any process writes to a database's write-ahead log (`<file>-wal`), so a worker in one
    /// process learns within a millisecond of runs enqueued by another, where it would otherwise find them only at its
    /// next poll. Linux inotify on the database's folder (the log file comes and goes with the connections); one thread
    /// blocks on it until ``stop()``.
    ///
    /// A wake-up is only a hint: the receiver looks for due runs, and finds none when the write was something else.
    final class WriteAheadLogWatcher: Sendable {
        private let descriptor: Int32
        private let stopped = Atomic<Bool>(false)

        /// Starts watching the log of the database at `path`; nil when inotify is unavailable (the caller keeps polling).
        init?(databasePath path: String, changed: @escaping @Sendable () -> Void) {
            let url = URL(fileURLWithPath: path).resolvingSymlinksInPath()  // SQLite's log is beside the real file
            let descriptor = inotify_init1(Int32(IN_CLOEXEC))
            guard descriptor >= 0 else { return nil }
            let mask = UInt32(IN_MODIFY) | UInt32(IN_CREATE)
            guard inotify_add_watch(descriptor, url.deletingLastPathComponent().path, mask) >= 0 else {
                close(descriptor)
                return nil
            }
            self.descriptor = descriptor
            let logName = url.lastPathComponent + "-wal"
            let thread = Thread { [self] in watch(for: logName, changed) }
            thread.name = "sluice-sqlite-wal-watch"
            thread.start()
        }

        /// Stops the watching thread within half a second and releases the descriptor.
        func stop() {
            stopped.store(true, ordering: .releasing)
        }

        private func watch(for logName: String, _ changed: @Sendable () -> Void) {
            defer { close(descriptor) }
            let capacity = 64 * 1024
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
            defer { buffer.deallocate() }
            var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            while !stopped.load(ordering: .acquiring) {
                guard poll(&waiting, 1, 500) > 0 else { continue }
                let count = read(descriptor, buffer, capacity)
                guard count > 0 else { continue }
                let events = Self.events(in: UnsafeRawBufferPointer(start: buffer, count: count))
                // An overflowed queue lost events: wake anyway.
                if events.contains(where: { $0.name == logName || $0.mask & UInt32(IN_Q_OVERFLOW) != 0 }) { changed() }
            }
        }

        /// The inotify events in `buffer` (header: wd, mask, cookie, len; then `len` name bytes, NUL-padded).
        private static func events(in buffer: UnsafeRawBufferPointer) -> [(mask: UInt32, name: String)] {
            var events: [(mask: UInt32, name: String)] = []
            var offset = 0
            let header = 16
            while offset + header <= buffer.count {
                let mask = buffer.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                let length = Int(buffer.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                let name = buffer[(offset + header)..<min(buffer.count, offset + header + length)]
                events.append((mask, String(decoding: name.prefix { $0 != 0 }, as: UTF8.self)))
                offset += header + length
            }
            return events
        }
    }
#endif
