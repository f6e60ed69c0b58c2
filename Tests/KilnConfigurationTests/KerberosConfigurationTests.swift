import Foundation
import KilnConfiguration
import KilnCore
import Testing

/// `kerberos_realms`: which realms' principals are users, required whenever `auth_backend` accepts Kerberos.
@Suite struct KerberosConfigurationTests {
    func load(_ environment: [String: String]) throws -> KilnConfiguration {
        let path = NSTemporaryDirectory() + "kiln-kerberos-config-\(UUID().uuidString).json"
        try "{}".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try KilnConfiguration.load(path: path, environment: environment)
    }

    @Test func realmsAreReadAndStripOnlyTheirOwnPrincipals() throws {
        let c = try load([
            "KILN_AUTH_BACKEND": "oidc_or_kerberos", "KILN_KERBEROS_REALMS": #"["KILN.TEST", "EXAMPLE.COM"]"#,
        ])
        #expect(c.service.kerberosRealms == ["KILN.TEST", "EXAMPLE.COM"])
        #expect(
            Identity.from(variables: ["REMOTE_USER": "pungi@KILN.TEST"], configuration: c.service)?.username == "pungi")
        #expect(Identity.from(variables: ["REMOTE_USER": "pungi@EVIL.TEST"], configuration: c.service) == nil)
    }

    @Test func openidcAloneNeedsNoRealm() throws {
        #expect(try load([:]).service.kerberosRealms == [])
        #expect(try load(["KILN_AUTH_BACKEND": "ssl"]).service.authBackend == "ssl")
    }

    @Test(arguments: ["kerberos", "kerberos_or_ssl", "oidc_or_kerberos"])
    func aKerberosBackendWithoutRealmsIsRefused(backend: String) {
        let expected =
            "configuration key kerberos_realms: auth_backend \(backend) accepts Kerberos: name the realms whose "
            + "principals are users"
        #expect(performing: { _ = try load(["KILN_AUTH_BACKEND": backend]) }, throws: { "\($0)" == expected })
    }

    @Test(arguments: [#"[""]"#, #"["KILN.TEST@X"]"#, #"["KILN TEST"]"#, #"["KILN.TÉST"]"#, #"[7]"#])
    func aMalformedRealmIsRefused(value: String) {
        #expect(
            performing: {
                _ = try load(["KILN_AUTH_BACKEND": "kerberos", "KILN_KERBEROS_REALMS": value])
            },
            throws: { "\($0)".hasPrefix("configuration key kerberos_realms") })
    }
}
