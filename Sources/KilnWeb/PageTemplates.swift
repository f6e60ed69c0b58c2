/// Every page template, by family. A family lives in Templates/Templates+<Family>.swift as a static list; this is
/// the one place they are put together.
public enum PageTemplates {
    public static var all: [(name: String, text: String)] {
        layout + dashboard + docs + reports + cts + diff + composes
    }
}
