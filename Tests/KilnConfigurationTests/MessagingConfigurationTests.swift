import KilnConfiguration
import KilnCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The keys `kiln publish` reads (docs/configuration.md, "Messages").
@Suite struct MessagingConfigurationTests {
    func configuration(_ json: String) throws -> KilnConfiguration {
        try KilnConfiguration(#require(try JSONParser.parse(json).objectValue))
    }

    @Test func defaultsSendNothing() {
        let c = KilnConfiguration()
        #expect(c.messagingBackend == .none)
        #expect(c.amqpURL == "amqp://guest:guest@127.0.0.1:5672/%2F")
        #expect(c.amqpExchange == "amq.topic")
        #expect(c.amqpCACert == nil && c.amqpCertFile == nil && c.amqpKeyFile == nil)
    }

    @Test func amqpKeysAreRead() throws {
        let c = try configuration(
            """
            {"messaging_backend": "amqp", "amqp_url": "amqps://kiln@mq.example.com/odcs", "amqp_exchange": "kiln",
             "amqp_ca_cert": "/etc/kiln/ca.pem", "amqp_cert_file": "/etc/kiln/c.pem", "amqp_key_file":
                 "/etc/kiln/k.pem"}
            """)
        #expect(c.messagingBackend == .amqp)
        #expect(c.amqpURL == "amqps://kiln@mq.example.com/odcs")
        #expect(c.amqpExchange == "kiln")
        #expect(c.amqpCACert == "/etc/kiln/ca.pem")
        #expect(c.amqpCertFile == "/etc/kiln/c.pem")
        #expect(c.amqpKeyFile == "/etc/kiln/k.pem")
    }

    @Test func odcsEmptyBackendMeansNone() throws {
        #expect(try configuration(#"{"messaging_backend": ""}"#).messagingBackend == .none)
        #expect(try configuration(#"{"messaging_backend": "none"}"#).messagingBackend == .none)
    }

    @Test(arguments: [
        (
            #"{"messaging_backend": "kafka"}"#,
            "configuration key messaging_backend: Unknown messaging backend kafka (amqp or none)"
        ),
        (#"{"amqp_url": "http://mq/"}"#, "configuration key amqp_url: must start with amqp:// or amqps://"),
        (
            #"{"amqp_cert_file": "/c.pem"}"#,
            "configuration key amqp_key_file: amqp_cert_file and amqp_key_file go together"
        ),
        (
            #"{"amqp_key_file": "/k.pem"}"#,
            "configuration key amqp_cert_file: amqp_cert_file and amqp_key_file go together"
        ),
        (#"{"amqp_exchange": 5}"#, "configuration key amqp_exchange: must be a string"),
    ])
    func badValuesNameTheKey(_ c: (String, String)) {
        #expect {
            try configuration(c.0)
        } throws: { error in
            "\(error)" == c.1
        }
    }

    @Test func environmentOverridesTheFile() throws {
        let path = "/tmp/kiln-messaging-config-\(getpid()).json"
        let file = try #require(fopen(path, "w"))
        fputs(#"{"messaging_backend": "none", "amqp_exchange": "from-file"}"#, file)
        fclose(file)
        defer { unlink(path) }
        let c = try KilnConfiguration.load(
            path: path, environment: ["KILN_MESSAGING_BACKEND": "amqp", "KILN_AMQP_URL": "amqp://h:1/"])
        #expect(c.messagingBackend == .amqp)
        #expect(c.amqpURL == "amqp://h:1/")
        #expect(c.amqpExchange == "from-file")
    }
}
