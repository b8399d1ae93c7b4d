namespace Maran.Instrument.Anomaly;

/// <summary>
/// A streaming anomaly detector for one series: each point is scored before the next is seen, with constant memory and
/// constant work per point, and no training run.
/// </summary>
/// <remarks>
/// <para>
/// Each point is compared with what the series usually does: an exponentially weighted level, or, once two days are
/// known and it forecasts better, the same time of day on previous days. Its deviation, in units of the forecast's
/// usual error, is then judged against the deviations this series usually shows (a noisy series needs a larger one),
/// giving the evidence −log10 of its tail probability. Evidence is discounted when the value is one the series
/// already jumped to lately (a recurring spike, the new level after a shift) or was the surprise at this time of day
/// lately (a daily job), and after an anomaly is reported only stronger evidence is reported until about
/// <see cref="RefractoryPoints"/> points have passed. The score is <c>1 − exp(−evidence / 4)</c>: about 0.5 for a
/// deviation this series shows once in a thousand points.
/// </para>
/// <para>
/// Not thread-safe: one detector watches one series and is fed from one thread (the alert evaluator, the NAB runner).
/// A point whose value is <see cref="double.NaN"/> is a missing point: it is scored 0 and teaches nothing.
/// Memory is fixed at construction (about 12 KB, mostly the daily profile); nothing grows with the history.
/// </para>
/// </remarks>
public sealed class AnomalyDetector
{
    /// <summary>Points learnt before any score is given; the point interval is inferred from their timestamps.</summary>
    public const int WarmUpPoints = 30;

    /// <summary>Points over which the bar for reporting again falls back after an anomaly (it halves in about 20).</summary>
    public const int RefractoryPoints = 30;

    /// <summary>Smallest weight of a new point in the level and its error: about the last hundred points count.</summary>
    private const double LevelAlpha = 0.01;

    /// <summary>The daily profile replaces the level as forecast when its error is below this share of the level's.</summary>
    private const double SeasonalAdvantage = 0.8;

    /// <summary>Mean absolute deviation times this estimates a standard deviation (exact for a normal distribution).</summary>
    private const double DeviationToSigma = 1.25;

    /// <summary>Deviations are capped here (in usual errors) so that one huge spike does not hide every later one.</summary>
    private const double MaxDeviation = 20;

    /// <summary>Deviations from this size on are remembered and checked for novelty.</summary>
    private const double NoveltyDeviation = 1.5;

    /// <summary>Two values are alike when they differ by less than this share of the current point's deviation.</summary>
    private const double AlikeShare = 0.15;

    /// <summary>Buckets either side searched for a daily surprise like this one (daily jobs drift by minutes).</summary>
    private const int DailySpan = 3;

    /// <summary>Evidence kept when the same surprise happened at this time of day lately.</summary>
    private const double DailyDiscount = 0.1;

    /// <summary>Evidence that maps to a score of 1 − 1/e.</summary>
    private const double EvidenceScale = 4;

    /// <summary>Band half-width in estimated standard deviations.</summary>
    private const double BandSigmas = 3;

    private readonly SeasonalProfile _season = new();
    private readonly NoveltyMemory _novelty = new();
    private SurpriseNormalizer _surprise;

    private long _count;
    private long _learnt;
    private DateTimeOffset _last;
    private double _intervalSeconds;
    private double _level;
    private double _levelError;
    private double _bar;

    /// <summary>Points seen so far, missing ones included.</summary>
    public long Count => _count;

    /// <summary>Scores one point of the series and learns from it.</summary>
    /// <param name="timestamp">When the point was taken; points arrive in time order.</param>
    /// <param name="value">The value, or <see cref="double.NaN"/> for a missing point.</param>
    public AnomalyScore Observe(DateTimeOffset timestamp, double value)
    {
        _count++;
        InferInterval(timestamp);
        if (!double.IsFinite(value))
        {
            return new AnomalyScore(0, double.NaN, _level, Lower(_level, _levelError), Upper(_level, _levelError));
        }

        if (_season.Buckets == 0 && _learnt >= WarmUpPoints && _intervalSeconds > 0)
        {
            _season.Start(_intervalSeconds);
        }

        int bucket = _season.BucketOf(timestamp);
        double expected = _level;
        double error = _levelError;
        double floor = 1e-9 + (1e-6 * Math.Abs(_level));
        double deviation = Math.Abs(value - _level) / ((DeviationToSigma * error) + floor);
        if (_season.CanForecast(bucket) && _season.Error < SeasonalAdvantage * _levelError)
        {
            expected = _season.MeanOf(bucket);
            error = _season.Error;
            deviation = _season.NearestMeanDistance(bucket, value) / ((DeviationToSigma * error) + floor);
        }

        deviation = Math.Min(MaxDeviation, deviation);
        double evidence = _learnt >= WarmUpPoints ? _surprise.Observe(deviation) : 0;
        if (deviation >= NoveltyDeviation)
        {
            evidence = DiscountKnown(evidence, value, Math.Max(AlikeShare * Math.Abs(value - expected), 1e-12), bucket);
        }

        Learn(value, bucket, SeasonalProfile.DayOf(timestamp), deviation);
        double reported = evidence > _bar ? evidence : 0;
        _bar = Math.Max(_bar * (1 - (1.0 / RefractoryPoints)), evidence);
        double score = 1 - Math.Exp(-reported / EvidenceScale);
        return new AnomalyScore(score, value, expected, Lower(expected, error), Upper(expected, error));
    }

    private static double Lower(double expected, double error) => expected - (BandSigmas * DeviationToSigma * error);

    private static double Upper(double expected, double error) => expected + (BandSigmas * DeviationToSigma * error);

    /// <summary>The interval is the smallest positive gap among the first points (later gaps are missing points).</summary>
    private void InferInterval(DateTimeOffset timestamp)
    {
        if (_count > 1)
        {
            double gap = (timestamp - _last).TotalSeconds;
            if (gap > 0 && (_intervalSeconds == 0 || (_count <= WarmUpPoints && gap < _intervalSeconds)))
            {
                _intervalSeconds = gap;
            }
        }

        _last = timestamp;
    }

    /// <summary>Divides the evidence by one plus the number of alike surprising values lately, and by ten for a daily repeat.</summary>
    private double DiscountKnown(double evidence, double value, double tolerance, int bucket)
    {
        evidence /= 1 + _novelty.CountNear(value, tolerance);
        if (bucket >= 0 && _season.SurprisedSimilarly(bucket, value, tolerance, DailySpan))
        {
            evidence *= DailyDiscount;
        }

        _novelty.Add(value);
        return evidence;
    }

    private void Learn(double value, int bucket, int day, double deviation)
    {
        if (bucket >= 0)
        {
            _season.Learn(bucket, day, value, deviation);
        }

        if (_learnt == 0)
        {
            _level = value;
        }

        double alpha = Math.Max(LevelAlpha, 1.0 / (_learnt + 1));
        double residual = value - _level;
        _levelError += alpha * (Math.Abs(residual) - _levelError);
        _level += alpha * residual;
        _learnt++;
    }
}
