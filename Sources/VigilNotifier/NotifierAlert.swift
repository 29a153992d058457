public import VigilModel

/// An alert as the notifier sends it to Alertmanagers: the body of one element of
/// `POST /api/v2/alerts` (Prometheus's `notifier.Alert`).
public struct NotifierAlert: Sendable, Hashable {
    /// The identifying labels, external labels and relabeling applied by the notifier.
    public var labels: Labels
    /// The annotations.
    public var annotations: Labels
    /// When it started firing (ms since the epoch).
    public var startsAt: Int64
    /// When it resolved, or until when it stays firing without a new notification (ms).
    public var endsAt: Int64
    /// A link to the expression that produced it.
    public var generatorURL: String

    /// One alert.
    public init(labels: Labels, annotations: Labels, startsAt: Int64, endsAt: Int64, generatorURL: String) {
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
    }

    /// Prometheus's generator link for an expression: the expression browser's table tab
    /// (`strutil.TableLinkForExpression`), under the external URL.
    public static func generatorURL(externalURL: String, expression: String) -> String {
        externalURL + "/graph?g0.expr=" + PercentEncoding.encode(expression, spaceAsPlus: true) + "&g0.tab=1"
    }
}
