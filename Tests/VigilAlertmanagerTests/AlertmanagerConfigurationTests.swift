import Testing
import VigilConfig
import VigilTestSupport
@testable import VigilAlertmanager

@Suite("alertmanager.yml")
struct AlertmanagerConfigurationTests {
    private func failure(_ yaml: String) -> ConfigError? {
        do {
            _ = try AlertmanagerConfiguration.parse(yaml: yaml)
            return nil
        } catch {
            return error
        }
    }

    @Test("a full file loads: routes, inhibit rules, both time-interval sections, templates, global")
    func full() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("alertmanager.yml", """
            global:
              resolve_timeout: 2m
            templates: ['templates/*.tmpl']
            route:
              receiver: default
              group_by: ['...']
              routes:
                - matchers: ['severity="critical"']
                  receiver: pager
                  mute_time_intervals: [nights]
                  active_time_intervals: [weekdays]
            inhibit_rules:
              - source_matchers: [severity=critical]
                target_matchers: [severity=warning]
                equal: [alertname]
            receivers:
              - name: default
              - name: pager
                webhook_configs: [{url: 'http://127.0.0.1:9/hook'}]
            mute_time_intervals:
              - name: nights
                time_intervals: [{times: [{start_time: '00:00', end_time: '06:00'}]}]
            time_intervals:
              - name: weekdays
                time_intervals: [{weekdays: ['monday:friday']}]
            """)
        let config = try AlertmanagerConfiguration.load(path: path)
        #expect(config.global.resolveTimeout == .minutes(2))
        #expect(config.templates == [directory.path + "/templates/*.tmpl"])
        #expect(config.receivers.map(\.name) == ["default", "pager"])
        #expect(config.timeIntervals.map(\.name) == ["nights", "weekdays"])
        #expect(config.inhibitRules.count == 1)
        #expect(config.route.routes[0].muteTimeIntervals == ["nights"])
        #expect(config.original.hasPrefix("global:"))
    }

    @Test("Alertmanager's cross-section checks, positioned at the offending node")
    func validation() {
        let receivers = "receivers: [{name: a}]\n"
        #expect(failure(receivers)?.message == "no routes provided")
        #expect(failure(receivers + "route: {group_by: [x]}")?.message == "root route must specify a default receiver")
        #expect(failure(receivers + "route: {receiver: a, matchers: [x=y]}")?.message == "root route must not have any matchers")
        #expect(failure(receivers + "route: {receiver: a, match: {x: y}}")?.message == "root route must not have any matchers")
        #expect(failure(receivers + "route: {receiver: a, mute_time_intervals: [t]}")?.message
            == "root route must not have any mute time intervals")
        #expect(failure(receivers + "route: {receiver: a, active_time_intervals: [t]}")?.message
            == "root route must not have any active time intervals")
        let undefined = failure(receivers + """
            route:
              receiver: a
              routes:
                - receiver: b
            """)
        #expect(undefined?.message == #"undefined receiver "b" used in route"#)
        #expect(undefined?.fieldPath == "route.routes[0].receiver")
        #expect(undefined?.line == 5)
        #expect(failure("receivers: [{name: a}, {name: a}]\nroute: {receiver: a}")?.message
            == #"notification config name "a" is not unique"#)
        #expect(failure(receivers + "route: {receiver: a, routes: [{mute_time_intervals: [nope]}]}")?.message
            == #"undefined time interval "nope" used in route"#)
        #expect(failure(receivers + """
            route: {receiver: a}
            mute_time_intervals: [{name: t}]
            time_intervals: [{name: t}]
            """)?.message == #"time interval "t" is not unique"#)
        #expect(failure(receivers + "route: {receiver: a}\nmute_time_intervals: [{time_intervals: []}]")?.message
            == "missing name in mute time interval")
        let unknown = failure(receivers + "route: {receiver: a}\ninhibit_rule: []")
        #expect(unknown?.kind == .unknownField)
        #expect(unknown?.line == 3)
    }

    @Test("mutated configuration files never trap: they load or fail with a positioned error")
    func fuzz() async throws {
        try await offTheCooperativePool { try checkFuzz() }
    }

    private func checkFuzz() throws {
        let valid = """
            global: {resolve_timeout: 1m}
            route:
              receiver: a
              group_by: ['...']
              routes:
                - matchers: ['x=~"a|b"', y!=z]
                  match_re: {w: 'v.*'}
                  receiver: a
                  mute_time_intervals: [t]
            inhibit_rules: [{source_matchers: [a=b], target_match: {c: d}, equal: [e]}]
            receivers: [{name: a, webhook_configs: [{url: 'http://h/'}]}]
            time_intervals:
              - name: t
                time_intervals: [{weekdays: ['monday:friday'], days_of_month: ['-3:-1'], times: [{start_time: '09:00', end_time: '17:00'}]}]
            """
        var random = SplitMix64(seed: 42)
        let alphabet: [Character] = Array("ab:-_ []{}'\",.~=!*09\n\t#&|")
        var loaded = 0
        for _ in 0..<1500 {
            var characters = Array(valid)
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let position = Int(random.next() % UInt64(characters.count))
                switch random.next() % 3 {
                case 0: characters.remove(at: position)
                case 1: characters.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: position)
                default: characters[position] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                }
            }
            do {
                _ = try AlertmanagerConfiguration.parse(yaml: String(characters))
                loaded += 1
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
        #expect(loaded > 10)
    }
}
