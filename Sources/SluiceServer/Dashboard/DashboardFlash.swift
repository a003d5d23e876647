/// The one-line notices a page shows after an action redirected to it (`?flash=…`). Only known codes produce text,
/// so a crafted link cannot put words on the page.
enum DashboardFlash {
    static func message(_ code: String?) -> String? {
        guard let code else { return nil }
        switch code {
        case "scheduled": return "Recurring job scheduled."
        case "edited": return "Schedule saved."
        case "pause": return "Job paused: it fires no more until resumed."
        case "resume": return "Job resumed."
        case "run-now": return "Run queued now."
        case "duplicate":
            return "Nothing new was queued: an active job of this type already has the same key (see its runs below)."
        default: break
        }
        let parts = code.split(separator: "-")
        guard parts.count == 3, ["retry", "cancel"].contains(parts[0]), let done = Int(parts[1]),
            let skipped = Int(parts[2])
        else { return nil }
        let verb = parts[0] == "retry" ? "Retried" : "Cancelled"
        let tail = skipped == 0 ? "" : "; \(skipped) skipped (their state does not allow it, or they are gone)"
        return "\(verb) \(done) run\(done == 1 ? "" : "s")\(tail)."
    }
}
