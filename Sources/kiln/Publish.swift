import ArgumentParser
import KilnJobs

#if canImport(Glibc)
    import Glibc
    import KilnConfiguration
#endif

extension Kiln {
    struct Publish: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deliver the message outbox to the message bus (AMQP, fedora-messaging format).",
            discussion: """
                Sends every undelivered outbox message, oldest first, and marks each delivered once the broker has \
                confirmed it. Exits 1 when the broker (or the database) cannot be reached; the messages stay in the \
                outbox for the next run. Only one publisher runs at a time; another run finding it busy does nothing.
                """)

        @OptionGroup var options: GlobalOptions

        @Flag(help: "Keep running: deliver new messages as they are written, and wait out broker outages.")
        var follow = false

        @Option(help: "Messages published before waiting for the broker's confirms.")
        var batchSize = 500

        func validate() throws {
            guard (1...10_000).contains(batchSize) else { throw ValidationError("--batch-size must be 1 to 10000") }
        }

        func run() throws {
            let configuration = try options.load()
            let logger = options.logger(configuration, label: "kiln.publish")
            let job = PublishJob(configuration: configuration, logger: logger, batchSize: batchSize)
            if follow {
                if configuration.messagingBackend == .none {
                    print("messaging_backend is none: messages stay in the outbox; nothing to follow")
                }
                job.follow()
            }
            let outcome: PublishJob.Outcome
            do {
                outcome = try job.runOnce()
            } catch let failure as PublishJob.Failure {
                printToStandardError("kiln publish: \(failure)")
                throw ExitCode.failure
            } catch {
                printToStandardError("kiln publish: \(String(reflecting: error))")
                throw ExitCode.failure
            }
            switch outcome {
            case .delivered(let count, let waiting, let seconds):
                let rate = seconds > 0 ? Int((Double(count) / seconds).rounded()) : 0
                print(
                    "delivered \(count) messages to exchange \(configuration.amqpExchange) in \(formatted(seconds)) s "
                        + "(\(rate) messages/s); still waiting: \(waiting)"
                )
            case .disabled(let waiting):
                print(
                    "messaging_backend is none: nothing delivered; undelivered messages stay in the outbox: \(waiting)")
            case .busy:
                print("another kiln publish is running (it holds the publisher lock); nothing done")
            }
        }

        private func formatted(_ seconds: Double) -> String {
            let hundredths = Int((seconds * 100).rounded())
            return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
        }
    }
}

/// One line on file descriptor 2.
private func printToStandardError(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    bytes.withUnsafeBytes { raw in _ = write(2, raw.baseAddress, raw.count) }
}
