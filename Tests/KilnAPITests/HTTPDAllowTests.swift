import Foundation
import Testing

@testable import KilnAPI

/// httpd answers TRACE itself (405, `TraceEnable Off`), so kiln-api never sees it; `httpd/kiln-common.conf` sets
/// `Allow` on those answers from the request line. Those values must be the ones the route table gives.
struct HTTPDAllowTests {
    struct AllowRule {
        var value: String
        var requestLine: NSRegularExpression
    }

    /// The `Header always set Allow "..." "expr=%{THE_REQUEST} =~ m#...#"` lines, in order (the last match wins).
    static func rules() throws -> [AllowRule] {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../httpd/kiln-common.conf").standardized
        let text = try String(contentsOf: file, encoding: .utf8)
        let prefix = "Header always set Allow \""
        var rules: [AllowRule] = []
        for line in text.split(separator: "\n") where line.hasPrefix(prefix) {
            let rest = line.dropFirst(prefix.count)
            let value = String(rest.prefix { $0 != "\"" })
            let expression = try #require(rest.range(of: "=~ m#").map { rest[$0.upperBound...] })
            let pattern = String(try #require(expression.range(of: "#\"").map { expression[..<$0.lowerBound] }))
            rules.append(AllowRule(value: value, requestLine: try NSRegularExpression(pattern: pattern)))
        }
        return rules
    }

    static func httpdAllow(_ rules: [AllowRule], path: String) -> String? {
        let line = "TRACE \(path) HTTP/1.1"
        let range = NSRange(line.startIndex..., in: line)
        return rules.last { $0.requestLine.firstMatch(in: line, range: range) != nil }?.value
    }

    /// Paths that reach a pattern: sample parameter values, with and without the optional trailing slash, with and
    /// without a query.
    static func samples(_ pattern: RoutePattern) -> [String] {
        var bodies: [String] = []
        for value in ["7", "F-1-20260101.n.0"] {
            let segments = pattern.segments.map { segment -> String in
                switch segment {
                case .literal(let text): text
                case .int: "7"
                case .string: value
                }
            }
            let path = "/" + segments.joined(separator: "/")
            bodies.append(pattern.trailingSlash ? path + "/" : path)
            if pattern.optionalTrailingSlash { bodies.append(pattern.trailingSlash ? path : path + "/") }
        }
        return Set(bodies).sorted().flatMap { [$0, $0 + "?x=1&y=%20"] }
    }

    @Test func traceAllowValuesAreTheRouteTables() throws {
        let rules = try Self.rules()
        #expect(rules.count >= 5)
        var checked = 0
        for route in RouteTable.kiln.routes {
            for path in Self.samples(route.pattern) {
                let routed = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
                let expected = RouteTable.kiln.allowedMethods(path: routed).joined(separator: ", ")
                #expect(!expected.isEmpty, "\(path)")
                #expect(Self.httpdAllow(rules, path: path) == expected, "TRACE \(path)")
                checked += 1
            }
        }
        #expect(checked > 100)
    }

    @Test func rulesAreReadAsHTTPDApplies() throws {
        let rules = try Self.rules()
        #expect(Self.httpdAllow(rules, path: "/api/1/composes/12") == "GET, HEAD, PATCH, DELETE")
        #expect(Self.httpdAllow(rules, path: "/cts/api/1/composes/X/rpms/") == "GET, HEAD, POST, PUT")
        #expect(Self.httpdAllow(rules, path: "/cts/api/1/tags") == "GET, HEAD, POST")
    }
}
