import SigmaKit
import SigmaSQL
import Testing

/// Golden files per dialect for every semantics fixture (Fixtures/rules, one file per item of
/// sigma-semantics.md), re-recorded with `RECORD_GOLDEN=1 swift test --filter SigmaSQLTests`.
/// `scripts/convert-check/run` executes the same rules on each engine and compares with `trailwatch scan`.
@Suite struct GoldenTests {
    static let cases: [(String, SQLTarget)] = Fixtures.ruleFiles.flatMap { file in
        SQLTarget.allCases.map { (file, $0) }
    }

    @Test(arguments: cases)
    func ruleFile(_ file: String, _ target: SQLTarget) throws {
        let collection = try Fixtures.loadRuleFile(file)
        #expect(collection.errors.isEmpty, "fixture \(file) does not load: \(collection.errors)")
        let converter = SQLConverter(target: target, source: Fixtures.source(for: target))
        let results = converter.convert(collection: collection)
        #expect(!results.isEmpty)
        let script = ConversionResult.sqlScript(results, errors: true)
        Fixtures.expectGolden(script, "\(target.rawValue)/\(String(file.dropLast(4)) + ".sql")")
    }

    @Test(arguments: SQLTarget.allCases)
    func combinedQuery(_ target: SQLTarget) throws {
        var collection = try Fixtures.loadRuleFile("equality_case.yml")
        collection.merge(try Fixtures.loadRuleFile("null_and_empty.yml"))
        collection.merge(try Fixtures.loadRuleFile("filters.yml"))
        let converter = SQLConverter(target: target, source: Fixtures.source(for: target))
        let results = converter.convert(collection: collection, combined: true)
        let queries = results.compactMap { result -> ConvertedQuery? in
            if case .converted(let query) = result { return query }
            return nil
        }
        #expect(queries.count == 1)
        #expect(queries.first?.sql.contains("matched_rules") == true)
        Fixtures.expectGolden(ConversionResult.sqlScript(results, errors: true), "\(target.rawValue)/combined.sql")
    }
}
