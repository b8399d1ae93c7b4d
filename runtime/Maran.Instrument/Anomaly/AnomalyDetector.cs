namespace Maran.Instrument;

/// <summary>
/// A streaming anomaly detector for one series: each point is scored before the next is seen, with constant memory and
/// constant work per point, and no training run.
/// </summary>
/// <remarks>
/// Not thread-safe: one detector watches one series and is fed from one thread (the alert evaluator, the NAB runner).
/// A point whose value is <see cref="double.NaN"/> is a missing point: it is scored 0 and teaches nothing.
/// </remarks>
public sealed class AnomalyDetector
{
    private const int WarmUpPoints = 30;
    private const double Alpha = 0.05;
    private const double BandSigmas = 3;

    private long _count;
    private double _mean;
    private double _variance;

    /// <summary>Points seen so far, missing ones included.</summary>
    public long Count => _count;

    /// <summary>Scores one point of the series and learns from it.</summary>
    /// <param name="timestamp">When the point was taken; points arrive in time order.</param>
    /// <param name="value">The value, or <see cref="double.NaN"/> for a missing point.</param>
    public AnomalyScore Observe(DateTimeOffset timestamp, double value)
    {
        _count++;
        var sigma = Math.Sqrt(_variance);
        if (!double.IsFinite(value))
        {
            return new AnomalyScore(0, double.NaN, _mean, _mean - BandSigmas * sigma, _mean + BandSigmas * sigma);
        }

        var score = 0.0;
        if (_count > WarmUpPoints)
        {
            var z = sigma > 0 ? Math.Abs(value - _mean) / sigma : (value == _mean ? 0 : double.PositiveInfinity);
            score = z <= 1 ? 0 : Math.Min(1, (z - 1) / (BandSigmas * 2 - 1));
        }

        var result = new AnomalyScore(score, value, _mean, _mean - BandSigmas * sigma, _mean + BandSigmas * sigma);
        if (_count == 1)
        {
            _mean = value;
        }
        else
        {
            var delta = value - _mean;
            _mean += Alpha * delta;
            _variance = (1 - Alpha) * (_variance + Alpha * delta * delta);
        }

        return result;
    }
}
