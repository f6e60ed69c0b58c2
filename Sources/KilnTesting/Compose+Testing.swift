public import KilnCore

extension Compose {
    /// A compose as a test submits it: the times are placeholders the store replaces when it inserts the row.
    public static func submitted(by owner: String, _ sourceType: SourceType, source: String) -> Compose {
        Compose(
            owner: owner, sourceType: sourceType, source: source, timeToExpire: Timestamp(secondsSinceEpoch: 0),
            timeSubmitted: Timestamp(secondsSinceEpoch: 0))
    }
}
