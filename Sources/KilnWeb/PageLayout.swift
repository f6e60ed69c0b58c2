public import KilnCore

/// What every page's frame shows: its title, where it sits in the navigation, and who is signed in.
public struct PageLayout: Sendable {
    public struct NavItem: Sendable {
        public var name: String
        public var href: String
        public var current: Bool
    }

    /// The sections of the navigation bar, in order; `section` of a page is one of these names.
    public static let sections: [(section: String, name: String, href: String)] = [
        ("dashboard", "Dashboard", "/"),
        ("composes", "Composes", "/odcs/composes/"),
        ("tracked", "Tracked composes", "/cts/composes/"),
        ("tags", "Tags", "/cts/tags/"),
        ("diff", "Compare", "/diff/"),
        ("reports", "Reports", "/reports/"),
        ("docs", "API", "/docs/api/"),
    ]

    public var title: String
    public var nav: [NavItem]
    /// The signed-in user's name and groups; nil when nobody is signed in.
    public var user: String?
    public var groups: String
    /// The CSRF token every form of a signed-in page carries (hidden field `csrf`).
    public var csrf: String?
    /// The sign-in link, returning to this page afterwards.
    public var signInHref: String

    public init(title: String, section: String, path: String, identity: Identity?, csrf: String?) {
        self.title = title
        nav = Self.sections.map { NavItem(name: $0.name, href: $0.href, current: $0.section == section) }
        user = identity?.username
        groups = identity?.groups.joined(separator: ", ") ?? ""
        self.csrf = identity == nil ? nil : csrf
        // On the sign-in page itself the link stays as it is rather than nesting another return_to.
        signInHref = path.hasPrefix("/signin") ? path : "/signin?return_to=" + percentEncode(path)
    }
}

/// A whole page: the frame's model and the page's own (`{{#view}}...{{/view}}` in the page's template).
public struct PageModel: Sendable {
    public var layout: PageLayout
    public var view: any Sendable

    public init(layout: PageLayout, view: any Sendable) {
        self.layout = layout
        self.view = view
    }
}
