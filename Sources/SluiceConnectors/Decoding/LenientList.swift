/// A JSON array decoded element by element, skipping the elements that do not decode: an API that adds a kind of
/// item, or sends one malformed item, costs that item, not the page.
struct LenientList<Element: Decodable>: Decodable {
    /// The elements that decoded, in order.
    var elements: [Element]
    /// How many elements the array had, skipped ones included (an offset for the next page).
    var count: Int

    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        var elements: [Element] = []
        count = container.count ?? 0
        while !container.isAtEnd {
            if let element = try? container.decode(Element.self) {
                elements.append(element)
            } else {
                _ = try container.decode(Skipped.self)
            }
        }
        self.elements = elements
    }

    /// Any JSON value, decoded to move past it.
    private struct Skipped: Decodable {
        init(from decoder: any Decoder) throws {}
    }
}

extension LenientList: Sendable where Element: Sendable {}
extension LenientList: Equatable where Element: Equatable {}
extension LenientList: Hashable where Element: Hashable {}
