import Foundation
import VigilConfig
public import VigilTemplate

/// The notification templates of one Alertmanager configuration: Vigil's defaults, then the files
/// matched by the `templates:` globs, whose definitions replace the defaults of the same name.
///
/// Integrations render their configured fields (`title: '{{ template "slack.default.title" . }}'`)
/// with ``render(_:data:)``; an email's HTML body with ``renderHTML(_:data:)``. A value: build one
/// per configuration load and share it (it is `Sendable`).
public struct NotificationTemplates: Sendable {
    /// The parsed templates, defaults and user files together.
    public private(set) var set: TemplateSet

    /// Only Vigil's default templates.
    public static let defaults: NotificationTemplates = {
        var set = TemplateSet(functions: AlertmanagerTemplateFunctions.functions)
        do {
            try set.parse(DefaultTemplates.text, name: "default.tmpl")
        } catch {
            // The defaults are fixed text, checked by the tests.
            preconditionFailure("Vigil's default notification templates do not parse: \(error)")
        }
        return NotificationTemplates(set: set)
    }()

    private init(set: TemplateSet) {
        self.set = set
    }

    /// The defaults plus every file matching `globs` (resolved against `directory` when relative),
    /// in glob order, as Alertmanager's `FromGlobs`. A glob matching nothing is not an error.
    public static func load(globs: [String], relativeTo directory: String = "") throws(NotificationTemplateError) -> NotificationTemplates {
        var templates = defaults
        for glob in globs {
            let pattern = joinDirectory(directory, glob)
            let paths: [String]
            do {
                paths = try Glob.expand(pattern)
            } catch {
                throw NotificationTemplateError(file: pattern, message: "syntax error in pattern")
            }
            for path in paths {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw NotificationTemplateError(file: path, message: "unable to read file")
                }
                try templates.add(String(decoding: data, as: UTF8.self), name: (path as NSString).lastPathComponent, file: path)
            }
        }
        return templates
    }

    /// Adds the definitions in `text` (a template file's content) named `name`.
    public mutating func add(_ text: String, name: String, file: String = "") throws(NotificationTemplateError) {
        do {
            try set.parse(text, name: name)
        } catch {
            throw NotificationTemplateError(file: file.isEmpty ? name : file, message: error.description)
        }
    }

    /// Renders a configured text field with `data` (Alertmanager's `ExecuteTextString`): "" for "".
    public func render(_ text: String, data: NotificationData) throws(TemplateError) -> String {
        try set.executeText(text, data: data.templateValue)
    }

    /// Renders a template meant to produce HTML. Alertmanager runs these through Go's html/template,
    /// which escapes what the data inserts; Vigil approximates that by HTML-escaping every string
    /// of the data (labels, annotations, URLs) before rendering, so the template's own markup stays.
    public func renderHTML(_ text: String, data: NotificationData) throws(TemplateError) -> String {
        try set.executeText(text, data: Self.escaped(data.templateValue))
    }

    private static func escaped(_ value: TemplateValue) -> TemplateValue {
        switch value {
        case .string(let text): return .string(TemplateFunctions.escapeHTML(text))
        case .map(let map): return .map(map.mapValues(TemplateFunctions.escapeHTML))
        case .list(let items): return .list(items.map(escaped))
        case .record(let fields): return .record(fields.mapValues(escaped))
        case .anyMap(let fields): return .anyMap(fields.mapValues(escaped))
        case .object(var object):
            if object.typeName == GoTime.typeName { return value }
            object.value = escaped(object.value)
            object.text = object.text.map(TemplateFunctions.escapeHTML)
            return .object(object)
        case .float, .int, .bool, .null: return value
        }
    }
}

/// A template file that cannot be read or parsed.
public struct NotificationTemplateError: Error, Sendable, CustomStringConvertible {
    /// The file (or pattern) at fault.
    public let file: String
    /// What is wrong, with the template's line when it does not parse.
    public let message: String

    /// `file: message`.
    public var description: String { "\(file): \(message)" }
}
