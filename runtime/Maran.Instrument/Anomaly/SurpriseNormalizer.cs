namespace Maran.Instrument.Anomaly;

/// <summary>
/// Turns a deviation into evidence by comparing it with the deviations the series usually shows: the Gaussian
/// tail probability of its standard score among them, as −log10 (2 means a 1-in-100 deviation for this series).
/// </summary>
/// <remarks>
/// The usual deviations are an exponentially weighted mean and variance over about the last
/// <c>1 / <see cref="Alpha"/></c> points, so a noisy series needs a larger deviation than a quiet one; one that
/// keeps deviating becomes the usual.
/// </remarks>
internal struct SurpriseNormalizer
{
    /// <summary>Smallest weight of a new deviation: about the last thousand points count.</summary>
    private const double Alpha = 0.001;

    /// <summary>Deviations seen before evidence is given.</summary>
    private const int WarmUp = 30;

    /// <summary>Added to the spread so that a series that never deviated does not divide by zero.</summary>
    private const double SpreadFloor = 1e-3;

    private long _count;
    private double _mean;
    private double _variance;

    /// <summary>The evidence that <paramref name="deviation"/> is unusual (0 when it is not above the usual), then learns it.</summary>
    public double Observe(double deviation)
    {
        double evidence = 0;
        if (_count > WarmUp)
        {
            double standard = (deviation - _mean) / (Math.Sqrt(_variance) + SpreadFloor);
            evidence = standard > 0 ? -Math.Log10(UpperTail(standard)) : 0;
        }

        _count++;
        double alpha = Math.Max(Alpha, 1.0 / _count);
        double delta = deviation - _mean;
        _mean += alpha * delta;
        _variance = (1 - alpha) * (_variance + alpha * delta * delta);
        return evidence;
    }

    /// <summary>P(Z &gt; z) of a standard normal, by the complementary error function (relative error below 1.2e-7).</summary>
    internal static double UpperTail(double z)
    {
        double x = z / Math.Sqrt(2);
        double t = 1 / (1 + (0.5 * Math.Abs(x)));
        double poly = -0.82215223 + (t * 0.17087277);
        poly = 1.48851587 + (t * poly);
        poly = -1.13520398 + (t * poly);
        poly = 0.27886807 + (t * poly);
        poly = -0.18628806 + (t * poly);
        poly = 0.09678418 + (t * poly);
        poly = 0.37409196 + (t * poly);
        poly = 1.00002368 + (t * poly);
        double erfc = t * Math.Exp((-x * x) - 1.26551223 + (t * poly));
        double tail = 0.5 * (x >= 0 ? erfc : 2 - erfc);
        return Math.Max(tail, double.Epsilon);
    }
}
