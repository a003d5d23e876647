import Foundation

/// The datasets a process knows, keyed by name, each produced by a registered job type.
public struct DatasetRegistry: Sendable {
    private let datasetsByName: [String: Dataset]

    /// Creates a registry.
    /// - Throws: ``SluiceError/Code/invalidArgument`` for a name registered twice, a producer that is not a job type
    ///   of `jobTypes`, or a producer whose job type refreshes another dataset.
    public init(_ datasets: [Dataset], jobTypes: JobTypeRegistry) throws(SluiceError) {
        var datasetsByName: [String: Dataset] = [:]
        for dataset in datasets {
            guard let producer = jobTypes[dataset.producedBy] else {
                throw .invalidArgument(
                    "produced_by",
                    "dataset \(dataset.name) names job type \(dataset.producedBy), which is not registered")
            }
            guard producer.dataset == dataset.name else {
                throw .invalidArgument(
                    "produced_by", "job type \(producer.name) does not declare that it refreshes \(dataset.name)")
            }
            guard datasetsByName.updateValue(dataset, forKey: dataset.name) == nil else {
                throw .invalidArgument("name", "dataset \(dataset.name) is registered twice")
            }
        }
        self.datasetsByName = datasetsByName
    }

    /// Every dataset, sorted by name.
    public var all: [Dataset] { datasetsByName.values.sorted { $0.name < $1.name } }

    /// The dataset named `name`, if registered.
    public subscript(name: String) -> Dataset? { datasetsByName[name] }

    /// The dataset named `name`.
    /// - Throws: ``SluiceError/Code/notFound`` naming the field `dataset`.
    public func require(_ name: String) throws(SluiceError) -> Dataset {
        guard let dataset = datasetsByName[name] else {
            throw SluiceError(.notFound, "dataset \(name.prefix(64)) is not registered", field: "dataset")
        }
        return dataset
    }
}
