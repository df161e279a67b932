import SigmaKit
import Testing

/// Event-level semantics: every item of sigma-semantics.md §4-§12 that can be observed on an event, as rows of
/// (detection, event, expected). Item ids refer to the contract.
struct EngineSemanticsTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let id: String
        let detection: String
        let event: String
        let expected: Bool
        var testDescription: String { "\(id): \(expected ? "MATCH" : "NO MATCH") \(event)" }
    }

    static let cases: [Case] = [
        // §4 structure
        Case(id: "DT-02 map is AND", detection: "sel: {a: 1, b: x}", event: #"{"a":1,"b":"X"}"#, expected: true),
        Case(id: "DT-02 map is AND (missing b)", detection: "sel: {a: 1, b: x}", event: #"{"a":1}"#, expected: false),
        Case(id: "DT-03 list is OR", detection: "sel: {eventName: [CreateUser, DeleteUser]}",
             event: #"{"eventName":"deleteuser"}"#, expected: true),
        Case(id: "DT-04 list of maps", detection: "sel: [{a: 1}, {b: x}]", event: #"{"b":"x"}"#, expected: true),
        Case(id: "DT-04 list of maps (neither)", detection: "sel: [{a: 1}, {b: x}]", event: #"{"a":2,"b":"y"}"#,
             expected: false),
        Case(id: "DT-05 mixed list keyword", detection: "sel: [foo, {c: 3}]", event: #"{"x":"a foo b"}"#,
             expected: true),
        Case(id: "DT-05 mixed list map", detection: "sel: [foo, {c: 3}]", event: #"{"c":3}"#, expected: true),
        Case(id: "DT-05 mixed list none", detection: "sel: [foo, {c: 3}]", event: #"{"c":4}"#, expected: false),
        Case(id: "DT-06 scalar is keyword", detection: "sel: foo", event: #"{"x":"FOO"}"#, expected: true),
        Case(id: "DT-08 empty list is null", detection: "sel: {f: []}", event: #"{}"#, expected: true),
        Case(id: "DT-11 quoted key with space", detection: "sel: {'my field': x}", event: #"{"my field":"x"}"#,
             expected: true),
        // §5 null, empty, existence
        Case(id: "NV-01 null absent", detection: "sel: {errorCode: null}", event: #"{}"#, expected: true),
        Case(id: "NV-01 null JSON null", detection: "sel: {errorCode: null}", event: #"{"errorCode":null}"#,
             expected: true),
        Case(id: "NV-01 null vs empty", detection: "sel: {errorCode: null}", event: #"{"errorCode":""}"#,
             expected: false),
        Case(id: "NV-01 null vs value", detection: "sel: {errorCode: null}",
             event: #"{"errorCode":"AccessDenied"}"#, expected: false),
        Case(id: "NV-02 empty string absent", detection: "sel: {f: ''}", event: #"{}"#, expected: false),
        Case(id: "NV-02 empty string null", detection: "sel: {f: ''}", event: #"{"f":null}"#, expected: false),
        Case(id: "NV-02 empty string", detection: "sel: {f: ''}", event: #"{"f":""}"#, expected: true),
        Case(id: "NV-03 not null idiom", detection: "sel: {g: 1}\nfilter: {f: null}\ncondition: sel and not filter",
             event: #"{"g":1,"f":"x"}"#, expected: true),
        Case(id: "NV-03 not null idiom absent", detection: "sel: {g: 1}\nfilter: {f: null}\ncondition: sel and not filter",
             event: #"{"g":1}"#, expected: false),
        Case(id: "NV-03 not null idiom null", detection: "sel: {g: 1}\nfilter: {f: null}\ncondition: sel and not filter",
             event: #"{"g":1,"f":null}"#, expected: false),
        Case(id: "NV-04 null in list", detection: "sel: {f: ['', null]}", event: #"{}"#, expected: true),
        Case(id: "NV-04 null in list empty", detection: "sel: {f: ['', null]}", event: #"{"f":""}"#, expected: true),
        Case(id: "NV-05 exists on empty", detection: "sel: {f|exists: true}", event: #"{"f":""}"#, expected: true),
        Case(id: "NV-05 exists absent", detection: "sel: {f|exists: true}", event: #"{}"#, expected: false),
        Case(id: "NV-05/D7 exists on null", detection: "sel: {f|exists: true}", event: #"{"f":null}"#,
             expected: true),
        Case(id: "NV-05 not exists", detection: "sel: {f|exists: false}", event: #"{}"#, expected: true),
        Case(id: "NV-05 exists list", detection: "sel: {f|exists: [true, false]}", event: #"{}"#, expected: true),
        Case(id: "NV-06 star on empty", detection: "sel: {f: '*'}", event: #"{"f":""}"#, expected: true),
        Case(id: "NV-06 star absent", detection: "sel: {f: '*'}", event: #"{}"#, expected: false),
        Case(id: "NV-06 star null", detection: "sel: {f: '*'}", event: #"{"f":null}"#, expected: false),
        Case(id: "NV-06 contains star", detection: "sel: {errorMessage|contains: '*'}",
             event: #"{"errorMessage":"x"}"#, expected: true),
        Case(id: "NV-06 startswith empty", detection: "sel: {f|startswith: ''}", event: #"{"f":"abc"}"#,
             expected: true),
        Case(id: "NV-06 endswith empty absent", detection: "sel: {f|endswith: ''}", event: #"{}"#, expected: false),
        // §6 strings
        Case(id: "ST-01 whole value", detection: "sel: {eventName: Console}", event: #"{"eventName":"ConsoleLogin"}"#,
             expected: false),
        Case(id: "ST-02 star", detection: "sel: {f: 'a*b'}", event: #"{"f":"ab"}"#, expected: true),
        Case(id: "ST-02 star inside", detection: "sel: {f: 'a*b'}", event: #"{"f":"aXYZb"}"#, expected: true),
        Case(id: "ST-02 star anchored", detection: "sel: {f: 'a*b'}", event: #"{"f":"xab"}"#, expected: false),
        Case(id: "ST-02 question", detection: "sel: {f: 'a?b'}", event: #"{"f":"aXb"}"#, expected: true),
        Case(id: "ST-02 question needs one", detection: "sel: {f: 'a?b'}", event: #"{"f":"ab"}"#, expected: false),
        Case(id: "ST-02 question only one", detection: "sel: {f: 'a?b'}", event: #"{"f":"aXXb"}"#, expected: false),
        Case(id: "ST-02 question one non-ASCII character", detection: "sel: {f: 'a?b'}", event: #"{"f":"aéb"}"#,
             expected: true),
        Case(id: "ST-03 escaped star", detection: #"sel: {f: 'a\*b'}"#, event: #"{"f":"a*b"}"#, expected: true),
        Case(id: "ST-03 escaped star literal", detection: #"sel: {f: 'a\*b'}"#, event: #"{"f":"aXb"}"#,
             expected: false),
        Case(id: "ST-03 backslash kept", detection: #"sel: {f: 'C:\Windows\System32'}"#,
             event: #"{"f":"C:\\Windows\\System32"}"#, expected: true),
        Case(id: "ST-03 escaped backslash then star", detection: #"sel: {f: 'C:\Windows\\*'}"#,
             event: #"{"f":"C:\\Windows\\x.exe"}"#, expected: true),
        Case(id: "§17.1 backslash eaten by star", detection: #"sel: {f: 'C:\Windows\*'}"#,
             event: #"{"f":"C:\\Windows\\x.exe"}"#, expected: false),
        Case(id: "ST-04 contains trailing backslash", detection: #"sel: {f|contains: 'Temp\'}"#,
             event: #"{"f":"C:\\Temp\\x"}"#, expected: true),
        Case(id: "ST-05 case-insensitive", detection: "sel: {additionalEventData.MFAUsed: 'NO'}",
             event: #"{"additionalEventData":{"MFAUsed":"No"}}"#, expected: true),
        Case(id: "ST-05/D4 Unicode folding", detection: "sel: {f: 'ÄBC'}", event: #"{"f":"äbc"}"#, expected: true),
        Case(id: "ST-05/D4 Unicode folding contains", detection: "sel: {f|contains: 'straße'}",
             event: #"{"f":"STRASSE? no: STRAßE"}"#, expected: true),
        Case(id: "ST-06 cased", detection: "sel: {f|contains|cased: Login}", event: #"{"f":"ConsoleLogin"}"#,
             expected: true),
        Case(id: "ST-06 cased rejects case", detection: "sel: {f|contains|cased: Login}",
             event: #"{"f":"consolelogin"}"#, expected: false),
        Case(id: "ST-06 cased first", detection: "sel: {f|cased|contains: Login}", event: #"{"f":"consolelogin"}"#,
             expected: false),
        Case(id: "ST-07 percent literal", detection: "sel: {f: '100%'}", event: #"{"f":"1000"}"#, expected: false),
        Case(id: "ST-08 no trimming", detection: "sel: {f: 'a'}", event: #"{"f":" a"}"#, expected: false),
        // §7 numbers and booleans
        Case(id: "NUM-01 number", detection: "sel: {f: 4624}", event: #"{"f":4624}"#, expected: true),
        Case(id: "NUM-01 float", detection: "sel: {f: 4624}", event: #"{"f":4624.0}"#, expected: true),
        Case(id: "NUM-01 numeric string", detection: "sel: {f: 4624}", event: #"{"f":"4624"}"#, expected: true),
        Case(id: "NUM-01 other number", detection: "sel: {f: 4624}", event: #"{"f":4625}"#, expected: false),
        Case(id: "NUM-02 integral float", detection: "sel: {f: 4624.0}", event: #"{"f":4624}"#, expected: true),
        Case(id: "NUM-03 quoted number", detection: "sel: {f: '4624'}", event: #"{"f":4624}"#, expected: true),
        Case(id: "NUM-03 quoted number string", detection: "sel: {f: '4624'}", event: #"{"f":"4624"}"#,
             expected: true),
        Case(id: "NUM-04 bool", detection: "sel: {f: true}", event: #"{"f":true}"#, expected: true),
        Case(id: "NUM-04 bool string", detection: "sel: {f: true}", event: #"{"f":"TRUE"}"#, expected: true),
        Case(id: "NUM-04 bool other", detection: "sel: {f: true}", event: #"{"f":false}"#, expected: false),
        Case(id: "NUM-04/D3 string false vs JSON false", detection: "sel: {requestParameters.enable: 'false'}",
             event: #"{"requestParameters":{"enable":false}}"#, expected: true),
        Case(id: "Y-03 yes is bool", detection: "sel: {f: yes}", event: #"{"f":true}"#, expected: true),
        Case(id: "Y-03 yes is not the string", detection: "sel: {f: yes}", event: #"{"f":"yes"}"#, expected: false),
        Case(id: "Y-03 octal", detection: "sel: {f: 010}", event: #"{"f":8}"#, expected: true),
        Case(id: "Y-03 hex int vs string", detection: "sel: {TicketOptions: 0x40810000}",
             event: #"{"TicketOptions":"0x40810000"}"#, expected: false),
        Case(id: "Y-03 1e3 is a string", detection: "sel: {f: 1e3}", event: #"{"f":"1e3"}"#, expected: true),
        // §8 event model
        Case(id: "EV-01 nested", detection: "sel: {userIdentity.type: Root}", event: #"{"userIdentity":{"type":"Root"}}"#,
             expected: true),
        Case(id: "EV-01 literal dotted key wins", detection: "sel: {a.b: x}", event: #"{"a.b":"x","a":{"b":"y"}}"#,
             expected: true),
        Case(id: "EV-02 arrays fan out",
             detection: "sel: {requestParameters.containerDefinitions.command|contains: '$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'}",
             event: #"{"requestParameters":{"containerDefinitions":[{"command":["sh","-c","curl $AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]}]}}"#,
             expected: true),
        Case(id: "EV-03 all across elements", detection: "sel: {f|contains|all: [a, b]}", event: #"{"f":["xa","yb"]}"#,
             expected: true),
        Case(id: "EV-04 neq after any", detection: "sel: {f|neq: a}", event: #"{"f":["a","b"]}"#, expected: false),
        Case(id: "EV-05/D1 object contains", detection: "sel: {requestParameters|contains: 'Suspended'}",
             event: #"{"requestParameters":{"VersioningConfiguration":{"Status":"Suspended"}}}"#, expected: true),
        Case(id: "D1 quotes visible", detection: #"sel: {requestParameters|contains|all: ['"s3:GetObject"', '"Allow"']}"#,
             event: #"{"requestParameters":{"policy":{"Effect":"Allow","Action":"s3:GetObject"}}}"#, expected: true),
        Case(id: "EV-07 not over missing", detection: "sel: {f: x}\ncondition: not sel", event: #"{}"#,
             expected: true),
        Case(id: "EV-08 empty array null", detection: "sel: {f: null}", event: #"{"f":[]}"#, expected: false),
        Case(id: "EV-08 empty array exists", detection: "sel: {f|exists: true}", event: #"{"f":[]}"#, expected: true),
        Case(id: "EV-08 empty array value", detection: "sel: {f: '*'}", event: #"{"f":[]}"#, expected: false),
        // §9 modifiers
        Case(id: "MOD-contains", detection: "sel: {f|contains: 'a*b'}", event: #"{"f":"xxaYYbzz"}"#, expected: true),
        Case(id: "MOD-endswith", detection: #"sel: {f|endswith: '\cmd.exe'}"#, event: #"{"f":"C:\\Windows\\cmd.exe"}"#,
             expected: true),
        Case(id: "MOD-startswith|endswith", detection: "sel: {f|startswith|endswith: mid}", event: #"{"f":"amidb"}"#,
             expected: true),
        Case(id: "MOD-all", detection: "sel: {f|contains|all: [a, b]}", event: #"{"f":"xbxa"}"#, expected: true),
        Case(id: "MOD-all one missing", detection: "sel: {f|contains|all: [a, b]}", event: #"{"f":"xa"}"#,
             expected: false),
        Case(id: "MOD-base64", detection: "sel: {f|base64: cmd}", event: #"{"f":"Y21k"}"#, expected: true),
        Case(id: "MOD-base64 contains", detection: "sel: {f|base64|contains: 'http://'}",
             event: #"{"f":"xxaHR0cDovLw==yy"}"#, expected: true),
        Case(id: "MOD-base64offset", detection: "sel: {f|base64offset|contains: 'http://'}",
             event: #"{"f":"..aHR0cDovL.."}"#, expected: true),
        Case(id: "MOD-base64offset v2", detection: "sel: {f|base64offset|contains: 'http://'}",
             event: #"{"f":"..h0dHA6Ly.."}"#, expected: true),
        Case(id: "MOD-base64offset v3", detection: "sel: {f|base64offset|contains: 'http://'}",
             event: #"{"f":"..odHRwOi8v.."}"#, expected: true),
        Case(id: "§17.10 base64offset one char", detection: "sel: {f|base64offset|contains: 'a'}",
             event: #"{"f":"anything"}"#, expected: true),
        Case(id: "MOD-wide base64", detection: "sel: {f|wide|base64: cmd}", event: #"{"f":"YwBtAGQA"}"#,
             expected: true),
        Case(id: "MOD-utf16be base64", detection: "sel: {f|utf16be|base64: cmd}", event: #"{"f":"AGMAbQBk"}"#,
             expected: true),
        Case(id: "MOD-utf16 base64", detection: "sel: {f|utf16|base64: cmd}", event: #"{"f":"//5jAG0AZAA="}"#,
             expected: true),
        Case(id: "MOD-utf16le alias", detection: "sel: {f|utf16le|base64: cmd}", event: #"{"f":"YwBtAGQA"}"#,
             expected: true),
        Case(id: "MOD-windash", detection: "sel: {f|windash|contains: ' -encodedcommand'}",
             event: #"{"f":"powershell /encodedcommand X"}"#, expected: true),
        Case(id: "MOD-windash en dash", detection: "sel: {f|windash|contains: ' -exec'}",
             event: #"{"f":"x –exec y"}"#, expected: true),
        Case(id: "MOD-re", detection: "sel: {userIdentity.arn|re: '.+:assumed-role/aws:.+'}",
             event: #"{"userIdentity":{"arn":"arn:aws:sts::1:assumed-role/aws:ec2-instance/i-1"}}"#, expected: true),
        Case(id: "MOD-re search", detection: "sel: {f|re: 'ab+c'}", event: #"{"f":"xabbcx"}"#, expected: true),
        Case(id: "MOD-re cased", detection: "sel: {f|re: 'ab+c'}", event: #"{"f":"ABC"}"#, expected: false),
        Case(id: "MOD-re i", detection: "sel: {f|re|i: abc}", event: #"{"f":"xABCx"}"#, expected: true),
        Case(id: "MOD-cidr in", detection: "sel: {sourceIPAddress|cidr: 192.168.0.0/23}",
             event: #"{"sourceIPAddress":"192.168.1.255"}"#, expected: true),
        Case(id: "MOD-cidr out", detection: "sel: {sourceIPAddress|cidr: 192.168.0.0/23}",
             event: #"{"sourceIPAddress":"192.168.2.0"}"#, expected: false),
        Case(id: "MOD-cidr not an IP", detection: "sel: {sourceIPAddress|cidr: 10.0.0.0/8}",
             event: #"{"sourceIPAddress":"10.foo"}"#, expected: false),
        Case(id: "MOD-cidr IPv6", detection: "sel: {ip|cidr: '2001:db8::/32'}", event: #"{"ip":"2001:db8::1"}"#,
             expected: true),
        Case(id: "MOD-fieldref", detection: "sel: {a|fieldref: b}", event: #"{"a":"x","b":"X"}"#, expected: true),
        Case(id: "MOD-fieldref missing", detection: "sel: {a|fieldref: b}", event: #"{"a":"x"}"#, expected: false),
        Case(id: "MOD-fieldref neq missing", detection: "sel: {a|fieldref|neq: b}", event: #"{"a":"x"}"#,
             expected: true),
        Case(id: "MOD-fieldref contains", detection: "sel: {a|fieldref|contains: b}", event: #"{"a":"xYz","b":"y"}"#,
             expected: true),
        Case(id: "MOD-gt", detection: "sel: {f|gt: 5}", event: #"{"f":6}"#, expected: true),
        Case(id: "MOD-gt equal", detection: "sel: {f|gt: 5}", event: #"{"f":5}"#, expected: false),
        Case(id: "MOD-gt string", detection: "sel: {f|gt: 5}", event: #"{"f":"10"}"#, expected: true),
        Case(id: "MOD-gt non-numeric", detection: "sel: {f|gt: 5}", event: #"{"f":"abc"}"#, expected: false),
        Case(id: "MOD-gt absent", detection: "sel: {f|gt: 5}", event: #"{}"#, expected: false),
        Case(id: "MOD-lte negative", detection: "sel: {f|lte: -1.5}", event: #"{"f":-2}"#, expected: true),
        Case(id: "MOD-neq", detection: "sel: {f|neq: foo}", event: #"{"f":"bar"}"#, expected: true),
        Case(id: "MOD-neq case", detection: "sel: {f|neq: foo}", event: #"{"f":"FOO"}"#, expected: false),
        Case(id: "MOD-neq absent", detection: "sel: {f|neq: foo}", event: #"{}"#, expected: true),
        Case(id: "MOD-neq list", detection: "sel: {f|neq: [a, b]}", event: #"{"f":"c"}"#, expected: true),
        Case(id: "MOD-neq list hit", detection: "sel: {f|neq: [a, b]}", event: #"{"f":"a"}"#, expected: false),
        Case(id: "MOD-hour", detection: "sel: {eventTime|hour|gte: 22}", event: #"{"eventTime":"2024-05-01T23:10:00Z"}"#,
             expected: true),
        Case(id: "MOD-hour eq", detection: "sel: {eventTime|hour: 22}", event: #"{"eventTime":"2024-05-01T23:10:00Z"}"#,
             expected: false),
        Case(id: "MOD-week ISO", detection: "sel: {eventTime|week: 1}", event: #"{"eventTime":"2021-01-04T00:00:00Z"}"#,
             expected: true),
        Case(id: "MOD-week ISO 53", detection: "sel: {eventTime|week: 53}", event: #"{"eventTime":"2021-01-03T00:00:00Z"}"#,
             expected: true),
        Case(id: "MOD-month", detection: "sel: {eventTime|month: 5}", event: #"{"eventTime":"2024-05-01T23:10:00Z"}"#,
             expected: true),
        Case(id: "MOD-year neq", detection: "sel: {eventTime|year|neq: 2024}", event: #"{"eventTime":"2024-05-01T23:10:00Z"}"#,
             expected: false),
        Case(id: "MOD-time unparsable", detection: "sel: {eventTime|minute: 10}", event: #"{"eventTime":"soon"}"#,
             expected: false),
        // §11 conditions
        Case(id: "CND-03 precedence", detection: "a: {x: 1}\nb: {y: 1}\nc: {z: 1}\ncondition: a or b and not c",
             event: #"{"y":1,"z":1}"#, expected: false),
        Case(id: "CND-03 precedence 2", detection: "a: {x: 1}\nb: {y: 1}\nc: {z: 1}\ncondition: a or b and not c",
             event: #"{"x":1,"z":1}"#, expected: true),
        Case(id: "CND-04 1 of", detection: "sel1: {x: 1}\nsel2: {y: 1}\ncondition: 1 of sel*", event: #"{"y":1}"#,
             expected: true),
        Case(id: "CND-04 all of", detection: "sel1: {x: 1}\nsel2: {y: 1}\ncondition: all of sel*", event: #"{"y":1}"#,
             expected: false),
        Case(id: "CND-06 them skips underscore", detection: "sel: {x: 1}\n_hidden: {y: 1}\ncondition: all of them",
             event: #"{"x":1}"#, expected: true),
        Case(id: "CND-09 list of conditions", detection: "a: {x: 1}\nb: {y: 1}\ncondition: [a, b]",
             event: #"{"y":1}"#, expected: true),
        Case(id: "CND-11 all of them with keywords", detection: "kw: [foo]\nsel: {a: 1}\ncondition: all of them",
             event: #"{"a":1,"b":"xfoox"}"#, expected: true),
        Case(id: "CND-11 all of them with keywords miss", detection: "kw: [foo]\nsel: {a: 1}\ncondition: all of them",
             event: #"{"a":1,"b":"x"}"#, expected: false),
        // §12 keywords
        Case(id: "KW-02 substring anywhere", detection: "sel: ['event::clear']",
             event: #"{"x":{"y":"... EVENT::CLEAR ..."}}"#, expected: true),
        Case(id: "KW-02 wildcard", detection: "sel: ['ev*clear']", event: #"{"x":"an event to clear"}"#,
             expected: true),
        Case(id: "KW-02 number leaf", detection: "sel: [4624]", event: #"{"x":14624}"#, expected: true),
        Case(id: "KW-03 all across leaves", detection: "sel: {'|all': [alpha, beta]}",
             event: #"{"x":"alpha","y":["beta"]}"#, expected: true),
        Case(id: "KW-03 all missing one", detection: "sel: {'|all': [alpha, beta]}", event: #"{"x":"alpha"}"#,
             expected: false),
        // §14 placeholders without expand are literal
        Case(id: "PH-01 literal percent", detection: "sel: {f: '%admins%'}", event: #"{"f":"%admins%"}"#,
             expected: true),
    ]

    @Test(arguments: cases)
    func semantics(_ c: Case) throws {
        let set = try #require(compileRules(ruleYAML(c.detection)))
        #expect(try ruleMatches(set, c.event) == c.expected, "\(c.id)")
    }
}

/// PH-02: a placeholder with no configured values loads (pySigma only fails when converting) but does not run;
/// configured values are OR-ed and may carry wildcards.
struct PlaceholderEngineTests {
    static let yaml = ruleYAML("sel:\n    src_country|expand: '%Legitimate_Countries%'\ncondition: not sel")

    @Test func unconfiguredPlaceholderLoadsButDoesNotRun() throws {
        let collection = RuleLoader().load(yaml: Self.yaml, path: "p.yml")
        #expect(collection.diagnostics.filter { $0.severity == .error }.isEmpty)
        #expect(collection.rules.count == 1)
        let set = RuleSet(rules: collection.rules)
        #expect(set.rules.isEmpty)
        #expect(set.diagnostics.first?.code == RuleError.Code.unresolvedPlaceholder.rawValue)
        #expect(set.diagnostics.first?.message.contains("%Legitimate_Countries%") == true)
    }

    @Test func configuredPlaceholderValuesAreOred() throws {
        let options = LoaderOptions(
            placeholders: PlaceholderValues(values: ["Legitimate_Countries": ["FR", "D*"]]))
        let collection = RuleLoader(options: options).load(yaml: Self.yaml, path: "p.yml")
        let set = RuleSet(rules: collection.rules)
        #expect(set.diagnostics.isEmpty)
        #expect(try ruleMatches(set, #"{"src_country":"fr"}"#) == false)
        #expect(try ruleMatches(set, #"{"src_country":"DE"}"#) == false)
        #expect(try ruleMatches(set, #"{"src_country":"RU"}"#) == true)
    }

    @Test func wildcardStrategyMatchesAnything() throws {
        let options = LoaderOptions(placeholders: PlaceholderValues(unresolvedAsWildcard: true))
        let collection = RuleLoader(options: options).load(yaml: Self.yaml, path: "p.yml")
        let set = RuleSet(rules: collection.rules)
        #expect(try ruleMatches(set, #"{"src_country":"RU"}"#) == false)
    }
}
