public import KilnCore

/// How long generation takes, kept as a histogram in `generation_durations` (one row per final state and bucket) so
/// the metrics of any responder show every generator's figures, and they only ever count up.
extension GenerationStore {
    /// The states a generation ends in, each a series of the histogram.
    public static let durationStates: [ComposeState] = [.done, .failed]

    /// Adds one generation of compose `id`, `seconds` long, that ended in `state` (done or failed), in the caller's
    /// transaction: to the histogram, and as a row of `generation_times` for the generation-time report.
    @available(*, noasync, message: "libpq blocks")
    static func recordDuration(_ c: PGConnection, id: Int64, state: ComposeState, seconds: Double)
        throws(KilnStoreError)
    {
        guard durationStates.contains(state) else { return }
        let histogram = Histogram(bounds: Histogram.generationSeconds)
        let value = seconds.isFinite ? max(0, seconds) : 0
        let bound = histogram.bound(ofBucket: histogram.bucket(for: value))
        try c.query(
            """
            INSERT INTO generation_durations (state, le, count, sum_seconds)
            VALUES (\(state.rawValue), \(bound.isFinite ? "\(bound)" : "Infinity")::float8, 1, \("\(value)")::float8)
            ON CONFLICT (state, le) DO UPDATE SET count = generation_durations.count + 1,
                sum_seconds = generation_durations.sum_seconds + excluded.sum_seconds
            """)
        try c.query(
            """
            INSERT INTO generation_times (compose_id, finished_at, state, seconds)
            VALUES (\(id), now() AT TIME ZONE 'utc', \(literal: state.rawValue), \("\(value)")::float8)
            """)
    }

    /// The histogram of each state in `durationStates` (empty ones included), in `Histogram.generationSeconds`
    /// buckets.
    @available(*, noasync, message: "libpq blocks")
    public static func durations(_ c: PGConnection) throws(KilnStoreError) -> [ComposeState: Histogram] {
        var out: [ComposeState: Histogram] = [:]
        for state in durationStates { out[state] = Histogram(bounds: Histogram.generationSeconds) }
        let r = try c.query("SELECT state, le, count, sum_seconds FROM generation_durations ORDER BY state, le")
        for row in r.rows {
            guard let state = ComposeState(rawValue: try row.decode("state")), out[state] != nil else { continue }
            out[state]!.add(
                count: try row.decode("count"), sum: try row.decode("sum_seconds"),
                countedAtOrBelow: try row.decode("le"))
        }
        return out
    }
}
