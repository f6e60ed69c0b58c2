public import Mustache

/// Renders Kiln's pages: every template registered once, in one library, at first use.
///
/// Templates are Mustache (logic-less: a page's decisions are made in its view model, in Swift). `{{name}}` escapes
/// HTML, and no template uses the unescaped forms for text that came from a request or the database.
public struct PageRenderer: Sendable {
    public static let shared = PageRenderer(templates: PageTemplates.all)

    let library: MustacheLibrary

    /// Parses `templates`; a template that does not parse is a programming error (the tests render every one).
    public init(templates: [(name: String, text: String)]) {
        var library = MustacheLibrary()
        for template in templates {
            do {
                try library.register(template.text, named: template.name)
            } catch {
                fatalError("page template \(template.name) does not parse: \(error)")
            }
        }
        self.library = library
    }

    /// Whether a template of that name is registered.
    public func has(_ name: String) -> Bool { library.getTemplate(named: name) != nil }

    /// The page `name` rendered with `model` (a struct, rendered through its stored properties, or a dictionary).
    public func render(_ name: String, _ model: Any) -> String {
        guard let text = library.render(model, withTemplate: name) else {
            fatalError("no page template named \(name)")
        }
        return text
    }
}
