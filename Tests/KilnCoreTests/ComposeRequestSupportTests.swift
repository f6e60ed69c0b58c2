import Testing

@testable import KilnCore

/// Every field, flag and result of a compose request is either honoured or refused at POST.
@Suite struct ComposeRequestSupportTests {
    func outcome(_ body: String, pungi: Bool = true) -> String {
        var configuration = ServiceConfiguration()
        configuration.rawConfigURLs = ["cfg": .init(url: "https://git/p.git", configFilename: "p.conf")]
        configuration.mbsURL = "https://mbs.example.com/module-build-service"
        configuration.remoteSources = try! RemoteSourcePolicy(entries: ["https://git.example.com/"])
        if pungi { configuration.pungiCommand = ["/usr/bin/pungi-koji"] }
        do {
            _ = try ComposeRequest.parse(body: Array(body.utf8), owner: "dev", configuration: configuration)
            return "accepted"
        } catch {
            return error.message
        }
    }

    static let tag = #""type": "tag", "source": "f40""#
    static let pulp = #""type": "pulp", "source": "cs-1""#
    static let repo = #""type": "repo", "source": "/srv/repo""#
    static let build = #""type": "build", "builds": ["b-1-1"]"#
    static let pungi = #""type": "pungi_compose", "source": "https://h/c/compose/Server""#
    static let module = #""type": "module", "source": "m:s n:s:20240101 o:s:3:c0ffee""#
    static let defaults = #""module_defaults_url": "https://git.example.com/d.git", "module_defaults_commit""#

    static let honoured: [String] = [
        #"{"source": {\#(tag), "packages": ["a"], "builds": ["b-1-1"], "sigkeys": ["k"], "koji_event": 5}}"#,
        #"{"source": {\#(tag), "scratch_build_tasks": ["12"]}, "arches": ["x86_64"], "lookaside_repos": []}"#,
        #"{"source": {\#(build), "scratch_build_tasks": ["12"], "packages": ["a"], "sigkeys": [""]}}"#,
        #"{"source": {\#(repo), "packages": ["a"]}, "multilib_arches": ["x86_64"], "multilib_method": ["devel"]}"#,
        #"{"source": {\#(pungi)}, "lookaside_repos": ["/srv/l"], "multilib_arches": ["x86_64"]}"#,
        #"{"source": {\#(tag)}, "flags": ["no_deps", "no_inheritance", "check_deps", "no_reuse", "no_label"]}"#,
        #"{"source": {\#(pulp)}, "flags": ["include_unpublished_pulp_repos", "ignore_absent_pulp_repos"]}"#,
        #"{"source": {\#(pulp)}, "flags": ["use_only_compatible_arch", "no_reuse"]}"#,
        #"{"source": {\#(tag)}, "results": ["repository", "iso"], "label": "RC-1.0", "compose_type": "production"}"#,
        #"{"source": {\#(pungi)}, "results": ["iso"], "parent_pungi_compose_ids": ["a-1"], "respin_of": "a-1"}"#,
        #"{"source": {\#(pulp)}, "seconds_to_live": 60, "seconds-to-live": 60, "target_dir": "default"}"#,
        #"{"source": {\#(module), "sigkeys": ["k", ""]}, "arches": ["x86_64"], "flags": ["no_deps", "no_reuse"]}"#,
        #"{"source": {\#(module)}, "flags": ["include_done_modules"], "label": "RC-1.0"}"#,
        #"{"source": {\#(module), "base_module_br_name": "platform", "base_module_br_stream": "f40"}}"#,
        #"{"source": {\#(module), "modular_koji_tags": ["f40-modular"]}}"#,
        #"{"source": {"type": "module", "scratch_modules": ["m:s:1:c"]}}"#,
        #"{"source": {\#(module), "scratch_modules": ["m:s:1:c", "n:s:2:d"]}}"#,
        #"{"source": {\#(module), \#(defaults): "abc1234"}}"#,
        #"{"source": {\#(tag), "modular_koji_tags": ["f40-modular"], "modules": ["m:s:1:c"]}}"#,
        #"{"source": {\#(module), "base_module_br_stream_version_lte": 9, "base_module_br_stream_version_gte": 1}}"#,
        // Empty values ask for nothing, so they are not refused where they do not apply.
        #"{"source": {\#(pulp), "packages": [], "sigkeys": [""], "modules": []}, "arches": [], "flags": []}"#,
    ]

    @Test(arguments: honoured)
    func fieldsThatApplyAreHonoured(_ body: String) {
        #expect(outcome(body) == "accepted")
    }

    static let refused: [(body: String, message: String)] = [
        (#"{"source": {\#(tag)}, "priority": 1}"#, #"Unknown field "priority" in the compose request."#),
        (#"{"source": {\#(tag), "pkgs": ["a"]}}"#, #"Unknown field "source.pkgs" in the compose request."#),
        (
            #"{"source": {\#(pulp), "packages": ["a"]}}"#,
            #"Field "source.packages" does not apply to pulp composes: it is a .repo file naming Pulp's "#
                + "repositories, with their own arches and signatures."
        ),
        (#"{"source": {\#(repo), "builds": ["b-1-1"]}}"#, #"Field "source.builds" does not apply to repo composes."#),
        (
            #"{"source": {\#(repo), "sigkeys": ["k"]}}"#,
            #"Field "source.sigkeys" does not apply to repo composes: its packages and revision are the repository's."#
        ),
        (
            #"{"source": {\#(build), "koji_event": 3}}"#,
            #"Field "source.koji_event" does not apply to build composes."#
        ),
        (
            #"{"source": {\#(pungi), "packages": ["a"]}}"#,
            #"Field "source.packages" does not apply to pungi_compose composes: it takes its builds, packages, "#
                + "arches and signing keys from the source compose."
        ),
        (
            #"{"source": {\#(pungi)}, "arches": ["x86_64"]}"#,
            #"Field "arches" does not apply to pungi_compose composes: it takes its builds, packages, "#
                + "arches and signing keys from the source compose."
        ),
        (
            #"{"source": {\#(repo), "scratch_build_tasks": ["1"]}}"#,
            #"Field "source.scratch_build_tasks" does not apply to repo composes."#
        ),
        (
            #"{"source": {\#(pulp)}, "lookaside_repos": ["/srv/l"]}"#,
            #"Field "lookaside_repos" does not apply to pulp composes: it is a .repo file naming Pulp's "#
                + "repositories, with their own arches and signatures."
        ),
        (
            #"{"source": {\#(tag), "scratch_build_tasks": ["12", "x"]}}"#,
            #"scratch_build_tasks must be Koji task ids (1 to 2147483647), not "x"."#
        ),
        (
            #"{"source": {\#(tag), "scratch_build_tasks": ["99999999999"]}}"#,
            #"scratch_build_tasks must be Koji task ids (1 to 2147483647), not "99999999999"."#
        ),
        (
            #"{"source": {\#(tag), "scratch_build_tasks": ["0"]}}"#,
            #"scratch_build_tasks must be Koji task ids (1 to 2147483647), not "0"."#
        ),
        (
            #"{"source": {\#(tag)}, "arches": ["x86_64", "../../etc"]}"#,
            #"arches must be arch names such as x86_64 or aarch64, not "../../etc"."#
        ),
        (
            #"{"source": {\#(tag)}, "multilib_arches": ["x86 64"]}"#,
            #"multilib_arches must be arch names such as x86_64 or aarch64, not "x86 64"."#
        ),
        (#"{"source": {\#(pulp)}, "flags": ["check_deps"]}"#, #"Flag "check_deps" does not apply to pulp composes."#),
        (
            #"{"source": {\#(module), "packages": ["a"]}}"#,
            #"Field "source.packages" does not apply to module composes."#
        ),
        (
            #"{"source": {\#(tag), "base_module_br_name": "platform"}}"#,
            #"Field "source.base_module_br_name" does not apply to tag composes."#
        ),
        (
            #"{"source": {\#(build), "modular_koji_tags": ["f40-modular"]}}"#,
            #"Field "source.modular_koji_tags" does not apply to build composes."#
        ),
        (
            #"{"source": {\#(module), "modules": ["m:s:1:c"]}}"#,
            #"Field "source.modules" does not apply to module composes."#
        ),
        (
            #"{"source": {\#(module), \#(defaults): "abc12"}}"#,
            "module_defaults_commit must be a git commit id (7 to 64 lowercase hex digits)."
        ),
        (
            #"{"source": {\#(module), \#(defaults): "master"}}"#,
            "module_defaults_commit must be a git commit id (7 to 64 lowercase hex digits)."
        ),
        (
            #"{"source": {\#(module), "module_defaults_url": "https://evil.example.com/d.git", "#
                + #""module_defaults_commit": "abc1234"}}"#,
            #"URL "https://evil.example.com/d.git" is not an allowed remote source on this server."#
        ),
        (
            #"{"source": {\#(build), \#(defaults): "abc1234"}}"#,
            #"Field "source.module_defaults_url" does not apply to build composes."#
        ),
        (
            #"{"source": {\#(module), "scratch_modules": ["m:s:1"]}}"#,
            #"scratch_modules must be scratch module builds as N:S:V:C, not "m:s:1"."#
        ),
        (
            #"{"source": {\#(tag), "scratch_modules": ["m:s:1:c"]}}"#,
            #"Field "source.scratch_modules" does not apply to tag composes."#
        ),
        (#"{"source": {\#(tag), "modules": ["m:s"]}}"#, #"modules must be module builds as N:S:V:C, not "m:s"."#),
        (
            #"{"source": {\#(module), "builds": ["b-1-1"]}}"#,
            #"Field "source.builds" does not apply to module composes."#
        ),
        (
            #"{"source": {\#(module)}, "flags": ["check_deps"]}"#,
            #"Flag "check_deps" does not apply to module composes."#
        ),
        (
            #"{"source": {\#(module)}, "multilib_arches": ["x86_64"]}"#,
            #"Field "multilib_arches" does not apply to module composes."#
        ),
        (
            #"{"source": {"type": "module", "source": "m:s:latest"}}"#,
            #"Module definition must be in "n:s", "n:s:v" or "n:s:v:c" format (the version a number), but got "#
                + "m:s:latest"
        ),
        (
            #"{"source": {"type": "module", "source": "m:s:1:c:x86_64"}}"#,
            #"Module definition must be in "n:s", "n:s:v" or "n:s:v:c" format (the version a number), but got "#
                + "m:s:1:c:x86_64"
        ),
        (#"{"source": {"type": "module", "source": "", "scratch_modules": []}}"#, "No source provided for 2"),
        (#"{"source": {\#(pulp)}, "flags": ["no_deps"]}"#, #"Flag "no_deps" does not apply to pulp composes."#),
        (
            #"{"source": {\#(build)}, "flags": ["no_inheritance"]}"#,
            #"Flag "no_inheritance" does not apply to build composes."#
        ),
        (
            #"{"source": {\#(tag)}, "flags": ["include_done_modules"]}"#,
            #"Flag "include_done_modules" does not apply to tag composes."#
        ),
        (
            #"{"source": {\#(tag)}, "flags": ["ignore_absent_pulp_repos"]}"#,
            #"Flag "ignore_absent_pulp_repos" does not apply to tag composes."#
        ),
        (
            #"{"source": {\#(repo)}, "flags": ["use_only_compatible_arch"]}"#,
            #"Flag "use_only_compatible_arch" does not apply to repo composes."#
        ),
        (
            #"{"source": {\#(repo)}, "flags": ["include_unpublished_pulp_repos"]}"#,
            #"Flag "include_unpublished_pulp_repos" does not apply to repo composes."#
        ),
        (
            #"{"source": {\#(tag)}, "flags": ["no_label"], "label": "RC-1.0"}"#,
            #"Flag "no_label" asks for a compose without a label, but label "RC-1.0" is given."#
        ),
        (
            #"{"source": {\#(tag)}, "results": ["boot.iso"]}"#,
            #"Result "boot.iso" needs lorax to build bootable installer images; Debian does not package lorax and "#
                + #"this Kiln host cannot make them. Ask for "repository" and "iso" only."#
        ),
        (
            #"{"source": {\#(tag)}, "results": ["ostree"]}"#,
            #"Result "ostree" needs rpm-ostree to compose OSTree commits; Debian does not package rpm-ostree and "#
                + #"this Kiln host cannot make them. Ask for "repository" and "iso" only."#
        ),
        (
            #"{"source": {\#(pulp)}, "results": ["iso"]}"#,
            #"Result "iso" does not apply to pulp composes: only composes with a package tree (tag, build, repo, "#
                + "pungi_compose) have ISO images."
        ),
    ]

    @Test(arguments: refused)
    func fieldsThatWouldBeIgnoredAreRefused(_ testCase: (body: String, message: String)) {
        #expect(outcome(testCase.body) == testCase.message)
    }

    @Test func moduleComposesNeedTheModuleBuildServiceOrModularTags() throws {
        let tags = #"{"source": {\#(Self.module), "modular_koji_tags": ["f40-modular"]}}"#
        _ = try ComposeRequest.parse(body: Array(tags.utf8), owner: "dev", configuration: ServiceConfiguration())
        // Scratch modules are found in MBS only.
        let scratch = #"{"source": {\#(Self.module), "modular_koji_tags": ["t"], "scratch_modules": ["a:b:1:c"]}}"#
        #expect(throws: ComposeError.self) {
            try ComposeRequest.parse(body: Array(scratch.utf8), owner: "dev", configuration: ServiceConfiguration())
        }
        do {
            _ = try ComposeRequest.parse(
                body: Array(#"{"source": {\#(Self.module)}}"#.utf8), owner: "dev",
                configuration: ServiceConfiguration())
            Issue.record("accepted without mbs_url")
        } catch {
            #expect(error.message.hasSuffix("an administrator must configure mbs_url."))
        }
    }

    @Test func rawConfigNeedsAPungiCommand() {
        let body = #"{"source": {"type": "raw_config", "source": "cfg#main", "koji_event": 4}, "label": "RC-1.0"}"#
        #expect(outcome(body) == "accepted")
        #expect(
            outcome(body, pungi: false)
                == "raw_config composes are made by Pungi, which this Kiln server does not run: configure "
                + "pungi_command (the pungi-koji command line) to make them.")
        #expect(
            outcome(#"{"source": {"type": "raw_config", "source": "cfg#--upload-pack"}}"#)
                == #"The commit "--upload-pack" of raw_config source "cfg" must be a commit hash or a branch name."#)
        #expect(ComposeRequestSupport.isGitRevision("0123abc"))
        #expect(ComposeRequestSupport.isGitRevision("release/f40"))
        for bad in ["", "-x", "a..b", "a//b", "/a", "a/", "x.lock", "a b", "a:b", String(repeating: "a", count: 201)] {
            #expect(!ComposeRequestSupport.isGitRevision(bad), "\(bad)")
        }
    }

    /// Every key the request may carry is known to the support table, so none is refused as unknown.
    @Test func everyDocumentedKeyIsKnown() {
        for key in ComposeRequestSupport.requestKeys {
            #expect(!outcome(#"{"source": {\#(Self.tag)}, "\#(key)": []}"#).hasPrefix("Unknown field"), "\(key)")
        }
        for key in ComposeRequestSupport.sourceKeys where key != "type" && key != "source" {
            #expect(!outcome(#"{"source": {\#(Self.tag), "\#(key)": []}}"#).hasPrefix("Unknown field"), "\(key)")
        }
    }

    /// Every flag and every result is either honoured by some source type or refused with a reason.
    @Test func everyFlagAndResultHasAnAnswer() {
        for (name, _) in ComposeFlags.named {
            let answers = ["tag", "pulp"].map {
                outcome(#"{"source": {"type": "\#($0)", "source": "x"}, "flags": ["\#(name)"]}"#)
            }
            #expect(answers.contains("accepted") || answers.allSatisfy { $0.contains(name) }, "\(name)")
        }
        for (name, _) in ComposeResults.named {
            let answer = outcome(#"{"source": {\#(Self.tag)}, "results": ["\#(name)"]}"#)
            #expect(answer == "accepted" || answer.contains("\"\(name)\""), "\(name)")
        }
    }
}
