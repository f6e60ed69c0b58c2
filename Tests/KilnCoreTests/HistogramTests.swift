import Testing

@testable import KilnCore

/// Fixed-bucket histograms as Prometheus reads them: cumulative buckets, `+Inf`, sum and count.
@Suite struct HistogramTests {
    @Test func observationsLandInTheFirstBucketWhoseBoundHoldsThem() {
        var h = Histogram(bounds: [1, 5, 10])
        for v in [0.5, 1, 1.5, 5, 9.99, 10, 10.01, 1000] { h.observe(v) }
        #expect(h.counts == [2, 2, 2, 2])
        #expect(h.count == 8)
        #expect(h.sum == 0.5 + 1 + 1.5 + 5 + 9.99 + 10 + 10.01 + 1000)
        #expect(h.bucket(for: 0) == 0)
        #expect(h.bound(ofBucket: 2) == 10)
        #expect(h.bound(ofBucket: 3) == .infinity)
    }

    @Test func negativeAndNonFiniteObservationsCountAsZero() {
        var h = Histogram(bounds: [1])
        h.observe(-3)
        h.observe(.nan)
        h.observe(.infinity)
        #expect(h.counts == [3, 0])
        #expect(h.sum == 0)
    }

    @Test func samplesAreCumulativeAndEndWithSumAndCount() {
        var h = Histogram(bounds: [0.5, 2])
        h.observe(0.25)
        h.observe(3)
        #expect(
            h.samples(name: "x_seconds", labels: #"state="done""#) == """
                x_seconds_bucket{state="done",le="0.5"} 1
                x_seconds_bucket{state="done",le="2.0"} 1
                x_seconds_bucket{state="done",le="+Inf"} 2
                x_seconds_sum{state="done"} 3.25
                x_seconds_count{state="done"} 2

                """)
        #expect(
            Histogram(bounds: [1]).samples(name: "y", labels: "")
                == "y_bucket{le=\"1.0\"} 0\ny_bucket{le=\"+Inf\"} 0\ny_sum 0.0\ny_count 0\n")
    }

    @Test func storedCountsFromOtherBucketsNeverLandBelowTheirBound() {
        var h = Histogram(bounds: [1, 5, 10])
        h.add(count: 3, sum: 12, countedAtOrBelow: 5)
        h.add(count: 1, sum: 6, countedAtOrBelow: 7)
        h.add(count: 2, sum: 400, countedAtOrBelow: .infinity)
        #expect(h.counts == [0, 3, 1, 2])
        #expect(h.sum == 418)
    }

    @Test func theFixedBucketsAscend() {
        for bounds in [Histogram.requestSeconds, Histogram.generationSeconds] {
            #expect(bounds == bounds.sorted() && Set(bounds).count == bounds.count && bounds.allSatisfy { $0 > 0 })
        }
    }
}
