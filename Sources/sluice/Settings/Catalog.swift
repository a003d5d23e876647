import SluiceAdIntel
import SluiceAdIntelModel
import SluiceConnectors
import SluiceCore
import SluiceEngine
import SluiceProbeJobs
import SluiceStore

/// The job types, handlers and datasets of a `sluice` process: the ad-intelligence catalog and, with
/// `--probe-job-types`, the probe job types that prove and measure a deployment (every process on one database
/// must agree on it).
struct Catalog: Sendable {
    /// Whether the probe job types are served too.
    let probes: Bool

    /// The job types.
    ///
    /// - Throws: ``SluiceError`` if a job type is invalid.
    func registry() throws -> JobTypeRegistry {
        try JobTypeRegistry(AdIntelCatalog.jobTypes + (probes ? ProbeJobTypes.all : []))
    }

    /// A handler for every job type.
    ///
    /// - Throws: when the asset directory cannot be created.
    func handlers(store: any JobAndAdStore, settings: AdIntelSettings) throws -> HandlerRegistry {
        var handlers = try AdIntelCatalog.handlers(store: store, settings: settings)
        if probes {
            let probeHandlers = ProbeJobTypes.handlers()
            for type in ProbeJobTypes.all {
                if let handler = probeHandlers[type.name] { handlers.register(type.name, handler) }
            }
        }
        return handlers
    }
}
