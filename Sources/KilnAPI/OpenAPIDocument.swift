internal import KilnFastCGI

/// The OpenAPI 3 documents, served as they are in `Resources/`: `openapi.json` (both APIs) at
/// `/api/1/openapi.json` and `openapi-cts.json` (compose tracking alone) at `/cts/api/1/openapi.json`. Both are
/// compiled into the module, so serving them reads no file.
enum OpenAPIDocument {
    static let full: [UInt8] = PackageResources.openapi_json
    static let tracking: [UInt8] = PackageResources.openapi_cts_json

    static func response(_ document: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: document)
    }
}
