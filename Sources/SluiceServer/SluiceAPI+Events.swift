import Foundation
import Hummingbird
import SluiceCore
import SluiceEngine

extension SluiceAPI {
    /// How often an idle event stream sends a comment, so that proxies keep it open and dead clients are noticed.
    static let keepAliveInterval: Duration = .seconds(15)

    /// `GET /events` (or `path`): Server-Sent Events for run state, progress, log lines and freshness, filtered by
    /// brand, job and run; a brand-scoped token sees only its brand. The dashboard's pages listen on `/live/events`
    /// with their session.
    func registerEventRoutes(_ routes: RouteTable, path: String = "/events") {
        routes.get(path) { request, context in
            let query = RequestQuery(request)
            let filter = ActivityFilter(
                brandID: try context.caller().listBrand(try query.uuid("brand_id")),
                jobID: try query.int("job_id", in: 1...Int64.max), runID: try query.int("run_id", in: 1...Int64.max))
            let events = try await feed.subscribe(filter)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/event-stream", .cacheControl: "no-cache", .init("X-Accel-Buffering")!: "no",
                ],
                body: ResponseBody(asyncSequence: Self.serverSentEvents(events)))
        }
    }

    /// The wire form of `events`: each as `id`, `event` and one `data` line of JSON, with keep-alive comments
    /// between; the stream ends when the feed ends it (shutdown) or the client goes.
    static func serverSentEvents(_ events: AsyncStream<ActivityEvent>) -> AsyncStream<ByteBuffer> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: ByteBuffer.self, bufferingPolicy: .bufferingNewest(1000))
        let pump = Task {
            continuation.yield(ByteBuffer(string: "retry: 2000\n: connected\n\n"))
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    var sequence: Int64 = 0
                    for await event in events {
                        sequence += 1
                        let data = eventBody(event).jsonText
                        continuation.yield(
                            ByteBuffer(string: "id: \(sequence)\nevent: \(event.type)\ndata: \(data)\n\n"))
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: keepAliveInterval)
                        continuation.yield(ByteBuffer(string: ": keep-alive\n\n"))
                    }
                }
                await group.next()
                group.cancelAll()
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in pump.cancel() }
        return stream
    }

    static func eventBody(_ event: ActivityEvent) -> JSONValue {
        switch event {
        case .runState(let run), .runProgress(let run):
            return .object(["type": .string(event.type), "run": .object(APIRepresentation.run(run))])
        case .log(let line):
            return .object([
                "type": .string(event.type), "brand_id": line.brandID.apiJSON,
                "job_id": .int(line.jobID), "log": .object(APIRepresentation.logLine(line.line)),
            ])
        case .freshness(let freshness):
            return .object(["type": .string(event.type), "freshness": .object(APIRepresentation.freshness(freshness))])
        }
    }
}
