import Testing
@testable import VigilLogQL

/// Plans of `| json` over line templates: which fields a template yields and which variables
/// need a check per line, and the templates whose parse a variable could change.
@Suite struct JSONTemplatePlanTests {
    static func segments(_ template: String) -> [[UInt8]] {
        template.split(separator: "·", omittingEmptySubsequences: false).map { Array($0.utf8) }
    }

    static func describe(_ plan: JSONTemplatePlan?) -> String {
        guard let plan else { return "whole line" }
        let fields = plan.fields.map { field in
            field.name + "=" + field.parts.map { part in
                switch part {
                case .bytes(let bytes): String(decoding: bytes, as: UTF8.self)
                case .variable(let index): "$\(index)"
                }
            }.joined()
        }
        return fields.joined(separator: " ") + " checks=\(plan.numberChecks)"
    }

    @Test func templatesYieldTheirFieldsOrGoToTheLineParser() {
        let wanted: Set<String> = ["status", "a_b", "took", "ok", "msg", "k"]
        let cases: [(String, String)] = [
            (#"{"status":"·","took":·.·e·,"other":"·"}"#, "status=$0 took=$1.$2e$3 checks=[1, 2, 3]"),
            (#"{ "a" : {"b": "x·"}, "ok": true, "skip": [·, "·", {"c": ·}] }"#, "a_b=x$0 ok=true checks=[1, 3]"),
            (#"{"status":"·","status":"dup"}"#, "status=$0 status=dup checks=[]"),
            (#"{"msg":"a · word"}   "#, "msg=a $0 word checks=[]"),
            (#"{"k·":"v"}"#, "whole line"),
            (#"{"msg":"a \"quoted\" ·"}"#, "whole line"),
            (#"{"status":·"#, "whole line"),
            (#"{"n":·x}"#, "whole line"),
            (#"text ·"#, "whole line"),
            (#"{"k":null,"status":-·}"#, "status=-$0 checks=[0]"),
        ]
        var failures: [String] = []
        for (template, expected) in cases {
            let got = Self.describe(JSONTemplatePlan(segments: Self.segments(template), wanted: wanted))
            if got != expected { failures.append("\(template): \(got), expected \(expected)") }
        }
        #expect(failures.isEmpty, "\(failures)")
    }
}
