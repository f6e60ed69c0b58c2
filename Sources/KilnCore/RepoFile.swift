/// The `odcs-<id>.repo` file ODCS writes next to a generated compose.
public enum RepoFile {
    /// `main`, `-debuginfo` and `-source` sections; `resultRepoURL` is `<target_dir_url>/odcs-<id>/compose/Temporary`
    /// (or "" for a non-default target dir, leaving relative base URLs).
    public static func text(name: String, resultRepoURL: String) -> String {
        let base = resultRepoURL.isEmpty ? "" : resultRepoURL + "/"
        return section(name, base + "$basearch/os", enabled: true) + "\n"
            + section(name + "-debuginfo", base + "$basearch/debug/tree", enabled: false) + "\n"
            + section(name + "-source", base + "source/tree", enabled: false)
    }

    /// Only the main section: what a `pulp` compose that found no repositories gets.
    public static func mainSection(name: String, resultRepoURL: String) -> String {
        section(name, (resultRepoURL.isEmpty ? "" : resultRepoURL + "/") + "$basearch/os", enabled: true)
    }

    static func section(_ section: String, _ baseurl: String, enabled: Bool) -> String {
        """
        [\(section)]
        name=ODCS repository for compose \(section)
        baseurl=\(baseurl)
        type=rpm-md
        skip_if_unavailable=False
        gpgcheck=0
        repo_gpgcheck=0
        enabled=\(enabled ? 1 : 0)
        enabled_metadata=1

        """
    }
}
