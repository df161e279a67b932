import CloudTrail
import Foundation
import SigmaKit
import Testing

/// `CloudTrailEvent` against the event-access contract (EV-01..EV-08, D1, D2, D3, NV-05).
struct EventAccessTests {
    private func withEvent<R>(_ json: String, _ body: (CloudTrailEvent) throws -> R) throws -> R {
        try CloudTrailEvent.withEvent(parsing: json, body)
    }

    @Test func literalDottedKeyWinsOverTraversal() throws {
        try withEvent(#"{"a.b":"literal","a":{"b":"nested"},"c":{"d":"walked"}}"#) { event in
            #expect(values(event, "a.b") == ["string:literal"])
            #expect(values(event, "c.d") == ["string:walked"])
            #expect(event.presence(of: FieldPath("a.b")) == .present)
        }
        // The literal key wins even when its value is null.
        try withEvent(#"{"a.b":null,"a":{"b":"nested"}}"#) { event in
            #expect(values(event, "a.b") == ["null:"])
            #expect(event.presence(of: FieldPath("a.b")) == .null)
        }
    }

    @Test func nestedFieldsAreWalkedAndKeysAreCaseSensitive() throws {
        try withEvent(#"{"userIdentity":{"type":"Root","sessionContext":{"attributes":{"mfa":"true"}}}}"#) { event in
            #expect(values(event, "userIdentity.type") == ["string:Root"])
            #expect(values(event, "userIdentity.sessionContext.attributes.mfa") == ["string:true"])
            #expect(values(event, "useridentity.type").isEmpty)
            #expect(values(event, "userIdentity.type.x").isEmpty)
            #expect(event.presence(of: FieldPath("userIdentity.nope")) == .missing)
        }
    }

    @Test func arraysFanOutRecursively() throws {
        let json = #"""
        {"requestParameters":{"containerDefinitions":[{"command":["sh","-c","curl $AWS_URI"]},
         {"command":"single"},{"other":1}],
         "items":[[{"x":1},{"x":2}],[{"x":3}],[]],
         "ipPermissions":{"items":[{"fromPort":22,"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}},
                                   {"fromPort":3389,"ipRanges":{"items":[{"cidrIp":"10.0.0.0/8"}]}}]}}}
        """#
        try withEvent(json) { event in
            #expect(values(event, "requestParameters.containerDefinitions.command")
                    == ["string:sh", "string:-c", "string:curl $AWS_URI", "string:single"])
            #expect(values(event, "requestParameters.items.x") == ["number:1", "number:2", "number:3"])
            #expect(values(event, "requestParameters.ipPermissions.items.fromPort") == ["number:22", "number:3389"])
            #expect(values(event, "requestParameters.ipPermissions.items.ipRanges.items.cidrIp")
                    == ["string:0.0.0.0/0", "string:10.0.0.0/8"])
            // An array of objects at the end of the path: each object as D1 text.
            #expect(values(event, "requestParameters.ipPermissions.items.ipRanges.items")
                    == [#"object:{"cidrIp":"0.0.0.0/0"}"#, #"object:{"cidrIp":"10.0.0.0/8"}"#])
        }
    }

    @Test func anyValueStopsAtTheFirstMatch() throws {
        try withEvent(#"{"a":[1,2,3,4]}"#) { event in
            var seen = 0
            let found = event.anyValue(at: FieldPath("a")) { value in
                seen += 1
                return value.text == "2"
            }
            #expect(found)
            #expect(seen == 2)
        }
    }

    @Test func objectsReadAsCompactTextInSourceOrderUnescaped() throws {
        let json = #"""
        { "requestParameters" : { "VersioningConfiguration" : { "Status" : "Suspended" },
          "policy": "{\"Statement\":[{\"Action\":\"s3:GetObject\",\"Effect\":\"Allow\"}]}",
          "z": 1, "a": [true, null, 2.50] } }
        """#
        try withEvent(json) { event in
            let text = values(event, "requestParameters")
            #expect(text == [#"object:{"VersioningConfiguration":{"Status":"Suspended"},"#
                + #""policy":"{"Statement":[{"Action":"s3:GetObject","Effect":"Allow"}]}","#
                + #""z":1,"a":[true,null,2.50]}"#])
            #expect(text.first?.contains(#""s3:GetObject""#) == true)
            #expect(values(event, "requestParameters.policy")
                    == [#"string:{"Statement":[{"Action":"s3:GetObject","Effect":"Allow"}]}"#])
        }
    }

    @Test func scalarsKeepTheirJSONText() throws {
        try withEvent(#"{"n":3389,"f":1.50,"e":-1e+5,"t":true,"b":false,"s":"4624","u":"caf\u00e9 \ud83d\ude00"}"#) {
            #expect(values($0, "n") == ["number:3389"])
            #expect(values($0, "f") == ["number:1.50"])
            #expect(values($0, "e") == ["number:-1e+5"])
            #expect(values($0, "t") == ["bool:true"])
            #expect(values($0, "b") == ["bool:false"])
            #expect(values($0, "s") == ["string:4624"])
            #expect(values($0, "u") == ["string:caf\u{E9} \u{1F600}"])
        }
    }

    @Test func nullAndMissingAreKeptApart() throws {
        let json = #"{"errorCode":null,"empty":[],"nulls":[null,null],"mixed":[null,1],"obj":{},"rp":null,"s":""}"#
        try withEvent(json) { event in
            #expect(values(event, "errorCode") == ["null:"])
            #expect(values(event, "nothing").isEmpty)
            #expect(event.presence(of: FieldPath("errorCode")) == .null)
            #expect(event.presence(of: FieldPath("nothing")) == .missing)
            // EV-08: an empty array is present but yields no value.
            #expect(event.presence(of: FieldPath("empty")) == .present)
            #expect(values(event, "empty").isEmpty)
            #expect(event.presence(of: FieldPath("nulls")) == .null)
            #expect(event.presence(of: FieldPath("mixed")) == .present)
            #expect(event.presence(of: FieldPath("obj")) == .present)
            #expect(values(event, "obj") == ["object:{}"])
            // A null in the middle of a path: the key below it does not exist.
            #expect(event.presence(of: FieldPath("rp.groupId")) == .missing)
            #expect(values(event, "s") == ["string:"])
            #expect(event.presence(of: FieldPath("s")) == .present)
        }
        try withEvent(#"{"a":[{"b":null},{"c":1}]}"#) { event in
            #expect(event.presence(of: FieldPath("a.b")) == .null)
            #expect(event.presence(of: FieldPath("a.c")) == .present)
            #expect(event.presence(of: FieldPath("a.d")) == .missing)
        }
    }

    @Test func anyLeafVisitsEveryScalarButNoKeyOrNull() throws {
        try withEvent(#"{"k1":"v1","k2":{"k3":[1,true,null,{"k4":"v\u00e9"}]},"k5":null,"k6":false}"#) { event in
            var leaves: [String] = []
            _ = event.anyLeaf { leaves.append("\($0.kind):\($0.text)"); return false }
            #expect(leaves == ["string:v1", "number:1", "bool:true", "string:v\u{E9}", "bool:false"])
            var count = 0
            #expect(event.anyLeaf { count += 1; return $0.text == "1" })
            #expect(count == 2)
        }
    }

    @Test func duplicateKeysResolveToTheFirst() throws {
        try withEvent(#"{"a":1,"a":2}"#) { #expect(values($0, "a") == ["number:1"]) }
    }

    @Test func escapedKeysAreMatchedDecoded() throws {
        try withEvent(#"{"event\u004eame":"X","k\u00e9y":{"x":1}}"#) { event in
            #expect(values(event, "eventName") == ["string:X"])
            #expect(values(event, "k\u{E9}y.x") == ["number:1"])
        }
    }

    @Test func oddFieldPathsDoNotCrash() throws {
        try withEvent(#"{"":{"":"empty-key"},"a":{"":{"b":1}}}"#) { event in
            #expect(values(event, "") == [#"object:{"":"empty-key"}"#])
            #expect(values(event, ".") == ["string:empty-key"])
            #expect(values(event, "a..b") == ["number:1"])
            #expect(values(event, "a.") == [#"object:{"b":1}"#])
        }
    }

    @Test func convenienceAccessors() throws {
        let json = #"{"eventID":"abc-1","eventTime":"2014-09-26T11:20:15Z","eventName":"CreateUser","#
            + #""eventSource":"iam.amazonaws.com","n":42,"o":{"p":"q"},"arr":[null,"first"]}"#
        try withEvent(json) { event in
            #expect(event.eventID == "abc-1")
            #expect(event.eventName == "CreateUser")
            #expect(event.eventSource == "iam.amazonaws.com")
            #expect(event.eventTimeMilliseconds == 1_411_730_415_000)
            #expect(event.eventTime == Date(timeIntervalSince1970: 1_411_730_415))
            #expect(event.rawJSON == json)
            #expect(event.string(at: FieldPath("n")) == "42")
            #expect(event.string(at: FieldPath("o.p")) == "q")
            #expect(event.string(at: FieldPath("o")) == nil)
            #expect(event.string(at: FieldPath("arr")) == "first")
            #expect(event.string(at: FieldPath("missing")) == nil)
        }
        try withEvent(#"{"eventTime":"yesterday"}"#) { #expect($0.eventTimeMilliseconds == nil) }
    }

    @Test func unwrappingFollowsTheWrapperRule() throws {
        let wrapped = #"{"panther_rule_id":"X","log_types":["AWS.CloudTrail"],"log":{"eventName":"Inner"}}"#
        try CloudTrailEvent.withEvent(parsing: wrapped, unwrap: true) { #expect($0.eventName == "Inner") }
        try CloudTrailEvent.withEvent(parsing: wrapped) { #expect($0.eventName == nil) }
        #expect(throws: InputIssue.self) { try CloudTrailEvent.withEvent(parsing: "[1]") { _ in } }
        #expect(throws: JSONError.self) { try CloudTrailEvent.withEvent(parsing: "{") { _ in } }
    }

    @Test func ownedEventsOutliveTheirSource() throws {
        var owned: OwnedCloudTrailEvent?
        try withEvent(#"{"eventName":"Kept","a":{"b":[1,2]}}"#) { owned = $0.makeOwned() }
        let event = try #require(owned)
        #expect(values(event, "a.b") == ["number:1", "number:2"])
        #expect(event.presence(of: FieldPath("eventName")) == .present)
        #expect(event.rawJSON == #"{"eventName":"Kept","a":{"b":[1,2]}}"#)
        let direct = try OwnedCloudTrailEvent(json: #"{"x":"y"}"#)
        #expect(values(direct, "x") == ["string:y"])
        #expect(throws: InputIssue.self) { try OwnedCloudTrailEvent(json: "[]") }
    }
}

/// RFC 3339 parsing of `eventTime` and of `from` / `to`.
struct TimestampTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("2014-09-26T11:20:15Z", 1_411_730_415_000),
        ("2014-09-26T11:20:15.123Z", 1_411_730_415_123),
        ("2014-09-26T11:20:15.1Z", 1_411_730_415_100),
        ("2014-09-26t11:20:15z", 1_411_730_415_000),
        ("2014-09-26T13:20:15+02:00", 1_411_730_415_000),
        ("2014-09-26T06:20:15-0500", 1_411_730_415_000),
        ("2023-01-10 21:04:02", 1_673_384_642_000),
        ("2024-02-29T00:00:00Z", 1_709_164_800_000),
        ("2024-02-29", 1_709_164_800_000),
        ("1969-12-31T23:59:59Z", -1000),
        ("2016-12-31T23:59:60Z", 1_483_228_800_000),
    ])
    func parses(_ text: String, _ expected: Int64) {
        #expect(Timestamp.milliseconds(text) == expected, "\(text)")
    }

    @Test(arguments: ["", "2014", "2014-09-26T", "2014-13-01T00:00:00Z", "2023-02-29T00:00:00Z",
                      "2014-09-26T24:00:00Z", "2014-09-26T11:20:15Q", "2014-09-26T11:20:15.Z",
                      "2014-09-26T11:20:15Z ", "14-09-26T11:20:15Z", "2014-09-31"])
    func rejects(_ text: String) {
        #expect(Timestamp.milliseconds(text) == nil, "\(text)")
    }

    @Test func formatsRoundTrip() {
        for millis: Int64 in [0, 1_411_730_415_123, -1000, 253_402_300_799_999] {
            #expect(Timestamp.milliseconds(Timestamp.format(millis)) == millis)
        }
        #expect(Timestamp.format(1_411_730_415_123) == "2014-09-26T11:20:15.123Z")
    }

    @Test func dateBoundsCoverWholeDays() {
        #expect(InputOptions.parseTimeBound("2024-01-31", isUpperBound: true) == 1_706_745_599_999)
        #expect(InputOptions.parseTimeBound("2024-01-31", isUpperBound: false) == 1_706_659_200_000)
        #expect(InputOptions.parseTimeBound("2024-01-31T10:00:00Z", isUpperBound: true) == 1_706_695_200_000)
        #expect(InputOptions.parseTimeBound("soon", isUpperBound: true) == nil)
    }
}
