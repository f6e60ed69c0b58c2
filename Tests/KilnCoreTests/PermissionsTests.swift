import Testing

@testable import KilnCore

/// Roles, scopes and per-client restrictions.
@Suite struct PermissionsTests {
    static var configuration: ServiceConfiguration {
        var c = ServiceConfiguration()
        c.targetDir = "/srv/composes"
        c.extraTargetDirs = ["releng-private": "/srv/private"]
        c.rawConfigURLs = ["pungi_cfg": .init(url: "u", configFilename: "f")]
        c.admins = .init(users: ["root"], groups: ["admins"])
        c.allowedClients = .init(
            users: [
                "dev": ["source_types": ["tag", "module"]],
                "dev2": ["compose_types": ["test"]],
                "dev4": ["source_types": ["raw_config"], "raw_config_keys": []],
                "flagless": ["flags": ["no_deps"]],
                "anything": ["source_types": [""], "arches": [""], "target_dirs": [""]],
            ],
            groups: [
                "releng": [:],
                "narrow": ["source_types": ["build"]],
                "arm": ["arches": ["aarch64"]],
            ])
        return c
    }

    func user(_ name: String, groups: [String] = [], scopes: Set<String>? = nil) -> Caller {
        .user(Identity(username: name, groups: groups, scopes: scopes, method: scopes == nil ? .kerberos : .oidc))
    }

    func compose(
        _ type: SourceType = .tag, source: String = "f40", arches: String = "x86_64", composeType: String = "test",
        flags: ComposeFlags = [], targetDir: String? = "/srv/composes"
    ) -> Compose {
        var c = Compose(
            owner: "x", sourceType: type, source: source, flags: flags, timeToExpire: .init(secondsSinceEpoch: 0),
            timeSubmitted: .init(secondsSinceEpoch: 0))
        c.arches = arches
        c.composeType = composeType
        c.targetDir = targetDir
        return c
    }

    func check(_ caller: Caller, _ c: Compose, post: Bool = true) -> String? {
        let p = Permissions(configuration: Self.configuration)
        do {
            try p.requireInputAllowed(p.inputs(for: c, includeTargetDirs: post), for: caller)
            return nil
        } catch {
            #expect(error.code == .forbidden)
            return error.message
        }
    }

    @Test func userEntryLimitsSourceTypes() {
        #expect(check(user("dev"), compose(.tag)) == nil)
        #expect(
            check(user("dev"), compose(.repo, source: "/r"))
                == "User dev not allowed to operate with compose with source_types=repo.")
    }

    @Test func userEntryOverridesTheUsersGroups() {
        #expect(
            check(user("dev", groups: ["releng"]), compose(.build, source: ""))
                == "User dev not allowed to operate with compose with source_types=build.")
    }

    @Test func anyOneGroupMayAllow() {
        #expect(check(user("g", groups: ["narrow", "releng"]), compose(.tag)) == nil)
        #expect(
            check(user("g", groups: ["narrow"]), compose(.tag))
                == "User g not allowed to operate with compose with source_types=tag.")
    }

    @Test func noEntryAtAllIsRefused() {
        #expect(
            check(user("stranger", groups: ["nobody"]), compose())
                == "User stranger not allowed to operate with any compose.")
    }

    @Test func composeTypesRestricted() {
        #expect(
            check(user("dev2"), compose(composeType: "production"))
                == "User dev2 not allowed to operate with compose with compose_types=production.")
    }

    @Test func emptyListAllowsNothing() {
        #expect(
            check(user("dev4"), compose(.rawConfig, source: "pungi_cfg#abc"))
                == "User dev4 not allowed to operate with compose with raw_config_keys=pungi_cfg.")
    }

    @Test func flagsAlwaysIncludeNoFlags() {
        #expect(
            check(user("flagless"), compose(flags: [.noDeps]))
                == "User flagless not allowed to operate with compose with flags=no_flags.")
    }

    @Test func defaultsComeFromAllowedSettings() {
        // allowed_source_types default is tag, module, build; allowed_arches default is x86_64.
        #expect(
            check(user("r", groups: ["releng"]), compose(.pulp, source: "cs"))
                == "User r not allowed to operate with compose with source_types=pulp.")
        #expect(
            check(user("r", groups: ["releng"]), compose(arches: "x86_64 ppc64le"))
                == "User r not allowed to operate with compose with arches=ppc64le.")
    }

    @Test func onlyTheFirstBadValuePerAttributeButEveryAttribute() {
        let message = check(user("r", groups: ["releng"]), compose(.pulp, source: "cs", arches: "s390x ppc64le"))
        #expect(
            message == "User r not allowed to operate with compose with source_types=pulp. "
                + "User r not allowed to operate with compose with arches=s390x.")
    }

    @Test func extraTargetDirsAreCheckedOnPostOnly() {
        let c = compose(targetDir: "/srv/private")
        #expect(
            check(user("r", groups: ["releng"]), c)
                == "User r not allowed to operate with compose with target_dirs=releng-private.")
        #expect(check(user("r", groups: ["releng"]), c, post: false) == nil)
        #expect(
            check(user("anything"), compose(.repo, source: "/x", arches: "s390x", targetDir: "/srv/private")) == nil)
    }

    @Test func adminsAndNoauthBypassRestrictions() {
        #expect(check(user("root"), compose(.pulp, source: "x", arches: "s390x")) == nil)
        #expect(check(user("someone", groups: ["admins"]), compose(.pulp, source: "x")) == nil)
        #expect(check(.noauth, compose(.pulp, source: "x")) == nil)
    }

    @Test func rolesAndScopes() throws {
        let p = Permissions(configuration: Self.configuration)
        #expect(throws: ComposeError.forbidden("User nobody is not in role allowed_clients.")) {
            try p.requireRole("allowed_clients", for: user("nobody"))
        }
        try p.requireRole("allowed_clients", for: user("x", groups: ["arm"]))
        #expect(throws: ComposeError.forbidden("User dev is not in role admins.")) {
            try p.requireRole("admins", for: user("dev"))
        }
        #expect(throws: ComposeError(.unauthorized, Caller.unauthorizedMessage)) { try p.requireIdentity(.anonymous) }
        #expect(throws: ComposeError.forbidden("Request does not have required scope renew-compose")) {
            try p.requireScope("renew-compose", for: user("dev", scopes: ["https://pagure.io/odcs/new-compose"]))
        }
        try p.requireScope("new-compose", for: user("dev", scopes: ["https://pagure.io/odcs/new-compose"]))
        try p.requireScope("new-compose", for: user("kerberos-user")) // scopes apply to OIDC only
    }
}

@Suite struct IdentityTests {
    var configuration: ServiceConfiguration {
        var c = ServiceConfiguration()
        c.authBackend = "oidc_or_kerberos"
        c.kerberosRealms = ["EXAMPLE.COM"]
        c.userGroups = ["alice": ["static"], "bob": ["releng"]]
        return c
    }

    @Test func onlyWhatTheBackendAcceptsCounts() {
        var c = configuration
        let tls = ["SSL_CLIENT_VERIFY": "SUCCESS", "SSL_CLIENT_S_DN": "CN=x"]
        let kerberos = ["REMOTE_USER": "bob@EXAMPLE.COM"]
        let oidc = ["REMOTE_USER": "carol", "OIDC_CLAIM_scope": "openid"]
        c.authBackend = "openidc"
        #expect(Identity.from(variables: tls, configuration: c) == nil)
        #expect(Identity.from(variables: kerberos, configuration: c) == nil)
        #expect(Identity.from(variables: oidc, configuration: c)?.username == "carol")
        c.authBackend = "ssl"
        #expect(Identity.from(variables: kerberos.merging(tls) { a, _ in a }, configuration: c)?.username == "CN=x")
        #expect(Identity.from(variables: oidc, configuration: c) == nil)
        c.authBackend = "kerberos_or_ssl"
        #expect(Identity.from(variables: kerberos.merging(tls) { a, _ in a }, configuration: c)?.username == "bob")
        #expect(Identity.from(variables: tls, configuration: c)?.username == "CN=x")
        c.authBackend = "kerberos"
        #expect(Identity.from(variables: oidc, configuration: c) == nil)
    }

    @Test func oidcIdentityCarriesScopesAndGroups() {
        let i = Identity.from(
            variables: [
                "REMOTE_USER": "alice", "OIDC_CLAIM_scope": "openid https://pagure.io/odcs/new-compose",
                "OIDC_CLAIM_groups": "releng, packagers",
            ], configuration: configuration)
        #expect(
            i
                == Identity(
                    username: "alice", groups: ["releng", "packagers", "static"],
                    scopes: ["openid", "https://pagure.io/odcs/new-compose"], method: .oidc))
    }

    @Test func kerberosPrincipalLosesItsRealmAndGetsItsStaticGroups() {
        let i = Identity.from(variables: ["REMOTE_USER": "bob@EXAMPLE.COM"], configuration: configuration)
        #expect(i == Identity(username: "bob", groups: ["releng"], method: .kerberos))
        let service = Identity.from(
            variables: ["REMOTE_USER": "pungi/builder.example.com@EXAMPLE.COM"],
            configuration: configuration)
        #expect(service == Identity(username: "pungi/builder.example.com", method: .kerberos))
    }

    @Test(arguments: [
        "bob@OTHER.ORG", // a realm Kiln does not accept: never the bob of EXAMPLE.COM
        "bob@example.com", // realms are case-sensitive
        "bob@", // no realm
        "@EXAMPLE.COM", // no user
        "bob@EXAMPLE.COM@EXAMPLE.COM", // an enterprise name: which realm?
        "bob\\@OTHER.ORG@EXAMPLE.COM",
    ])
    func principalOutsideTheAcceptedRealmsIsNoIdentity(principal: String) {
        #expect(Identity.from(variables: ["REMOTE_USER": principal], configuration: configuration) == nil)
        #expect(Caller.from(variables: ["REMOTE_USER": principal], configuration: configuration) == .anonymous)
    }

    @Test func realmsAreCheckedWhateverTheKerberosBackend() {
        var c = configuration
        for backend in ["kerberos", "kerberos_or_ssl", "oidc_or_kerberos"] {
            c.authBackend = backend
            #expect(Identity.from(variables: ["REMOTE_USER": "bob@EXAMPLE.COM"], configuration: c)?.username == "bob")
            #expect(Identity.from(variables: ["REMOTE_USER": "bob@OTHER.ORG"], configuration: c) == nil)
        }
        // With a verified client certificate too, a refused principal does not shadow it.
        c.authBackend = "kerberos_or_ssl"
        let tls = ["SSL_CLIENT_VERIFY": "SUCCESS", "SSL_CLIENT_S_DN": "CN=x"]
        #expect(
            Identity.from(variables: tls.merging(["REMOTE_USER": "bob@OTHER.ORG"]) { a, _ in a }, configuration: c)
                == Identity(username: "CN=x", method: .ssl))
    }

    @Test func tlsClientCertificateNeedsSuccessfulVerification() {
        var configuration = configuration
        configuration.authBackend = "kerberos_or_ssl"
        let dn = "CN=builder,O=Example"
        #expect(
            Identity.from(
                variables: ["SSL_CLIENT_VERIFY": "SUCCESS", "SSL_CLIENT_S_DN": dn], configuration: configuration)?
                .username == dn)
        #expect(
            Identity.from(
                variables: ["SSL_CLIENT_VERIFY": "FAILED", "SSL_CLIENT_S_DN": dn], configuration: configuration) == nil)
        #expect(Identity.from(variables: [:], configuration: configuration) == nil)
    }

    @Test func noauthOwnsAsUnknown() {
        var c = configuration
        c.authBackend = "noauth"
        let caller = Caller.from(variables: ["REMOTE_USER": "alice"], configuration: c)
        #expect(caller == .noauth)
        #expect(caller.ownerName == "unknown")
    }
}
