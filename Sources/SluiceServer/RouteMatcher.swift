/// Which methods a path supports, from the route table: answers 405 with `Allow` instead of 404 when a path exists
/// but not with the request's method.
struct RouteMatcher: Sendable {
    private let routes: [(segments: [Substring], method: String)]

    init(_ keys: [RouteKey]) {
        routes = keys.map { ($0.path.split(separator: "/"), $0.method.uppercased()) }
    }

    /// The methods registered for `path`, sorted; empty when no route has this path.
    func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        let matching = routes.filter { route in
            route.segments.count == segments.count
                && zip(route.segments, segments).allSatisfy { pattern, segment in
                    pattern.hasPrefix("{") || pattern == segment
                }
        }
        return Set(matching.map(\.method)).sorted()
    }
}
