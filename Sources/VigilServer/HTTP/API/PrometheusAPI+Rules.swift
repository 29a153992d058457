import Hummingbird
import VigilConfig
import VigilModel
import VigilNotifier
import VigilPromQL
import VigilRules

/// `/api/v1/rules` and `/api/v1/alerts`: the rule groups' state and their active alerts, in
/// Prometheus 2.53's shapes.
extension PrometheusAPI {
    func registerRules(on router: Router<BasicRequestContext>) {
        guard let ruleManager, !agentMode else {
            let unavailable: Handler = { _, _ throws(APIError) in throw APIError(.unavailable, "unavailable with Vigil agent") }
            route(router, "/api/v1/rules", .get, unavailable)
            route(router, "/api/v1/alerts", .get, unavailable)
            route(router, "/api/v1/alertmanagers", .get, unavailable)
            return
        }
        if let notifier {
            route(router, "/api/v1/alertmanagers", .get) { _, _ in Self.alertmanagers(notifier.alertmanagers) }
        }
        route(router, "/api/v1/rules", .get) { parameters, _ throws(APIError) in try Self.rules(ruleManager.ruleGroups, parameters) }
        route(router, "/api/v1/alerts", .get) { _, _ in Self.alerts(ruleManager.ruleGroups) }
    }

    /// `{"activeAlertmanagers":[{"url":…}],"droppedAlertmanagers":[…]}`.
    static func alertmanagers(_ endpoints: AlertmanagerEndpoints) -> APIResult {
        func list(_ urls: [String]) -> String {
            "[" + urls.map { "{\"url\":" + JSONQuoting.quote($0) + "}" }.joined(separator: ",") + "]"
        }
        return .data(
            "{\"activeAlertmanagers\":" + list(endpoints.active) + ",\"droppedAlertmanagers\":" + list(endpoints.dropped) + "}")
    }

    static func rules(_ groups: [RuleGroup], _ parameters: APIParameters) throws(APIError) -> APIResult {
        let type = (parameters["type"] ?? "").lowercased()
        guard type.isEmpty || type == "alert" || type == "record" else {
            throw APIError(.badData, "invalid parameter \"type\": not supported value \"\(type)\"")
        }
        let names = Set(parameters.all("rule_name[]"))
        let groupNames = Set(parameters.all("rule_group[]"))
        let files = Set(parameters.all("file[]"))
        let excludeAlerts = ["true", "1"].contains((parameters["exclude_alerts"] ?? "").lowercased())
        var out = "{\"groups\":["
        var firstGroup = true
        for group in groups {
            if !groupNames.isEmpty && !groupNames.contains(group.name) { continue }
            if !files.isEmpty && !files.contains(group.file) { continue }
            var rules: [String] = []
            for rule in group.ruleSnapshots {
                let definition = rule.definition
                if type == "alert" && definition.kind != .alerting { continue }
                if type == "record" && definition.kind != .recording { continue }
                if !names.isEmpty && !names.contains(definition.name) { continue }
                rules.append(ruleJSON(rule, excludeAlerts: excludeAlerts))
            }
            // As Prometheus: a group left with no rules (filtered out, or none) is not listed.
            if rules.isEmpty { continue }
            let (lastEvaluation, evaluationTime) = group.lastEvaluation
            if !firstGroup { out += "," }
            firstGroup = false
            out += "{\"name\":" + JSONQuoting.quote(group.name)
                + ",\"file\":" + JSONQuoting.quote(group.file)
                + ",\"rules\":[" + rules.joined(separator: ",") + "]"
                + ",\"interval\":" + GoFloat.format(Double(group.interval) / 1000)
                + ",\"limit\":" + String(group.definition.limit)
                + ",\"evaluationTime\":" + GoFloat.format(evaluationTime)
                + ",\"lastEvaluation\":" + JSONQuoting.quote(goTime(lastEvaluation)) + "}"
        }
        return .data(out + "]}")
    }

    private static func ruleJSON(_ rule: RuleSnapshot, excludeAlerts: Bool) -> String {
        let definition = rule.definition
        let status = rule.status
        let query = (try? PromQL.parse(definition.expr).description) ?? definition.expr
        var out = "{"
        switch definition.kind {
        case .alerting:
            out += "\"state\":" + JSONQuoting.quote(rule.state.description)
                + ",\"name\":" + JSONQuoting.quote(definition.name)
                + ",\"query\":" + JSONQuoting.quote(query)
                + ",\"duration\":" + GoFloat.format(definition.holdDuration.seconds)
                + ",\"keepFiringFor\":" + GoFloat.format(definition.keepFiringFor.seconds)
                + ",\"labels\":" + mapJSON(definition.labels)
                + ",\"annotations\":" + mapJSON(definition.annotations)
            if !excludeAlerts {
                out += ",\"alerts\":[" + rule.alerts.map(alertJSON).joined(separator: ",") + "]"
            }
        case .recording:
            out += "\"name\":" + JSONQuoting.quote(definition.name) + ",\"query\":" + JSONQuoting.quote(query)
            if !definition.labels.isEmpty { out += ",\"labels\":" + mapJSON(definition.labels) }
        }
        out += ",\"health\":" + JSONQuoting.quote(status.health.rawValue)
        if let error = status.lastError, !error.isEmpty { out += ",\"lastError\":" + JSONQuoting.quote(error) }
        out += ",\"evaluationTime\":" + GoFloat.format(status.evaluationTime)
            + ",\"lastEvaluation\":" + JSONQuoting.quote(goTime(status.lastEvaluation))
            + ",\"type\":" + (definition.kind == .alerting ? "\"alerting\"" : "\"recording\"") + "}"
        return out
    }

    static func alerts(_ groups: [RuleGroup]) -> APIResult {
        var alerts: [String] = []
        for group in groups {
            for rule in group.ruleSnapshots where rule.definition.kind == .alerting {
                alerts += rule.alerts.map(alertJSON)
            }
        }
        return .data("{\"alerts\":[" + alerts.joined(separator: ",") + "]}")
    }

    private static func alertJSON(_ alert: Alert) -> String {
        var out = "{\"labels\":" + mapJSON(alert.labels) + ",\"annotations\":" + mapJSON(alert.annotations)
            + ",\"state\":" + JSONQuoting.quote(alert.state.description)
            + ",\"activeAt\":" + JSONQuoting.quote(goTime(alert.activeAt))
        if let since = alert.keepFiringSince { out += ",\"keepFiringSince\":" + JSONQuoting.quote(goTime(since)) }
        return out + ",\"value\":" + JSONQuoting.quote(alert.formattedValue) + "}"
    }

    /// A label map as Prometheus writes `labels.Labels`: keys in byte order, empty values kept
    /// (an annotation may expand to nothing).
    private static func mapJSON(_ map: [String: String]) -> String {
        var out = "{"
        for (offset, key) in map.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }).enumerated() {
            if offset > 0 { out += "," }
            JSONQuoting.append(key, to: &out)
            out += ":"
            JSONQuoting.append(map[key] ?? "", to: &out)
        }
        return out + "}"
    }

    /// Go's `time.Time` in JSON (RFC 3339 with the fraction's trailing zeros dropped); the zero
    /// time for nil.
    static func goTime(_ milliseconds: Int64?) -> String {
        guard let milliseconds else { return "0001-01-01T00:00:00Z" }
        var text = RFC3339.format(milliseconds: milliseconds)
        text.removeLast()  // Z
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text + "Z"
    }
}
