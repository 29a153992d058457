import Foundation
import Testing
import VigilAlertmanager

/// Loading the `templates:` globs.
@Suite("Notification template files")
struct NotificationTemplatesTests {
    @Test("globs relative to the config directory; later files override earlier ones and the defaults")
    func globs() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("tmpl"), withIntermediateDirectories: true)
        try #"{{ define "__subject" }}A {{ .Status }}{{ end }}{{ define "team.footer" }}from A{{ end }}"#
            .write(to: directory.appendingPathComponent("tmpl/a.tmpl"), atomically: true, encoding: .utf8)
        try #"{{ define "team.footer" }}from B{{ end }}"#
            .write(to: directory.appendingPathComponent("tmpl/b.tmpl"), atomically: true, encoding: .utf8)
        let templates = try NotificationTemplates.load(globs: ["tmpl/*.tmpl", "missing/*.tmpl"], relativeTo: directory.path)
        let data = Fixtures.data()
        #expect(try templates.render(#"{{ template "slack.default.title" . }}"#, data: data) == "A firing")
        #expect(try templates.render(#"{{ template "team.footer" . }}"#, data: data) == "from B")
        #expect(try templates.render("", data: data) == "")

        try "{{ define \"x\" }}\n{{ if }}{{ end }}"
            .write(to: directory.appendingPathComponent("tmpl/c.tmpl"), atomically: true, encoding: .utf8)
        let error = #expect(throws: NotificationTemplateError.self) {
            try NotificationTemplates.load(globs: ["tmpl/*.tmpl"], relativeTo: directory.path)
        }
        #expect(error?.file.hasSuffix("tmpl/c.tmpl") == true)
        #expect(error?.message.contains("c.tmpl:2") == true)
        try? FileManager.default.removeItem(at: directory)
    }
}
