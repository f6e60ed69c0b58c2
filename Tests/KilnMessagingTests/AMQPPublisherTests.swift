import Logging
import Testing

@testable import KilnMessaging

#if canImport(Glibc)
    import Glibc
#endif

/// Against the real RabbitMQ `make test` starts (KILN_TEST_AMQP_URL). Reading messages back with a stock consumer
/// is the end-to-end suite's job (Tests/EndToEnd/test_publish.py).
@Suite struct AMQPPublisherTests {
    let logger = Logger(label: "test")

    func brokerURL() throws -> String {
        guard let url = getenv("KILN_TEST_AMQP_URL").map({ String(cString: $0) }), !url.isEmpty else {
            throw BrokerMissing()
        }
        return url
    }

    struct BrokerMissing: Error, CustomStringConvertible {
        var description: String {
            "RabbitMQ is needed and was not found: KILN_TEST_AMQP_URL is not set. Run the tests with `make test`, "
                + "which starts a private broker."
        }
    }

    func message(_ n: Int) -> AMQPMessage {
        FedoraMessage.make(
            topic: "kiln-test.odcs.compose.state-changed", body: #"{"n": \#(n)}"#, messageID: "test-\(n)",
            sentAt: "2026-01-31T12:00:00+00:00", usernames: ["alice"])
    }

    @Test func publishedBatchIsAckedByTheBroker() throws {
        var configuration = AMQPConfiguration()
        configuration.url = try brokerURL()
        let publisher = try AMQPPublisher.connect(configuration, logger: logger)
        defer { publisher.close() }
        for size in [1, 250] {
            var confirmations = Confirmations(count: size)
            try publisher.publish((0..<size).map(message), confirmations: &confirmations)
            #expect(confirmations.acked == Array(0..<size))
            #expect(confirmations.pendingCount == 0)
        }
    }

    @Test func ownExchangeIsDeclaredDurableTopic() throws {
        var configuration = AMQPConfiguration()
        configuration.url = try brokerURL()
        configuration.exchange = "kiln-test-exchange"
        #expect(configuration.exchangeNeedsDeclaring)
        let publisher = try AMQPPublisher.connect(configuration, logger: logger)
        defer { publisher.close() }
        var confirmations = Confirmations(count: 2)
        try publisher.publish([message(1), message(2)], confirmations: &confirmations)
        #expect(confirmations.acked == [0, 1])
    }

    @Test func missingExchangeIsRefusedWithTheBrokersReason() throws {
        var configuration = AMQPConfiguration()
        configuration.url = try brokerURL()
        configuration.exchange = "amq.kiln-no-such-exchange"
        let publisher = try AMQPPublisher.connect(configuration, logger: logger)
        var confirmations = Confirmations(count: 1)
        let error = #expect(throws: AMQPError.self) {
            try publisher.publish([message(1)], confirmations: &confirmations)
        }
        #expect(error?.code == .refused)
        #expect(error?.status == 404)
        #expect(error?.message.contains("NOT_FOUND") == true)
        #expect(confirmations.acked.isEmpty)
        #expect(!publisher.isOpen)
    }

    @Test func wrongPasswordIsALoginError() throws {
        var url = try AMQPURL(try brokerURL())
        var configuration = AMQPConfiguration()
        configuration.url = "amqp://\(url.user):wrong-password@\(url.host):\(url.port)/%2F"
        url.password = "wrong-password"
        let error = #expect(throws: AMQPError.self) { try AMQPPublisher.connect(configuration, logger: logger) }
        #expect(error?.code == .login)
        #expect(
            error?.message.hasPrefix("the AMQP broker at \(url.host):\(url.port) refused the login of user \(url.user)")
                == true)
        #expect(error?.description.contains("wrong-password") == false)
    }

    @Test func closedPortIsUnreachable() throws {
        var configuration = AMQPConfiguration()
        // Port 1 on loopback: nothing listens there.
        configuration.url = "amqp://guest:guest@127.0.0.1:1/%2F"
        let error = #expect(throws: AMQPError.self) { try AMQPPublisher.connect(configuration, logger: logger) }
        #expect(error?.code == .unreachable)
        #expect(error?.message.hasPrefix("cannot connect to the AMQP broker at 127.0.0.1:1 (is it running?): ") == true)
    }
}
