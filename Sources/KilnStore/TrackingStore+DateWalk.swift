internal import KilnCore

extension TrackingStore {
    /// How the page query of a compose list ordered by date first (the default, newest first) reaches its composes,
    /// when one filter has link rows that carry the compose date (migration 0008): it walks that filter's rows in date
    /// order, within the list's `date_after`/`date_before` bounds, and stops once the page is full, whatever the number
    /// of matches. Only lists without field filters walk: a field filter may have an index of its own that finds its
    /// few composes faster (an exact `id`, a release). Any other list reads `cts_composes` with every filter as a
    /// condition.
    enum DateWalk: Equatable {
        /// Through the rows of the first required tag.
        case tag(String)
        /// Through the rows of the RPMs an `rpm_nvr` filter names (one per arch, and per epoch when none is given).
        case rpms([Int64])
        /// Nothing to walk: no compose holds the `rpm_nvr` build (no such RPM is known), so the list is empty.
        case nothing

        /// Beyond this many RPMs (one merged index walk each), the `rpm_nvr` filter stays a plain condition.
        static let maximumRPMs = 64

        /// The `FROM` clause: the walked rows as `m (compose_date, compose_key)` in the list's date direction, each
        /// compose once, joined to `cts_composes c`. The page query's `LIMIT` then stops the walk early: PostgreSQL
        /// sorts only composes of the same date (by the rest of the order) and looks up only the composes it reads.
        func from(_ query: TrackedComposeQuery) -> SQLQuery {
            let direction: SQLQuery = query.order.first?.descending == false ? "ASC" : "DESC"
            let walked: SQLQuery
            switch self {
            case .tag(let name):
                walked = """
                    SELECT ct.compose_date, ct.compose_id AS compose_key FROM cts_compose_tags ct
                    WHERE ct.tag_id = (SELECT t.id FROM cts_tags t WHERE t.name = \(name))\(
                        inline: TrackingStore.dateBounds(query, on: "ct.compose_date"))
                    ORDER BY ct.compose_date \(inline: direction), ct.compose_id \(inline: direction)
                    """
            case .rpms(let ids):
                // One index range per RPM, each compose once (an RPM is listed in several trees), merged in date order.
                // A compose holding several of the RPMs (its binary and source arches) comes from the first range
                // only: the later ones skip it with a probe of the earlier ranges (OFFSET 0 keeps the probe per row, so
                // a page reads only the rows before it; as a join it would read every row of the earlier ranges).
                walked = ids.indices.map { i -> SQLQuery in
                    var range: SQLQuery =
                        "SELECT DISTINCT cr.compose_date, cr.compose_key FROM cts_compose_rpms cr"
                        + " WHERE cr.rpm_id = \(String(ids[i]))::bigint"
                        + TrackingStore.dateBounds(query, on: "cr.compose_date")
                    if i > 0 {
                        let earlier = PGArray.text(ids[..<i].map { String($0) })
                        range += """
                             AND NOT EXISTS (SELECT FROM cts_compose_rpms e WHERE e.rpm_id = ANY(\(earlier)::bigint[])
                                AND e.compose_date = cr.compose_date AND e.compose_key = cr.compose_key OFFSET 0)
                            """
                    }
                    return """
                        (\(inline: range)
                            ORDER BY cr.compose_date \(inline: direction), cr.compose_key \(inline: direction))
                        """
                }.joined(separator: " UNION ALL ")
            case .nothing:
                walked = "SELECT NULL::varchar AS compose_date, NULL::bigint AS compose_key WHERE false"
            }
            return "(\(inline: walked)) m JOIN cts_composes c ON c.id = m.compose_key"
        }
    }

    /// The walk for `query`'s page; nil to read `cts_composes`.
    @available(*, noasync, message: "libpq blocks")
    func dateWalk(for query: TrackedComposeQuery) throws(KilnStoreError) -> DateWalk? {
        guard query.order.first?.field == .date, query.filters.isEmpty else { return nil }
        if let nvr = query.rpmNVR {
            let r = try connection.query(
                "SELECT r.id FROM cts_rpms r WHERE \(inline: Self.nvrMatch(nvr)) ORDER BY r.id")
            if r.rowCount == 0 { return .nothing }
            if r.rowCount <= DateWalk.maximumRPMs {
                var ids: [Int64] = []
                for row in r.rows { ids.append(try row.decode("id")) }
                return .rpms(ids)
            }
        }
        if query.rpmName == nil, case .tags(let required, _)? = query.tagFilter, let first = required.first {
            return .tag(first)
        }
        return nil
    }
}
