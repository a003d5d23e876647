import Hummingbird

/// Reads every request body in full before routing, within a deadline: a client that sends its body a byte at a
/// time (or not at all) is answered 408 and disconnected instead of holding a connection and a task for as long
/// as it likes. Bodies are small here (at most ``SluiceServerConfiguration/maxBodyBytes``), so reading them up
/// front costs nothing; handlers then read the collected body at once.
struct BodyDeadlineMiddleware<Context: RequestContext>: RouterMiddleware {
    let timeout: Duration
    let limit: Int

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard ![.get, .head, .options].contains(request.method) else { return try await next(request, context) }
        let collected: ByteBuffer? = try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask {
                var request = request
                do {
                    return try await request.collectBody(upTo: limit)
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    throw APIError(.contentTooLarge, code: "body_too_large", "the body is larger than \(limit) bytes")
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
        guard let collected else {
            throw APIError(.requestTimeout, code: "body_timeout", "the request body did not arrive within \(timeout)")
        }
        var request = request
        request.body = .init(buffer: collected)
        return try await next(request, context)
    }
}
