import VigilAlertmanager
import VigilModel

/// The JSON shapes of Alertmanager's API v2 (`api/v2/openapi.yaml`), written as go-swagger
/// writes them: times as RFC 3339 with milliseconds, label sets as objects with sorted keys.
enum AlertmanagerJSON {
    /// Nanoseconds since the epoch as strfmt's `DateTime` prints them.
    static func time(_ nanoseconds: Int64) -> String {
        "\"" + RFC3339.format(milliseconds: nanoseconds / 1_000_000) + "\""
    }

    static func strings(_ values: [String]) -> String {
        "[" + values.map(JSONQuoting.quote).joined(separator: ",") + "]"
    }

    /// A `gettableAlert`.
    static func alert(_ snapshot: AlertSnapshot, into out: inout String) {
        let alert = snapshot.alert
        out += "{\"annotations\":"
        JSONQuoting.append(alert.annotations, to: &out)
        out += ",\"endsAt\":" + time(alert.endsAt ?? 0)
        out += ",\"fingerprint\":\"" + snapshot.fingerprint.description + "\""
        out += ",\"receivers\":[" + snapshot.receivers.map { "{\"name\":" + JSONQuoting.quote($0) + "}" }.joined(separator: ",") + "]"
        out += ",\"startsAt\":" + time(alert.startsAt)
        out += ",\"status\":{\"inhibitedBy\":" + strings(snapshot.status.inhibitedBy)
        out += ",\"silencedBy\":" + strings(snapshot.status.silencedBy)
        out += ",\"state\":\"" + snapshot.status.state.rawValue + "\"}"
        out += ",\"updatedAt\":" + time(alert.updatedAt)
        if !alert.generatorURL.isEmpty {
            out += ",\"generatorURL\":"
            JSONQuoting.append(alert.generatorURL, to: &out)
        }
        out += ",\"labels\":"
        JSONQuoting.append(alert.labels, to: &out)
        out += "}"
    }

    static func alerts(_ snapshots: [AlertSnapshot]) -> String {
        var out = "["
        for (index, snapshot) in snapshots.enumerated() {
            if index > 0 { out += "," }
            alert(snapshot, into: &out)
        }
        return out + "]"
    }

    /// `alertGroups`.
    static func groups(_ groups: [AlertGroupSnapshot]) -> String {
        var out = "["
        for (index, group) in groups.enumerated() {
            if index > 0 { out += "," }
            out += "{\"alerts\":" + alerts(group.alerts) + ",\"labels\":"
            JSONQuoting.append(group.labels, to: &out)
            out += ",\"receiver\":{\"name\":" + JSONQuoting.quote(group.receiver) + "}}"
        }
        return out + "]"
    }

    /// A `gettableSilence` at `now` (its state depends on the time).
    static func silence(_ silence: Silence, now: Int64, into out: inout String) {
        out += "{\"id\":" + JSONQuoting.quote(silence.id)
        out += ",\"status\":{\"state\":\"" + silence.state(at: now).rawValue + "\"}"
        out += ",\"updatedAt\":" + time(silence.updatedAt)
        out += ",\"comment\":" + JSONQuoting.quote(silence.comment)
        out += ",\"createdBy\":" + JSONQuoting.quote(silence.createdBy)
        out += ",\"endsAt\":" + time(silence.endsAt)
        out += ",\"matchers\":["
        for (index, matcher) in silence.matchers.enumerated() {
            if index > 0 { out += "," }
            let isEqual = matcher.type == .equal || matcher.type == .regexMatch
            let isRegex = matcher.type == .regexMatch || matcher.type == .regexNoMatch
            out += "{\"isEqual\":\(isEqual),\"isRegex\":\(isRegex),\"name\":" + JSONQuoting.quote(matcher.name)
                + ",\"value\":" + JSONQuoting.quote(matcher.value) + "}"
        }
        out += "],\"startsAt\":" + time(silence.startsAt) + "}"
    }

    /// Silences in Alertmanager's order (`SortSilences`): active ones ending soonest first, then
    /// pending ones starting soonest, then expired ones that ended most recently.
    static func silences(_ silences: [Silence], now: Int64) -> String {
        func rank(_ silence: Silence) -> Int {
            switch silence.state(at: now) {
            case .active: 0
            case .pending: 1
            case .expired: 2
            }
        }
        let sorted = silences.sorted { lhs, rhs in
            let (left, right) = (rank(lhs), rank(rhs))
            if left != right { return left < right }
            switch lhs.state(at: now) {
            case .active: return lhs.endsAt < rhs.endsAt
            case .pending: return lhs.startsAt < rhs.startsAt
            case .expired: return lhs.endsAt > rhs.endsAt
            }
        }
        var out = "["
        for (index, silence) in sorted.enumerated() {
            if index > 0 { out += "," }
            Self.silence(silence, now: now, into: &out)
        }
        return out + "]"
    }
}
