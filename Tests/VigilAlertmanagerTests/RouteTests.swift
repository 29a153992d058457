import Testing
import VigilConfig
import VigilModel
@testable import VigilAlertmanager

@Suite("Routing tree")
struct RouteTests {
    let tree = """
        receiver: default
        group_by: [alertname]
        group_wait: 10s
        routes:
          - matchers: ['env="prod"', 'team=~"a|b"']
            receiver: prod
            continue: true
            group_by: [cluster]
            repeat_interval: 1h
            routes:
              - match: {severity: critical}
                receiver: pager
                group_by: ['...']
          - match_re: {env: "prod|stag.*"}
            receiver: ops
          - matchers: [service!=db]
            receiver: catchall
        """

    private func receivers(_ root: Route, _ pairs: KeyValuePairs<String, String>) -> [String] {
        root.match(labels(pairs)).map(\.options.receiver)
    }

    @Test("depth-first matching with continue, as amtool config routes test answers")
    func matching() throws {
        let root = try route(tree)
        #expect(receivers(root, ["env": "prod", "team": "a", "severity": "critical"]) == ["pager", "ops"])
        #expect(receivers(root, ["env": "prod", "team": "a"]) == ["prod", "ops"])
        #expect(receivers(root, ["env": "staging"]) == ["ops"])
        #expect(receivers(root, ["env": "dev", "service": "web"]) == ["catchall"])
        #expect(receivers(root, ["env": "dev", "service": "db"]) == ["default"])
        #expect(receivers(root, ["env": "prod", "team": "c", "service": "db"]) == ["ops"])
    }

    @Test("keys and IDs are Alertmanager's; settings are inherited down the tree")
    func keysAndInheritance() throws {
        let root = try route(tree)
        let prod = root.routes[0]
        let pager = prod.routes[0]
        #expect(root.key == "{}")
        #expect(root.id == "{}")
        #expect(prod.key == #"{}/{env="prod",team=~"a|b"}"#)
        #expect(prod.id == #"{}/{env="prod",team=~"a|b"}/0"#)
        #expect(pager.key == #"{}/{env="prod",team=~"a|b"}/{severity="critical"}"#)
        #expect(root.routes[1].key == #"{}/{env=~"^(?:prod|stag.*)$"}"#)
        #expect(root.routes[2].id == #"{}/{service!="db"}/2"#)
        #expect(root.options.groupWait == 10 * second)
        #expect(prod.options.groupWait == 10 * second)
        #expect(prod.options.groupInterval == 5 * minute)
        #expect(prod.options.repeatInterval == 60 * minute)
        #expect(pager.options.repeatInterval == 60 * minute)
        #expect(root.routes[1].options.repeatInterval == 240 * minute)
        #expect(prod.options.groupBy == ["cluster"])
        #expect(pager.options.groupByAll)
        #expect(root.routes[1].options.groupBy == ["alertname"])
    }

    @Test("group keys print the group labels as prometheus/common does")
    func groupKeys() throws {
        let root = try route(tree)
        let alert = labels(["alertname": "Down", "env": "dev", "service": "web", "a1": "x"])
        let catchall = root.match(alert)[0]
        #expect(GroupKey.make(routeKey: catchall.key, groupLabels: catchall.groupLabels(of: alert))
            == #"{}/{service!="db"}:{alertname="Down"}"#)
        // Pairs sort as strings: `a1="` before `a="`.
        #expect(GroupKey.labelSetDescription(labels(["a": "1", "a1": "2"])) == #"{a1="2", a="1"}"#)
    }

    @Test("invalid routes are refused with Alertmanager's messages and positions")
    func errors() {
        func failure(_ yaml: String) -> ConfigError? {
            do {
                _ = try route(yaml)
                return nil
            } catch {
                return error as? ConfigError
            }
        }
        #expect(failure("group_by: [a, '...']")?.message
            == "cannot have wildcard group_by (`...`) and other other labels at the same time")
        #expect(failure("group_by: [a, a]")?.message == #"duplicated label "a" in group_by"#)
        #expect(failure("group_by: ['a-b']")?.message == #"invalid label name "a-b" in group_by list"#)
        #expect(failure("group_interval: 0s")?.message == "group_interval cannot be zero")
        #expect(failure("repeat_interval: 0s")?.message == "repeat_interval cannot be zero")
        #expect(failure("match: {'a-b': x}")?.message == #"invalid label name "a-b""#)
        let bad = failure("""
            receiver: x
            routes:
              - receiver: y
                matchers: ['a="b']
            """)
        #expect(bad?.message == #"matcher value contains unescaped double quote: "b"#)
        #expect(bad?.line == 4)
        #expect(bad?.fieldPath == "routes[0].matchers[0]")
        #expect(failure("recevier: x")?.message.contains("unknown field") == true)
    }
}
