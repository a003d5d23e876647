/// The job types a process knows, keyed by name.
public struct JobTypeRegistry: Sendable {
    private let typesByName: [String: JobType]

    /// Creates a registry, validating every job type.
    /// - Throws: ``SluiceError`` for an invalid job type or a name registered twice.
    public init(_ types: [JobType]) throws(SluiceError) {
        var typesByName: [String: JobType] = [:]
        for type in types {
            try type.validate()
            guard typesByName.updateValue(type, forKey: type.name) == nil else {
                throw SluiceError.invalidArgument("name", "job type \(type.name) is registered twice")
            }
        }
        self.typesByName = typesByName
    }

    /// Every job type, sorted by name.
    public var all: [JobType] { typesByName.values.sorted { $0.name < $1.name } }

    /// The job type named `name`, if registered.
    public subscript(name: String) -> JobType? { typesByName[name] }

    /// The job type named `name`.
    /// - Throws: ``SluiceError/Code/unknownJobType`` naming the field `job_type`.
    public func require(_ name: String) throws(SluiceError) -> JobType {
        guard let type = typesByName[name] else {
            throw SluiceError(.unknownJobType, "job type \(name.prefix(64)) is not registered", field: "job_type")
        }
        return type
    }
}
