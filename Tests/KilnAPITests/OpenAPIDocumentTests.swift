import Foundation
import KilnCore
import Testing

@testable import KilnAPI

/// The OpenAPI documents in `Sources/KilnAPI/Resources/` against the route table: every route is documented, every
/// documented operation is routed, and the tracking document holds exactly the tracking routes.
struct OpenAPIDocumentTests {
    struct Operation: Hashable, CustomStringConvertible {
        var method: String
        var path: String
        var description: String { "\(method) \(path)" }
    }

    static let methods = ["get", "put", "post", "delete", "patch", "options", "head", "trace"]
    static let trackingPrefix = "/cts/api/1/"

    static func paths(_ document: [UInt8]) throws -> JSONObject {
        try #require(try JSONParser.parse(document)["paths"]?.objectValue)
    }

    static func operations(_ document: [UInt8]) throws -> Set<Operation> {
        var out: Set<Operation> = []
        for (path, item) in try paths(document).pairs {
            for method in item.objectValue?.keys ?? [] where methods.contains(method) {
                out.insert(Operation(method: method.uppercased(), path: path))
            }
        }
        return out
    }

    /// The operations a route answers as the documents write them: its pattern, and without the trailing slash
    /// where the pattern ends in one and the document lists that spelling too.
    static func routed(_ routes: [Route], documented: Set<Operation>) -> Set<Operation> {
        var out: Set<Operation> = []
        for route in routes {
            for path in route.pattern.documentedPaths {
                let operation = Operation(method: route.method, path: path)
                if path == route.pattern.description || documented.contains(operation) { out.insert(operation) }
            }
        }
        return out
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationIsRouted() throws {
        let documented = try Self.operations(OpenAPIDocument.full).union(Self.operations(OpenAPIDocument.tracking))
        // The HTML pages are not API operations: the documents describe the JSON APIs only.
        let apiRoutes = RouteTable.kiln.routes.filter { !KilnResponder.isPagePath($0.pattern.description) }
        #expect(apiRoutes.count < RouteTable.kiln.routes.count)
        #expect(apiRoutes.count == RouteTable.odcs.count + RouteTable.tracking.count)
        let routed = Self.routed(apiRoutes, documented: documented)
        #expect(routed.subtracting(documented).isEmpty, "routes not documented: \(routed.subtracting(documented))")
        #expect(documented.subtracting(routed).isEmpty, "documented, not routed: \(documented.subtracting(routed))")
        #expect(documented.contains(Operation(method: "GET", path: "/api/1/about")))
        #expect(documented.count == 33)
    }

    @Test func trackingDocumentHoldsTheTrackingRoutesUnderTheirPrefix() throws {
        let tracking = try Self.operations(OpenAPIDocument.tracking)
        let routes = RouteTable.kiln.routes.filter { $0.pattern.description.hasPrefix(Self.trackingPrefix) }
        #expect(!routes.isEmpty)
        #expect(tracking == Self.routed(routes, documented: tracking))
        #expect(tracking.allSatisfy { $0.path.hasPrefix(Self.trackingPrefix) })
    }

    /// The tracking document describes each tracking operation as the full document does, and every component it
    /// shares with the full one is the same.
    @Test func trackingDocumentAgreesWithTheFullOne() throws {
        let full = try JSONParser.parse(OpenAPIDocument.full)
        let tracking = try JSONParser.parse(OpenAPIDocument.tracking)
        let fullPaths = try Self.paths(OpenAPIDocument.full)
        var shared = 0
        for (path, item) in try Self.paths(OpenAPIDocument.tracking).pairs where fullPaths[path] != nil {
            #expect(item == fullPaths[path], "\(path)")
            shared += 1
        }
        #expect(shared == 12)
        let components = try #require(tracking["components"]?.objectValue)
        for (kind, entries) in components.pairs {
            for (name, value) in entries.objectValue?.pairs ?? [] {
                #expect(value == full["components"]?[kind]?[name], "\(kind)/\(name)")
            }
        }
    }

    /// What is served is the file in the repository, byte for byte.
    @Test func servedDocumentsAreTheResourceFiles() throws {
        let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/KilnAPI/Resources").standardized
        let full = try Data(contentsOf: resources.appendingPathComponent("openapi.json"))
        let tracking = try Data(contentsOf: resources.appendingPathComponent("openapi-cts.json"))
        #expect(OpenAPIDocument.full == Array(full))
        #expect(OpenAPIDocument.tracking == Array(tracking))
        for (path, document) in [("/api/1/openapi.json", full), ("/cts/api/1/openapi.json", tracking)] {
            guard case .route(let route, let parameters) = RouteTable.kiln.match(method: "GET", path: path) else {
                Issue.record("\(path) is not routed")
                continue
            }
            #expect(route.pattern.description == path)
            #expect(parameters.values.isEmpty)
        }
    }
}
