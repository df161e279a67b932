import CloudTrail
import SigmaKit

/// Adds context to an alert from the event it fired on. Enrichers run only for matched events, never on the
/// scanning hot path.
public protocol AlertEnricher: Sendable {
    func enrich(_ alert: inout Alert, record: JSONValue)
}

/// Explains security-group changes (any rule whose event is one of the security-group rule calls): what
/// changed, and whether it opens the group to the internet. Raises the effective level, keeping the rule's own
/// level visible: world-open ingress on a sensitive port → at least `high`; world-open *all traffic* →
/// `critical`. A failed call (with an `errorCode`) is described as an attempt and never raised.
public struct SecurityGroupEnricher: AlertEnricher {
    public init() {}

    public func enrich(_ alert: inout Alert, record: JSONValue) {
        guard let change = SecurityGroupChange(record: record) else { return }
        alert.enrichment.append(("securityGroupChange", .object(change.jsonFields.map { ($0.key, $0.value) })))
        // A failed call changed nothing: say what was attempted, and do not raise the level.
        if let error = alert.errorCode {
            alert.summary = "FAILED (\(error)) attempt: " + change.summary
            return
        }
        alert.summary = change.summary
        if change.opensSensitivePortToInternet {
            let allTraffic = change.permissions.contains { $0.isWorldOpen && $0.isAllTraffic }
            alert.effectiveLevel = max(alert.effectiveLevel, allTraffic ? .critical : .high)
        }
    }
}

/// The enrichers `scan` runs by default.
public enum Enrichers {
    public static let standard: [any AlertEnricher] = [SecurityGroupEnricher()]
}
