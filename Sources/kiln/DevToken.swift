import ArgumentParser
import KilnConfiguration
import KilnCore
import KilnFastCGI
import KilnPlatform
import Logging

extension Kiln {
    struct DevToken: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dev-token",
            abstract: "Print a bearer token for a local stack, signed with its shared key (never for production).")

        @OptionGroup var options: GlobalOptions

        @Option(help: "User name (the token's sub claim).")
        var user: String

        @Option(help: "Comma-separated groups.")
        var groups: String = ""

        @Option(help: "Comma-separated scope names (default: all of Kiln's). Bare names get the configured namespace.")
        var scopes: String?

        @Option(help: "Key file (default: dev_token_key_file from the configuration).")
        var keyFile: String?

        @Option(parsing: .unconditional, help: "Lifetime in seconds; negative values make an already expired token.")
        var lifetime: Int64 = 86_400

        func run() throws {
            let configuration = try options.load()
            guard let path = keyFile ?? configuration.devTokenKeyFile else {
                throw ValidationError("No key: pass --key-file or set dev_token_key_file.")
            }
            guard let raw = Platform.readFile(path) else { throw ValidationError("Cannot read key file \(path).") }
            let text = String(decoding: raw, as: UTF8.self).trimmingWhitespace()
            guard let key = Hex.decode(text), !key.isEmpty else {
                throw ValidationError(
                    "Key file \(path) must hold the key as hex digits (as httpd's OIDCOAuthVerifySharedKeys takes it).")
            }
            let namespace = configuration.service.oidcBaseNamespace
            let scopeList =
                scopes.map {
                    $0.split(separator: ",").map { s in s == "openid" || s.contains("/") ? String(s) : namespace + s }
                } ?? DevBearerToken.allScopes(namespace: namespace)
            let token = DevBearerToken(
                user: user, groups: groups.split(separator: ",").map(String.init), scopes: scopeList,
                issuedAt: Platform.epochSeconds(), lifetimeSeconds: lifetime)
            print(token.signed(key: key))
        }
    }
}
