import Testing
import VigilEvents

@Suite struct KubernetesEventFilterTests {
    @Test func everyCriterionMustPassAndExclusionsWin() throws {
        let filter = try KubernetesEventFilter(
            namespaces: ["shop", "kube-system"], excludeNamespaces: ["kube-system"], kinds: ["Pod", "Node"],
            excludeReasons: ["Pulled"], minimumType: "Warning", message: "back-?off|OOM", excludeMessage: "ignore me")
        #expect(filter.passes(try record("a", message: "Back-off restarting failed container".lowercased())))
        #expect(filter.passes(try record("b", message: "container killed: OOM")))
        #expect(!filter.passes(try record("c", namespace: "kube-system", message: "OOM")))
        #expect(!filter.passes(try record("d", namespace: "other", message: "OOM")))
        #expect(!filter.passes(try record("e", kind: "Deployment", message: "OOM")))
        #expect(!filter.passes(try record("f", reason: "Pulled", message: "OOM")))
        #expect(!filter.passes(try record("g", message: "OOM", type: "Normal")))
        #expect(!filter.passes(try record("h", message: "nothing to see")))
        #expect(!filter.passes(try record("i", message: "OOM but ignore me")))
    }

    @Test func normalLevelPassesBothTypesAndMultiLineMessagesMatch() throws {
        let filter = try KubernetesEventFilter(message: "second")
        #expect(filter.passes(try record("a", message: "first\nsecond", type: "Normal")))
        #expect(filter.passes(try record("b", message: "second", type: "Warning")))
    }

    @Test func badPatternsAndLevelsAreTypedErrorsNamingTheField() {
        #expect(throws: KubernetesEventsError.self) { try KubernetesEventFilter(excludeMessage: "(unclosed") }
        do {
            _ = try KubernetesEventFilter(excludeMessage: "(unclosed")
        } catch {
            #expect(error.description.hasPrefix("exclude_message:"))
        }
        #expect(throws: KubernetesEventsError.invalidLevel("Error")) { try KubernetesEventFilter(minimumType: "Error") }
    }
}
