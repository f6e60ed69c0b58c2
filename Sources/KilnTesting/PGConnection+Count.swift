public import KilnStore

extension PGConnection {
    /// The `count` column of a one-row statement (`SELECT count(*) FROM ...`), for tests' checks on tables.
    @available(*, noasync, message: "libpq blocks")
    public func count(_ sql: String) throws -> Int64 { try execute(sql).value("count") }
}
