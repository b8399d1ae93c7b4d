namespace Maran.Instrument.Anomaly;

/// <summary>
/// What a series does at each time of day: a fixed ring of buckets (at most <see cref="MaxBuckets"/>, one per point
/// interval), each with an exponentially weighted mean and the most surprising value seen there lately.
/// </summary>
/// <remarks>
/// Buckets are placed by the timestamp's time of day (UTC), so irregular and missing points land where they belong.
/// The profile's error is pooled over all buckets, because a bucket sees one point a day and its own spread would
/// take weeks to settle.
/// </remarks>
internal sealed class SeasonalProfile
{
    /// <summary>Most buckets a day is cut into: 5-minute buckets, 288 a day.</summary>
    public const int MaxBuckets = 288;

    /// <summary>Smallest weight of a new point in its bucket's mean: about the last ten days count.</summary>
    private const double BucketAlpha = 0.1;

    /// <summary>Weight of a new residual in the pooled error.</summary>
    private const double ErrorAlpha = 0.01;

    /// <summary>How much a bucket's remembered surprise fades at each visit: it is forgotten within a few days.</summary>
    private const double PeakDecay = 0.5;

    private const double DaySeconds = 86_400;

    private readonly double[] _mean = new double[MaxBuckets];
    private readonly int[] _seen = new int[MaxBuckets];
    private readonly int[] _days = new int[MaxBuckets];
    private readonly int[] _lastDay = new int[MaxBuckets];
    private readonly double[] _peakValue = new double[MaxBuckets];
    private readonly double[] _peakSurprise = new double[MaxBuckets];
    private int _buckets;

    /// <summary>Buckets per day, 0 until <see cref="Start"/>; 1 means the series is too coarse for a daily profile.</summary>
    public int Buckets => _buckets;

    /// <summary>Mean absolute error of the bucket means as forecasts of the next visit, over all buckets.</summary>
    public double Error { get; private set; }

    /// <summary>Cuts the day by the series' point interval.</summary>
    public void Start(double intervalSeconds) =>
        _buckets = (int)Math.Clamp(Math.Round(DaySeconds / intervalSeconds), 1, MaxBuckets);

    /// <summary>The bucket of <paramref name="timestamp"/>, or -1 when the profile is not in use.</summary>
    public int BucketOf(DateTimeOffset timestamp) =>
        _buckets > 1 ? (int)(timestamp.UtcDateTime.TimeOfDay.TotalSeconds * _buckets / DaySeconds) % _buckets : -1;

    /// <summary>
    /// True when <paramref name="bucket"/> has seen at least two days and can forecast. Days, not points: a series
    /// finer than the bucket width visits a bucket several times a day, and those points say nothing of tomorrow.
    /// </summary>
    public bool CanForecast(int bucket) => bucket >= 0 && _days[bucket] >= 2;

    /// <summary>The day number of <paramref name="timestamp"/> (UTC days since 0001-01-01), as <see cref="Learn"/> takes it.</summary>
    public static int DayOf(DateTimeOffset timestamp) => (int)(timestamp.UtcTicks / TimeSpan.TicksPerDay);

    /// <summary>The bucket's mean.</summary>
    public double MeanOf(int bucket) => _mean[bucket];

    /// <summary>The smallest distance from <paramref name="value"/> to the mean of <paramref name="bucket"/> or its neighbours.</summary>
    public double NearestMeanDistance(int bucket, double value)
    {
        double nearest = double.PositiveInfinity;
        for (int k = -1; k <= 1; k++)
        {
            int b = Wrap(bucket + k);
            if (_days[b] >= 2)
            {
                nearest = Math.Min(nearest, Math.Abs(value - _mean[b]));
            }
        }

        return nearest;
    }

    /// <summary>
    /// True when a value within <paramref name="tolerance"/> of <paramref name="value"/> was the most surprising one
    /// lately within <paramref name="span"/> buckets of this time of day: a daily job's spike, not news.
    /// </summary>
    public bool SurprisedSimilarly(int bucket, double value, double tolerance, int span)
    {
        for (int k = -span; k <= span; k++)
        {
            int b = Wrap(bucket + k);
            if (_seen[b] > 0 && Math.Abs(_peakValue[b] - value) <= tolerance)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Remembers the point's surprise in its bucket and learns its value; <paramref name="day"/> is <see cref="DayOf"/> of its timestamp.</summary>
    public void Learn(int bucket, int day, double value, double surprise)
    {
        if (_days[bucket] == 0 || _lastDay[bucket] != day)
        {
            _days[bucket] = Math.Min(_days[bucket] + 1, int.MaxValue - 1);
            _lastDay[bucket] = day;
        }

        _peakSurprise[bucket] *= PeakDecay;
        if (surprise >= _peakSurprise[bucket])
        {
            _peakSurprise[bucket] = surprise;
            _peakValue[bucket] = value;
        }

        int seen = _seen[bucket];
        if (seen == 0)
        {
            _mean[bucket] = value;
        }
        else
        {
            double residual = value - _mean[bucket];
            Error += ErrorAlpha * (Math.Abs(residual) - Error);
            _mean[bucket] += Math.Max(BucketAlpha, 1.0 / (seen + 1)) * residual;
        }

        _seen[bucket] = Math.Min(seen + 1, int.MaxValue - 1);
    }

    private int Wrap(int bucket) => ((bucket % _buckets) + _buckets) % _buckets;
}
