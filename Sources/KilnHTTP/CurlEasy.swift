internal import CCurl

/// Owns one libcurl easy handle and its error buffer; `curl_easy_cleanup` in `deinit`. Reused across transfers:
/// `reset()` clears the options but keeps libcurl's connection, DNS and TLS session caches.
///
/// Not Sendable: an easy handle is used by one thread at a time. The raw handle is lent only inside
/// `withUnsafeHandle { }`.
final class CurlEasy {
    /// `curl_global_init` runs once per process, before the first handle exists (Swift runs a static let's
    /// initializer exactly once, thread-safely).
    private static let globalInit: Int32 = Int32(bitPattern: curl_global_init(CCurl_GLOBAL_DEFAULT).rawValue)

    private let handle: UnsafeMutableRawPointer
    /// CURLOPT_ERRORBUFFER: libcurl writes its detailed message
    /// here when a transfer fails. Lives as long as the handle.
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init() throws(HTTPClientError) {
        let global = Self.globalInit
        guard global == Int32(bitPattern: CURLE_OK.rawValue) else {
            throw HTTPClientError(.transport, "curl_global_init failed", url: "", curlCode: Int(global))
        }
        guard let handle = curl_easy_init() else {
            throw HTTPClientError(.transport, "curl_easy_init failed", url: "")
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CCurl_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CCurl_ERROR_SIZE) + 1)
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    func withUnsafeHandle<R, E: Error>(_ body: (UnsafeMutableRawPointer) throws(E) -> R) throws(E) -> R {
        try body(handle)
    }

    /// Back to default options (caches kept), with the error buffer attached again.
    func reset(url: String) throws(HTTPClientError) {
        curl_easy_reset(handle)
        errorBuffer[0] = 0
        try check(CCurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer)), url: url)
    }

    func set(_ option: CURLoption, _ value: Int, url: String) throws(HTTPClientError) {
        try check(CCurl_setopt_long(handle, option, value), url: url)
    }

    func set(_ option: CURLoption, _ value: Bool, url: String) throws(HTTPClientError) {
        try check(CCurl_setopt_long(handle, option, value ? 1 : 0), url: url)
    }

    /// For options libcurl copies (all string options except CURLOPT_POSTFIELDS).
    func set(_ option: CURLoption, _ value: String, url: String) throws(HTTPClientError) {
        guard !value.utf8.contains(0) else {
            throw HTTPClientError(.invalidRequest, "option value contains a NUL byte", url: url)
        }
        try check(CCurl_setopt_string(handle, option, value), url: url)
    }

    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?, url: String) throws(HTTPClientError) {
        try check(CCurl_setopt_pointer(handle, option, pointer), url: url)
    }

    func set(_ option: CURLoption, list: UnsafeMutablePointer<curl_slist>?, url: String) throws(HTTPClientError) {
        try check(CCurl_setopt_slist(handle, option, list), url: url)
    }

    func set(_ option: CURLoption, callback: curl_write_callback, url: String) throws(HTTPClientError) {
        try check(CCurl_setopt_write_callback(handle, option, callback), url: url)
    }

    func setOffset(_ option: CURLoption, _ value: Int64, url: String) throws(HTTPClientError) {
        try check(CCurl_setopt_offset(handle, option, curl_off_t(value)), url: url)
    }

    /// Copies `bytes` into libcurl as the POST body (CURLOPT_POSTFIELDSIZE_LARGE, then CURLOPT_COPYPOSTFIELDS).
    func setPostBody(_ bytes: [UInt8], url: String) throws(HTTPClientError) {
        try check(CCurl_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count)), url: url)
        let storage = bytes.isEmpty ? [0] : bytes
        let rc = storage.withUnsafeBytes { raw in
            CCurl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress))
        }
        try check(rc, url: url)
    }

    /// Runs the transfer and returns the final response code (0 when no response arrived). Blocking.
    @available(*, noasync, message: "libcurl blocks; call from a dedicated thread")
    func perform(url: String) throws(HTTPClientError) -> Int {
        errorBuffer[0] = 0
        let rc = curl_easy_perform(handle)
        let status = responseCode()
        guard rc == CURLE_OK else {
            throw HTTPClientError(
                .transport, errorMessage(rc), url: url, status: status == 0 ? nil : status, curlCode: Int(rc.rawValue))
        }
        return status
    }

    func responseCode() -> Int {
        var code = 0
        _ = CCurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    /// The URL of the last request, after redirects; copied out at once.
    func effectiveURL() -> String? {
        var pointer: UnsafeMutablePointer<CChar>?
        guard CCurl_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &pointer) == CURLE_OK, let pointer else {
            return nil
        }
        return String(cString: pointer)
    }

    /// The absolute URL a 3xx answer's `Location` points to (libcurl resolves it), nil without one; copied out at once.
    func redirectURL() -> String? {
        var pointer: UnsafeMutablePointer<CChar>?
        guard CCurl_getinfo_string(handle, CURLINFO_REDIRECT_URL, &pointer) == CURLE_OK, let pointer else { return nil }
        return String(cString: pointer)
    }

    /// The error buffer's text, else `curl_easy_strerror`; copied into a Swift string at once.
    private func errorMessage(_ rc: CURLcode) -> String {
        var message = errorBuffer[0] != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(rc))
        while let last = message.last, last == "\n" || last == " " { message.removeLast() }
        return message
    }

    private func check(_ rc: CURLcode, url: String) throws(HTTPClientError) {
        guard rc != CURLE_OK else { return }
        throw HTTPClientError(.invalidRequest, errorMessage(rc), url: url, curlCode: Int(rc.rawValue))
    }
}
