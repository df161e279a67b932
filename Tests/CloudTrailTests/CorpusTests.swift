import CloudTrail
import Foundation
import Testing

/// Every folder of `../shared/data/cloudtrail`, read with `readRecords`: counts asserted per folder.
/// Skipped (with a message) where the shared corpus is absent.
struct CorpusTests {
    struct Folder: Sendable, CustomStringConvertible {
        var name: String
        var inputs: Int
        var records: Int
        var accepted: Int
        var format: InputFormat
        var description: String { name }
    }

    static let folders: [Folder] = [
        // 1,070 delivery files (a few plain .json); 22 records are the same delivery read twice.
        Folder(name: "grycap", inputs: 1070, records: 17_622, accepted: 17_600, format: .recordsObject),
        Folder(name: "stratus-red-team", inputs: 35, records: 310, accepted: 310, format: .array),
        Folder(name: "otrf", inputs: 1, records: 103, accepted: 103, format: .jsonLines),
        // Fake eventIDs repeat inside this one input; duplicates are only dropped across inputs.
        Folder(name: "panther-labeled", inputs: 1, records: 537, accepted: 537, format: .jsonLines),
        Folder(name: "streamalert", inputs: 1, records: 19, accepted: 19, format: .jsonLines),
        Folder(name: "awsdocs", inputs: 1, records: 25, accepted: 25, format: .jsonLines),
        // The same 2-record delivery as .json and .json.gz, and a 3-record file sharing 2 of its ids.
        Folder(name: "trailscraper", inputs: 3, records: 7, accepted: 3, format: .recordsObject),
    ]

    @Test(arguments: folders)
    func readsSharedFolder(_ folder: Folder) async throws {
        guard let path = TestPaths.corpusFolder(folder.name) else {
            print("skipped: \(TestPaths.corpus)/\(folder.name) is absent")
            return
        }
        let (seen, report) = try await readAll(InputOptions(paths: [path]))
        #expect(report.inputs.count == folder.inputs)
        #expect(report.totals.records == folder.records)
        #expect(report.totals.accepted == folder.accepted)
        #expect(report.totals.duplicates == folder.records - folder.accepted)
        #expect(report.totals.rejected == 0)
        #expect(report.failedInputs.isEmpty, "\(report.failedInputs.map { $0.error?.description ?? "" })")
        #expect(seen.count == folder.accepted)
        #expect(report.inputs.allSatisfy { $0.format == folder.format }, "\(Set(report.inputs.map(\.format)))")
        #expect(report.inputs.allSatisfy { $0.issues.isEmpty })
        // Every visited record carries its input and position.
        #expect(seen.allSatisfy { $0.path.hasPrefix(path) && $0.line != nil })
    }

    @Test func grycapFactsHold() async throws {
        guard let path = TestPaths.corpusFolder("grycap") else {
            print("skipped: the grycap corpus is absent")
            return
        }
        let (seen, report) = try await readAll(InputOptions(paths: [path], workers: 2))
        #expect(Set(seen.compactMap(\.eventID)).count == 17_600)
        #expect(seen.filter { $0.eventName == "AuthorizeSecurityGroupIngress" }.count == 41)
        #expect(seen.filter { $0.eventName == "RevokeSecurityGroupIngress" }.count == 22)
        #expect(report.inputs.filter(\.isGzip).count == 1068)
        // One worker gives the same totals.
        let (_, single) = try await readAll(InputOptions(paths: [path], workers: 1))
        #expect(single.totals == report.totals)
        // Without deduplication every record is visited.
        let (all, raw) = try await readAll(InputOptions(paths: [path], deduplicate: false))
        #expect(all.count == 17_622)
        #expect(raw.totals.duplicates == 0)
    }

    @Test func grycapFiltersByTimeAccountAndRegion() async throws {
        guard let path = TestPaths.corpusFolder("grycap") else {
            print("skipped: the grycap corpus is absent")
            return
        }
        let from = try #require(InputOptions.parseTimeBound("2017-06-01", isUpperBound: false))
        let to = try #require(InputOptions.parseTimeBound("2017-06-01", isUpperBound: true))
        let (seen, report) = try await readAll(InputOptions(paths: [path], from: from, to: to))
        #expect(report.prunedDirectories > 0 || report.prunedFiles > 0)
        // Folders outside the window are never opened: only that day and the next (delivery lag) are read.
        let files = FileManager.default.enumerator(atPath: path)?.allObjects.compactMap { $0 as? String } ?? []
        let window = files.filter { $0.contains("/2017/06/01/") || $0.contains("/2017/06/02/") }
        #expect(report.inputs.count == window.count)
        #expect(!seen.isEmpty)
        #expect(report.totals.records == report.totals.accepted + report.totals.skippedTime + report.totals.duplicates)
        // Cross-check against a read whose delivery lag is so large that nothing is pruned by date.
        let (unpruned, _) = try await readAll(InputOptions(paths: [path], from: from, to: to,
                                                           deliveryLagMilliseconds: 400 * 86_400_000))
        #expect(Set(unpruned.compactMap(\.eventID)) == Set(seen.compactMap(\.eventID)))

        let (none, other) = try await readAll(InputOptions(paths: [path], accounts: ["999999999999"]))
        #expect(none.isEmpty)
        #expect(other.inputs.isEmpty)
        #expect(other.prunedDirectories == 1)
        let (east, eastReport) = try await readAll(InputOptions(paths: [path], regions: ["us-east-1"]))
        let (south, _) = try await readAll(InputOptions(paths: [path], regions: ["sa-east-1"]))
        #expect(east.count + south.count == 17_600)
        #expect(!south.isEmpty && !east.isEmpty)
        #expect(eastReport.totals.skippedRegion == 0)  // pruned by folder, never opened
    }
}
