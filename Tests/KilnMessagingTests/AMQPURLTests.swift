import Testing

@testable import KilnMessaging

@Suite struct AMQPURLTests {
    struct Case: Sendable, CustomStringConvertible {
        var text: String
        var tls: Bool
        var host: String
        var port: Int
        var user: String
        var password: String
        var vhost: String
        var description: String { text }
    }

    @Test(arguments: [
        Case(
            text: "amqp://guest:guest@127.0.0.1:5672/%2F", tls: false, host: "127.0.0.1", port: 5672, user: "guest",
            password: "guest", vhost: "/"),
        Case(
            text: "amqp://localhost", tls: false, host: "localhost", port: 5672, user: "guest", password: "guest",
            vhost: "/"),
        Case(text: "amqp://", tls: false, host: "localhost", port: 5672, user: "guest", password: "guest", vhost: "/"),
        Case(
            text: "amqps://kiln@broker.example.com/pubsub", tls: true, host: "broker.example.com", port: 5671,
            user: "kiln", password: "guest", vhost: "pubsub"),
        Case(
            text: "amqp://u%40x:p%3Aw%2Fd@h:15680/v%2Fh?connection_attempts=3&retry_delay=5", tls: false, host: "h",
            port: 15680,
            user: "u@x", password: "p:w/d", vhost: "v/h"),
        Case(text: "amqp://a:b@[::1]:5673/", tls: false, host: "::1", port: 5673, user: "a", password: "b", vhost: "/"),
    ])
    func parsesLikePika(_ c: Case) throws {
        let url = try AMQPURL(c.text)
        #expect(url.tls == c.tls)
        #expect(url.host == c.host)
        #expect(url.port == c.port)
        #expect(url.user == c.user)
        #expect(url.password == c.password)
        #expect(url.virtualHost == c.vhost)
    }

    @Test(arguments: [
        ("http://h/", "it must start with amqp:// or amqps://"),
        ("amqp://h:0/", "the port must be 1 to 65535"),
        ("amqp://h:99999/", "the port must be 1 to 65535"),
        ("amqp://h:x/", "the port must be 1 to 65535"),
        ("amqp://u:%zz@h/", "bad percent-encoding in the password"),
        ("amqp://[::1/", "unclosed [ in the host"),
        ("amqp://h/%00", "the virtual host contains a NUL byte"),
    ])
    func rejectsBadURLsNamingTheProblem(_ c: (String, String)) {
        #expect(throws: AMQPError.self) { try AMQPURL(c.0) }
        do {
            _ = try AMQPURL(c.0)
        } catch {
            #expect(error.code == .invalidURL)
            #expect(error.message == "amqp_url is not a valid AMQP URL: \(c.1)")
        }
    }

    @Test func descriptionLeavesOutThePassword() throws {
        let url = try AMQPURL("amqp://kiln:s3cret@mq.example.com:5672/%2F")
        #expect(url.description == "amqp://kiln@mq.example.com:5672/%2F")
        #expect(try AMQPURL("amqps://k:s3cret@[fe80::1]/odcs").description == "amqps://k@[fe80::1]:5671/odcs")
    }
}
