import Foundation
import SluiceCore
import SluiceEngine
import SluiceStore

/// The queue form of one job type: brand, parameters with their defaults, and when to run (now, at a time, or on a
/// cron schedule); also used to edit a recurring job. Reads a submission into a ``JobRequest`` or errors by field.
struct QueueFormView {
    let context: [String: Any]

    /// The form for `type`, filled from `submitted` (or from `job` when editing, else the defaults).
    static func load(
        client: SluiceClient, identity: AccessIdentity, type: JobType, submitted: [String: String]?,
        errors: [String: String], editing job: Job? = nil
    ) async throws -> QueueFormView {
        let brands = try await client.brands().filter { identity.brandID == nil || $0.id == identity.brandID }
        var fields = submitted
        if fields == nil, let job {
            fields = ["brand_id": job.brandID.lowercased, "schedule": "cron"]
            for (name, value) in job.parameters { fields?["p." + name] = JobForm.text(value) }
            if case .recurring(let cron, let zone) = job.schedule {
                fields?["cron"] = cron.expression
                fields?["timezone"] = zone.ianaName
            }
        }
        let chosenBrand = fields?["brand_id"] ?? ""
        let schedule = fields?["schedule"] ?? "now"
        var page: [String: Any] = [
            "type": ["name": type.name, "label": type.label, "emoji": type.emoji],
            "brands": brands.map {
                ["id": $0.id.lowercased, "name": $0.name, "selected": $0.id.lowercased == chosenBrand]
            },
            "inputs": JobForm.inputs(for: type, fields: fields, errors: errors, prefix: "p."),
            "now": schedule == "now", "at": schedule == "at", "cron": schedule == "cron",
            "runAt": fields?["run_at"] ?? "", "cronText": fields?["cron"] ?? "",
            "timezone": fields?["timezone"] ?? "UTC", "action": job.map { "/jobs/\($0.id)/edit" } ?? "/jobs/new",
            "editing": job.map { ["id": $0.id] } as Any, "hasErrors": !errors.isEmpty,
        ]
        let slots = ["brand_id", "run_at", "cron", "timezone", "job_type"]
        for field in slots {
            page["\(field)Error".replacingOccurrences(of: "_", with: "")] = errors[field]
        }
        // Errors with no input of their own (a uniqueness key, say) are shown above the form.
        let parameters = Set(type.schema.fields.map(\.name))
        let others = errors.filter { !slots.contains($0.key) && !parameters.contains($0.key) }.sorted {
            $0.key < $1.key
        }
        if !others.isEmpty {
            page["formError"] = others.map { $0.key == "form" ? $0.value : "\($0.key): \($0.value)" }
                .joined(separator: "; ")
        }
        if job == nil { page.removeValue(forKey: "editing") }
        return QueueFormView(context: page)
    }

    /// The request a submission asks for, or the problems by field.
    static func request(
        type: JobType, fields: [String: String], identity: AccessIdentity
    ) -> (JobRequest?, JobForm) {
        var form = JobForm(type: type, fields: fields, prefix: "p.")
        let brandID = UUID(uuidString: fields["brand_id"] ?? "")
        if brandID == nil || (identity.brandID != nil && brandID != identity.brandID) {
            form.errors["brand_id"] = "choose one of your brands"
        }
        let zoneName = (fields["timezone"] ?? "").trimmingCharacters(in: .whitespaces)
        let zone = TimeZone.iana(zoneName.isEmpty ? "UTC" : zoneName)
        if zone == nil { form.errors["timezone"] = "is not a known IANA time zone, such as Europe/Berlin" }
        var schedule = ScheduleRequest.now
        switch fields["schedule"] ?? "now" {
        case "at":
            let parser = DateFormatter()
            parser.locale = Locale(identifier: "en_US_POSIX")
            parser.timeZone = zone ?? .gmt
            parser.dateFormat = "yyyy-MM-dd'T'HH:mm"
            if let date = parser.date(from: fields["run_at"] ?? "") {
                schedule = .at(date)
            } else {
                form.errors["run_at"] = "give a date and time, such as 2026-12-01T06:00"
            }
        case "cron":
            let cron = (fields["cron"] ?? "").trimmingCharacters(in: .whitespaces)
            if cron.isEmpty { form.errors["cron"] = "give a cron expression, such as 0 6 * * *" }
            schedule = .cron(cron, timeZone: zoneName.isEmpty ? "UTC" : zoneName)
        default:
            break
        }
        guard form.errors.isEmpty, let brandID else { return (nil, form) }
        return (JobRequest(brandID: brandID, jobType: type.name, parameters: form.parameters, schedule: schedule), form)
    }
}
