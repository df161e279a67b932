import SigmaKit
import SigmaSQL

/// The SQL of a detection for every `trailwatch convert` target, as the detection page shows it.
public enum SQLPreview {
    /// The targets shown, in order, with their labels.
    public static let targets: [(target: SQLTarget, label: String)] = [
        (.athena, "Amazon Athena (Trino)"), (.cloudTrailLake, "CloudTrail Lake (Trino)"), (.spark, "Spark SQL"),
        (.duckdb, "DuckDB"),
    ]

    /// Converts `rule` with the filters of `filters` that apply to it, as `trailwatch convert` would (default
    /// tables; CloudTrail Lake names its event data store `EVENT_DATA_STORE_ID`). A rule whose log source is not
    /// CloudTrail's gives one entry saying so.
    public static func convert(
        _ rule: SigmaRule, filters: [SigmaFilter], disabledFilters: Set<String> = []
    ) -> [DetectionSQL] {
        guard rule.logsource.isContained(in: SQLConverter.cloudTrailLogSource) else {
            return [
                DetectionSQL(
                    dialect: "All targets", sql: nil,
                    error: "Not converted: the rule's log source is not AWS CloudTrail, the only table layout the "
                        + "converter knows.")
            ]
        }
        return targets.map { target, label in
            let source = SQLSourceOptions(table: target == .cloudTrailLake ? "EVENT_DATA_STORE_ID" : nil)
            do {
                let query = try SQLConverter(target: target, source: source)
                    .convert(rule, filters: filters, disabledFilters: disabledFilters)
                let notes = query.warnings.map { "-- warning: \($0)\n" }.joined()
                return DetectionSQL(dialect: label, sql: notes + query.sql)
            } catch {
                return DetectionSQL(dialect: label, sql: nil, error: "Not converted: \(error)")
            }
        }
    }
}
