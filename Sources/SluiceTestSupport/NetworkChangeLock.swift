/// Keeps tests that add, remove or cut network interfaces (``TestNetworkNamespace``) apart from tests that drive a
/// real browser: Chromium aborts its page loads with ERR_NETWORK_CHANGED when the machine's interfaces change.
public actor NetworkChangeLock {
    /// The one lock of the test process.
    public static let shared = NetworkChangeLock()

    private var held = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Waits until no other holder has the lock, then takes it.
    public func acquire() async {
        guard held else {
            held = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Hands the lock to the next waiter, or frees it.
    public func release() {
        if waiters.isEmpty {
            held = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
