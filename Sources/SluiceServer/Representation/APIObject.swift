import SluiceCore

/// The JSON object that the API writes for one kind of value, declared once as a list of members.
///
/// The same list writes the JSON (call the object as a function) and derives the OpenAPI component schema
/// (``schema``), so a member cannot be sent without being documented, or documented with another type.
public struct APIObject<Root>: Sendable {
    /// The component's name in the OpenAPI document, such as `Run`.
    public let component: String
    let members: [APIMember<Root>]

    /// An object named `component` with `members`, in the order they are listed.
    public init(_ component: String, _ members: [APIMember<Root>]) {
        self.component = component
        self.members = members
    }

    /// The JSON object for `root`.
    public func callAsFunction(_ root: Root) -> JSONObject {
        var object: JSONObject = [:]
        for member in members {
            if let value = member.write(root) { object[member.name] = value }
        }
        return object
    }

    /// The component's JSON Schema: every member is required (a nil value is sent as null) unless it is omittable.
    var schema: JSONValue {
        OpenAPISchema.object(
            Dictionary(uniqueKeysWithValues: members.map { ($0.name, $0.schema) }),
            optional: Set(members.filter(\.omittable).map(\.name)))
    }
}

/// One member of an ``APIObject``: its name, its schema and how it is read from the object's root value.
public struct APIMember<Root>: Sendable {
    let name: String
    let schema: JSONValue
    let omittable: Bool
    let write: @Sendable (Root) -> JSONValue?

    init(_ name: String, schema: JSONValue, omittable: Bool, _ write: @escaping @Sendable (Root) -> JSONValue?) {
        self.name = name
        self.schema = schema
        self.omittable = omittable
        self.write = write
    }

    /// A member that is always sent, with the schema of its value's type (an optional value is sent as null).
    ///
    /// - Parameters:
    ///   - name: The member's name.
    ///   - value: Reads the member's value from the root.
    public init<Value: APIValue>(_ name: String, _ value: @escaping @Sendable (Root) -> Value) {
        self.init(name, schema: Value.apiSchema, omittable: false) { value($0).apiJSON }
    }

    /// A member that is left out when its value is nil.
    ///
    /// - Parameters:
    ///   - name: The member's name.
    ///   - value: Reads the member's value from the root.
    /// - Returns: A member that is not required in the schema.
    public static func omittable<Value: APIValue>(
        _ name: String, _ value: @escaping @Sendable (Root) -> Value?
    ) -> APIMember {
        APIMember(name, schema: Value.apiSchema, omittable: true) { value($0)?.apiJSON }
    }

    /// A member holding another object, referenced by its component in the schema.
    ///
    /// - Parameters:
    ///   - name: The member's name.
    ///   - object: The nested object's shape.
    ///   - value: Reads the nested object's root from this root.
    /// - Returns: A member that is always sent.
    public static func object<Value>(
        _ name: String, _ object: APIObject<Value>, _ value: @escaping @Sendable (Root) -> Value
    ) -> APIMember {
        APIMember(name, schema: OpenAPISchema.ref(object.component), omittable: false) { .object(object(value($0))) }
    }

    /// A member holding another object that is left out when it is nil.
    ///
    /// - Parameters:
    ///   - name: The member's name.
    ///   - object: The nested object's shape.
    ///   - value: Reads the nested object's root from this root.
    /// - Returns: A member that is not required in the schema.
    public static func omittable<Value>(
        _ name: String, _ object: APIObject<Value>, _ value: @escaping @Sendable (Root) -> Value?
    ) -> APIMember {
        APIMember(name, schema: OpenAPISchema.ref(object.component), omittable: true) {
            value($0).map { .object(object($0)) }
        }
    }

    /// A member holding an array of other objects.
    ///
    /// - Parameters:
    ///   - name: The member's name.
    ///   - object: The shape of each element.
    ///   - value: Reads the elements' roots from this root.
    /// - Returns: A member that is always sent.
    public static func array<Value>(
        _ name: String, of object: APIObject<Value>, _ value: @escaping @Sendable (Root) -> [Value]
    ) -> APIMember {
        APIMember(name, schema: OpenAPISchema.array(OpenAPISchema.ref(object.component)), omittable: false) {
            .array(value($0).map { .object(object($0)) })
        }
    }
}

extension APIObject {
    /// `{"items": [...]}`: every item of a list that is not paged.
    ///
    /// - Parameters:
    ///   - component: The list's component name, such as `BrandList`.
    ///   - item: The shape of each item.
    /// - Returns: The list's shape.
    public static func list<Item>(_ component: String, of item: APIObject<Item>) -> APIObject<[Item]>
    where Root == [Item] {
        APIObject(component, [.array("items", of: item) { $0 }])
    }
}
