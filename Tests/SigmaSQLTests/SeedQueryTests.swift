import SigmaKit
import SigmaSQL
import Testing

/// The seed detection (the pack's security-group rule with its successful-calls filter) must read as a person
/// would write it on Athena: the event source, the four event names compared case-insensitively, `errorcode IS
/// NULL`, `ORDER BY eventtime DESC`, and nothing else.
@Suite struct SeedQueryTests {
    static let seedID = "6fb77778-040f-4015-9440-572aa9b6b580"
    static let filterID = "0f5a3c1e-7d2b-4e8a-9c4f-2b6d8e1a5c70"

    static let expectedAthena = """
        SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
        FROM cloudtrail_logs
        WHERE lower(eventsource) = 'ec2.amazonaws.com'
          AND lower(eventname) IN (
              'authorizesecuritygroupegress',
              'authorizesecuritygroupingress',
              'revokesecuritygroupegress',
              'revokesecuritygroupingress'
          )
          AND errorcode IS NULL
        ORDER BY eventtime DESC
        """

    func seed() throws -> (SigmaRule, RuleCollection) {
        let collection = try Fixtures.loadSeed()
        let rule = try #require(collection.rules.first { $0.id == Self.seedID })
        #expect(collection.filters.count == 1)
        return (rule, collection)
    }

    @Test func athenaReadsAsWrittenByHand() throws {
        let (rule, collection) = try seed()
        let query = try SQLConverter(target: .athena).convert(rule, filters: collection.filters)
        #expect(query.warnings.isEmpty)
        #expect(query.sql == Self.expectedAthena)
        for clutter in ["COALESCE", "NOT ", "json", "LIKE", "any_match", "CAST"] {
            #expect(!query.sql.contains(clutter), "seed query holds \(clutter)")
        }
    }

    @Test func includeFailedDropsTheFilter() throws {
        let (rule, collection) = try seed()
        let query = try SQLConverter(target: .athena).convert(
            rule, filters: collection.filters, disabledFilters: [Self.filterID])
        #expect(!query.sql.contains("errorcode IS NULL"))
        #expect(query.sql.contains("lower(eventname) IN ("))
    }

    @Test(arguments: SQLTarget.allCases)
    func goldenPerTarget(_ target: SQLTarget) throws {
        let (_, collection) = try seed()
        let converter = SQLConverter(target: target, source: Fixtures.source(for: target))
        let script = ConversionResult.sqlScript(converter.convert(collection: collection), errors: true)
        Fixtures.expectGolden(script, "\(target.rawValue)/seed.sql")
    }

    @Test func duckDBReadsDeliveryFiles() throws {
        let (rule, collection) = try seed()
        let converter = SQLConverter(target: .duckdb, source: SQLSourceOptions(input: "AWSLogs/**/*.json.gz"))
        let query = try converter.convert(rule, filters: collection.filters)
        #expect(query.sql.contains("read_json('AWSLogs/**/*.json.gz', columns = {'Records': 'JSON[]'}"))
        #expect(query.sql.contains("unnest(Records) AS event"))
        Fixtures.expectGolden(query.sql + ";\n", "duckdb/seed-input.sql")
    }
}
