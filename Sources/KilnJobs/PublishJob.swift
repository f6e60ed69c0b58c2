internal import Foundation
public import KilnConfiguration
internal import KilnCore
internal import KilnMessaging
internal import KilnStore
public import Logging

/// `kiln publish`: delivers the outbox to the message bus. One publisher runs at a time (a PostgreSQL advisory
/// lock), sending undelivered messages in outbox id order, which keeps each compose's messages in the order its
/// state changed. A message is marked delivered only after the broker confirmed it (AMQP publisher confirms);
/// one that was published but not confirmed is published again later with the same message id (at-least-once;
/// consumers drop copies by id). While the broker is away messages simply wait in the outbox.
public struct PublishJob: Sendable {
    public let configuration: KilnConfiguration
    public let logger: Logger
    /// Messages published before waiting for the broker's confirms.
    public var batchSize: Int

    public init(configuration: KilnConfiguration, logger: Logger, batchSize: Int = 500) {
        self.configuration = configuration
        self.logger = logger
        self.batchSize = max(1, batchSize)
    }

    /// What one run did.
    public enum Outcome: Sendable, Equatable {
        /// Delivered this many messages; `waiting` were left (written while the run went on).
        case delivered(count: Int, waiting: Int64, seconds: Double)
        /// `messaging_backend` is `none`: nothing was sent; `waiting` undelivered messages stay in the outbox.
        case disabled(waiting: Int64)
        /// Another publisher holds the lock; this run did nothing.
        case busy
    }

    /// Why a run stopped early. `delivered` messages went out before it did; `waiting` are still undelivered.
    public struct Failure: Error, CustomStringConvertible {
        public var reason: String
        public var delivered: Int
        public var waiting: Int64?
        public var underlying: any Error
        public var description: String {
            var text = reason
            if delivered > 0 { text += "; delivered before that: \(delivered)" }
            if let waiting { text += "; messages waiting in the outbox for the next run: \(waiting)" }
            return text
        }
    }

    var amqp: AMQPConfiguration {
        var a = AMQPConfiguration()
        a.url = configuration.amqpURL
        a.exchange = configuration.amqpExchange
        a.caCertificateFile = configuration.amqpCACert
        a.certificateFile = configuration.amqpCertFile
        a.keyFile = configuration.amqpKeyFile
        return a
    }

    /// Delivers everything undelivered, then returns.
    @available(*, noasync, message: "blocks")
    public func runOnce() throws -> Outcome {
        let db = try PGConnection.connect(configuration.databaseURL)
        defer { db.close() }
        let store = OutboxStore(db)
        guard configuration.messagingBackend == .amqp else { return .disabled(waiting: try store.backlog()) }
        guard try store.tryLockPublisher() else { return .busy }
        let start = Date()
        let publisher: AMQPPublisher
        do {
            publisher = try AMQPPublisher.connect(amqp, logger: logger)
        } catch {
            throw Failure(reason: error.description, delivered: 0, waiting: try? store.backlog(), underlying: error)
        }
        defer { publisher.close() }
        let count = try deliverPending(store: store, publisher: publisher)
        return .delivered(count: count, waiting: try store.backlog(), seconds: Date().timeIntervalSince(start))
    }

    /// Runs until killed: delivers, then sleeps until an outbox INSERT's NOTIFY (or `idleSeconds`), reconnecting
    /// to PostgreSQL and the broker after outages.
    @available(*, noasync, message: "blocks")
    public func follow(idleSeconds: Int = 5) -> Never {
        var db: PGConnection?
        var publisher: AMQPPublisher?
        var locked = false
        var brokerDown = false
        var retryDelay: UInt32 = 1
        while true {
            do {
                if db == nil || db?.isOpen == false {
                    db?.close()
                    locked = false
                    db = try PGConnection.connect(configuration.databaseURL)
                    try db!.execute("LISTEN kiln_outbox")
                }
                let c = db!
                let store = OutboxStore(c)
                if configuration.messagingBackend == .amqp {
                    if !locked { locked = try store.tryLockPublisher() }
                    if locked {
                        if publisher == nil || publisher?.isOpen == false {
                            publisher = try AMQPPublisher.connect(amqp, logger: logger)
                            if brokerDown { logger.notice("message broker reachable again") }
                            brokerDown = false
                        }
                        let count = try deliverPending(store: store, publisher: publisher!)
                        if count > 0 { logger.info("messages delivered", metadata: ["kiln.publish.count": "\(count)"]) }
                        retryDelay = 1
                    } else {
                        logger.debug("another publisher holds the lock")
                    }
                }
                _ = try c.waitForNotification(timeoutMilliseconds: Int32(idleSeconds * 1000))
            } catch {
                publisher?.close()
                publisher = nil
                if error is KilnStoreError || (error as? Failure)?.underlying is KilnStoreError {
                    logger.error("database error", metadata: ["kiln.error": "\(String(reflecting: error))"])
                    db?.close()
                    db = nil
                } else {
                    if !brokerDown {
                        logger.warning(
                            "message broker unavailable; messages wait in the outbox",
                            metadata: ["kiln.error": "\(error)"])
                    }
                    brokerDown = true
                }
                sleep(retryDelay)
                retryDelay = min(retryDelay * 2, 30)
            }
        }
    }

    /// Publishes batches until the outbox is empty; returns how many messages the broker confirmed.
    @available(*, noasync, message: "blocks")
    func deliverPending(store: OutboxStore, publisher: AMQPPublisher) throws -> Int {
        var delivered = 0
        while true {
            let batch = try store.undelivered(limit: batchSize, topics: configuration.messagingTopics)
            if batch.isEmpty { return delivered }
            let messages = batch.map {
                FedoraMessage.make(
                    topic: $0.topic, body: $0.body, messageID: $0.messageID, sentAt: $0.createdAt,
                    usernames: $0.headers.usernames, packages: $0.headers.packages)
            }
            var confirmations = Confirmations(count: messages.count)
            var failure: AMQPError?
            do {
                try publisher.publish(messages, confirmations: &confirmations)
            } catch {
                failure = error
            }
            let acked = confirmations.acked.map { batch[$0].id }
            try store.markDelivered(ids: acked)
            delivered += acked.count
            let unconfirmed = confirmations.outcomes.indices.filter { confirmations.outcomes[$0] != .acked }.map {
                batch[$0].id
            }
            if let failure {
                try? store.recordFailure(ids: unconfirmed, error: failure.description)
                throw Failure(
                    reason: failure.description, delivered: delivered, waiting: try? store.backlog(),
                    underlying: failure)
            }
            if !unconfirmed.isEmpty {
                let reason = "the broker refused \(unconfirmed.count) messages (basic.nack)"
                try store.recordFailure(ids: unconfirmed, error: reason)
                throw Failure(
                    reason: reason, delivered: delivered, waiting: try? store.backlog(), underlying: AMQPError.nacked)
            }
        }
    }
}
