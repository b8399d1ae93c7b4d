using System.Numerics;

namespace Maran.Instrument.Profiling;

/// <summary>
/// Bucket arithmetic for the log-linear duration histogram the recorder keeps: durations in
/// <see cref="System.Diagnostics.Stopwatch"/> ticks, exact below 16 ticks, then 8 buckets per power of two
/// (each bucket at most 12.5% wide), up to 2^45 ticks.
/// </summary>
internal static class DurationHistogram
{
    private const int SubBucketBits = 3;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int LinearLimit = SubBuckets * 2;
    private const int MaxLog = 44;

    /// <summary>Number of buckets.</summary>
    internal const int BucketCount = LinearLimit + ((MaxLog - SubBucketBits) * SubBuckets);

    /// <summary>The bucket a duration falls in. Negative durations count as zero; huge ones land in the last bucket.</summary>
    internal static int BucketOf(long ticks)
    {
        ulong value = (ulong)Math.Max(ticks, 0L);
        if (value < LinearLimit)
        {
            return (int)value;
        }

        int log = 63 - BitOperations.LeadingZeroCount(value);
        if (log > MaxLog)
        {
            return BucketCount - 1;
        }

        int sub = (int)(value >> (log - SubBucketBits)) & (SubBuckets - 1);
        return LinearLimit + ((log - SubBucketBits - 1) * SubBuckets) + sub;
    }

    /// <summary>The smallest duration, in ticks, that falls in <paramref name="bucket"/>.</summary>
    internal static long LowerBound(int bucket)
    {
        if (bucket < LinearLimit)
        {
            return bucket;
        }

        int offset = bucket - LinearLimit;
        int log = (offset / SubBuckets) + SubBucketBits + 1;
        int sub = offset % SubBuckets;
        return (long)(SubBuckets + sub) << (log - SubBucketBits);
    }

    /// <summary>The first duration, in ticks, past <paramref name="bucket"/>.</summary>
    internal static long UpperBound(int bucket) =>
        bucket == BucketCount - 1 ? long.MaxValue : LowerBound(bucket + 1);

    /// <summary>
    /// The duration at quantile <paramref name="q"/> (0..1) of the counts, interpolated within its bucket and
    /// never above <paramref name="maxTicks"/>. Zero when there are no counts.
    /// </summary>
    internal static double Quantile(ReadOnlySpan<long> buckets, long total, double q, long maxTicks)
    {
        if (total <= 0)
        {
            return 0;
        }

        double rank = Math.Max(1, Math.Ceiling(q * total));
        long seen = 0;
        for (int i = 0; i < buckets.Length; i++)
        {
            long count = buckets[i];
            if (count == 0)
            {
                continue;
            }

            if (seen + count >= rank)
            {
                double lower = LowerBound(i);
                double upper = Math.Min(UpperBound(i), (double)maxTicks + 1);
                double within = (rank - seen) / count;
                return Math.Min(lower + ((upper - lower) * within), maxTicks);
            }

            seen += count;
        }

        return maxTicks;
    }
}
