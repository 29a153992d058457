import VigilAlertmanager
import VigilModel

/// The routing tree drawn as amtool draws it (the `treeprint` package's layout): a `.` root,
/// `├──`/`└──` edges and `│` links, each node named by its matchers or `default-route`.
struct RouteTree {
    private struct Node {
        var value: String
        var children: [Node] = []
    }

    private var roots: [Node] = []

    /// The nodes the alert with `labels` passes through, as `amtool config routes test --tree`:
    /// each matching node by its matchers, the final ones with their receiver.
    static func matching(_ route: Route, labels: Labels) -> RouteTree {
        RouteTree(roots: [matchingNode(route, labels: labels)])
    }

    /// The whole tree with `continue` and receivers, as `amtool config routes show`.
    static func whole(_ route: Route) -> RouteTree {
        func node(_ route: Route) -> Node {
            Node(value: slug(route, showContinue: true, showReceiver: true), children: route.routes.map(node))
        }
        return RouteTree(roots: [node(route)])
    }

    private static func matchingNode(_ route: Route, labels: Labels) -> Node {
        var node = Node(value: slug(route, showContinue: false, showReceiver: false))
        for child in route.routes where child.matchers.allSatisfy({ $0.matches(labels[$0.name] ?? "") }) {
            node.children.append(matchingNode(child, labels: labels))
            if !child.continueMatching { break }
        }
        if node.children.isEmpty { node.value = slug(route, showContinue: false, showReceiver: true) }
        return node
    }

    private static func slug(_ route: Route, showContinue: Bool, showReceiver: Bool) -> String {
        var text = route.matchers.isEmpty ? "default-route" : route.matchersDescription
        if showContinue, route.continueMatching { text += "  continue: true" }
        if showReceiver { text += "  receiver: " + route.options.receiver }
        return text
    }

    /// The drawing, ending with a newline.
    var rendered: String {
        var text = ".\n"
        Self.draw(roots, ancestorsEnded: [], into: &text)
        return text
    }

    private static func draw(_ nodes: [Node], ancestorsEnded: [Bool], into text: inout String) {
        for (index, node) in nodes.enumerated() {
            let last = index == nodes.count - 1
            for ended in ancestorsEnded {
                // treeprint pads a link with two no-break spaces and a space.
                text += ended ? "    " : "│\u{a0}\u{a0} "
            }
            text += (last ? "└── " : "├── ") + node.value + "\n"
            draw(node.children, ancestorsEnded: ancestorsEnded + [last], into: &text)
        }
    }
}
