import SigmaKit
import Testing
import TrailwatchKit

struct OutputTests {
    @Test(arguments: [
        ("plain", #""plain""#),
        ("quote \" and \\ backslash", #""quote \" and \\ backslash""#),
        ("line\nbreak\ttab\r", #""line\nbreak\ttab\r""#),
        ("\u{01}\u{1F}", #""\u0001\u001f""#),
        ("é 漢 😀", #""é 漢 😀""#),
        ("a\u{2028}b\u{2029}", #""a\u2028b\u2029""#),
        ("<script>", #""<script>""#),
        // Specials at every offset of a word and in the tail after the last whole word (the word-at-a-time check).
        ("0123456\"", #""0123456\"""#),
        ("01234567\\", #""01234567\\""#),
        ("0123456789abcde\u{1F}", #""0123456789abcde\u001f""#),
        ("abcdefgh\u{2028}", #""abcdefgh\u2028""#),
        ("\u{7F} ÿ â ∂ no escape needed é", "\"\u{7F} ÿ â ∂ no escape needed é\""),
        ("", #""""#),
    ])
    func jsonStringEscaping(input: String, expected: String) {
        #expect(JSONRecord.string(input).rendered() == expected)
    }

    @Test func jsonRecordNestsAndKeepsOrder() {
        let record = JSONRecord.object([("b", .int(1)), ("a", .array([.bool(true), .null, .double(1.5)])), ("r", .raw("{\"x\":1}"))])
        #expect(record.rendered() == #"{"b":1,"a":[true,null,1.5],"r":{"x":1}}"#)
    }

    @Test func attackTagsAreRead() {
        let tags = ["attack.initial-access", "attack.t1190", "attack.t1078.004", "attack.T1190x", "car.2016-04-005"]
        #expect(AttackTags.tactics(in: tags) == ["initial-access"])
        #expect(AttackTags.techniques(in: tags) == ["T1190", "T1078.004"])
    }
}
