public import KilnCore

extension ReportStore {
    /// How long volume readings are kept: a report covers at most `ReportQuery.maximumDays` (366) days, so a year's
    /// report can always be drawn, and a little over a year of readings (one per `kiln expire` run, every minute
    /// under the shipped timer: about 580,000 rows) stays small.
    public static let volumeReadingDays = 400

    /// Records one reading of the compose volume and deletes those older than `volumeReadingDays`, in one
    /// transaction. `composeBytes` is what the composes' own files hold (done, failed and generating).
    @available(*, noasync, message: "libpq blocks")
    public func recordVolume(_ space: DiskSpace, composeBytes: Int64) throws {
        try connection.withTransaction { c in
            try c.query(
                """
                INSERT INTO volume_readings (free_bytes, total_bytes, compose_bytes)
                VALUES (\(max(0, space.freeBytes)), \(max(0, space.totalBytes)), \(max(0, composeBytes)))
                """)
            try c.query(
                """
                DELETE FROM volume_readings
                WHERE taken_at < now() AT TIME ZONE 'utc' - make_interval(days => \(literal: Self.volumeReadingDays))
                """)
        }
    }
}
