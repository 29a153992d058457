import VigilModel
import VigilPromQL

/// The PromQL functions and aggregation operators the query editor completes, taken from
/// VigilPromQL's own tables so the editor cannot offer what the engine rejects (or miss what it
/// accepts). Served as `/static/promql-functions.json`:
/// `{"functions":[{"name","args":["instant vector",…],"variadic","returns","experimental"}],
///   "aggregations":[{"name","parameter"}]}`.
enum PromQLFunctionCatalog {
    static let path = "promql-functions.json"

    static func json() -> String {
        var out = "{\"functions\":["
        for (index, function) in Function.all.values.sorted(by: { $0.name < $1.name }).enumerated() {
            if index > 0 { out += "," }
            out += "{\"name\":" + JSONQuoting.quote(function.name) + ",\"args\":["
            out += function.argumentTypes.map { JSONQuoting.quote($0.documentedName) }.joined(separator: ",")
            out += "],\"variadic\":\(function.variadic),\"returns\":" + JSONQuoting.quote(function.returnType.documentedName)
            out += ",\"experimental\":\(function.isExperimental)}"
        }
        out += "],\"aggregations\":["
        for (index, op) in AggregateOperator.allCases.enumerated() {
            if index > 0 { out += "," }
            out += "{\"name\":" + JSONQuoting.quote(op.rawValue) + ",\"parameter\":\(op.takesParameter)}"
        }
        return out + "]}"
    }
}
