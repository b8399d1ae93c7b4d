using Maran.Instrument.Profiling;

namespace Maran.Instrument.Tests.Profiling;

public class DurationHistogramTests
{
    [Fact]
    public void Every_duration_falls_inside_the_bounds_of_its_bucket()
    {
        var random = new Random(42);
        for (int i = 0; i < 100_000; i++)
        {
            long ticks = (long)Math.Pow(2, random.NextDouble() * 44);
            int bucket = DurationHistogram.BucketOf(ticks);
            Assert.InRange(ticks, DurationHistogram.LowerBound(bucket), DurationHistogram.UpperBound(bucket) - 1);
        }
    }

    [Fact]
    public void Buckets_are_contiguous_and_at_most_an_eighth_of_their_lower_bound_wide()
    {
        for (int bucket = 16; bucket < DurationHistogram.BucketCount - 1; bucket++)
        {
            long lower = DurationHistogram.LowerBound(bucket);
            long upper = DurationHistogram.UpperBound(bucket);
            Assert.Equal(upper, DurationHistogram.LowerBound(bucket + 1));
            Assert.True(upper - lower <= lower / 8.0, $"bucket {bucket} [{lower}, {upper}) is too wide");
        }
    }

    [Fact]
    public void Negative_and_huge_durations_land_in_the_first_and_last_buckets()
    {
        Assert.Equal(0, DurationHistogram.BucketOf(-5));
        Assert.Equal(DurationHistogram.BucketCount - 1, DurationHistogram.BucketOf(long.MaxValue));
    }

    [Fact]
    public void Quantiles_of_a_uniform_distribution_are_within_the_bucket_resolution()
    {
        var buckets = new long[DurationHistogram.BucketCount];
        const int count = 100_000;
        for (int i = 1; i <= count; i++)
        {
            buckets[DurationHistogram.BucketOf(i * 100L)]++;
        }

        foreach (double q in new[] { 0.5, 0.95, 0.99 })
        {
            double exact = q * count * 100;
            double estimate = DurationHistogram.Quantile(buckets, count, q, count * 100L);
            Assert.InRange(estimate, exact * 0.94, exact * 1.06);
        }
    }

    [Fact]
    public void A_quantile_never_exceeds_the_largest_value_seen()
    {
        var buckets = new long[DurationHistogram.BucketCount];
        buckets[DurationHistogram.BucketOf(1000)] = 10;

        Assert.True(DurationHistogram.Quantile(buckets, 10, 0.99, maxTicks: 1000) <= 1000);
        Assert.Equal(0, DurationHistogram.Quantile(new long[DurationHistogram.BucketCount], 0, 0.5, 0));
    }
}
