namespace Maran.Instrument.Alerts;

/// <summary>
/// A straight line fitted to one series by exponentially weighted least squares: a point <c>Δt</c> older than the
/// newest weighs <c>exp(-Δt / lookback)</c>. Six running sums, updated in constant time per point, with the time
/// axis re-centred on the newest point so the sums stay small. Gives the level now, the slope, and the standard
/// errors of both from the weighted residuals (with the weights' effective number of points, Kish's n = (Σw)² / Σw²).
/// </summary>
internal sealed class LinearTrend(TimeSpan lookback) : ITrend
{
    private readonly double _tau = lookback.TotalSeconds;
    private DateTimeOffset _first;
    private DateTimeOffset _last;
    private bool _any;
    private double _w;
    private double _w2;
    private double _x;
    private double _xx;
    private double _y;
    private double _xy;
    private double _yy;

    /// <summary>Points fitted so far.</summary>
    public long Count { get; private set; }

    /// <summary>Adds a point; a point not after the last one, or not finite, is ignored.</summary>
    public void Add(DateTimeOffset at, double value)
    {
        if (!double.IsFinite(value) || (_any && at <= _last))
        {
            return;
        }

        if (_any)
        {
            // Age every point by c seconds: the weights decay and x (seconds relative to the newest point) shifts by -c.
            double c = (at - _last).TotalSeconds;
            double d = Math.Exp(-c / _tau);
            double w = _w * d, x = _x * d, xx = _xx * d, y = _y * d, xy = _xy * d, yy = _yy * d;
            _xx = xx - (2 * c * x) + (c * c * w);
            _x = x - (c * w);
            _xy = xy - (c * y);
            _w = w;
            _w2 *= d * d;
            _y = y;
            _yy = yy;
        }

        if (!_any)
        {
            _first = at;
        }

        _w += 1;
        _w2 += 1;
        _y += value;
        _yy += value * value;
        _last = at;
        _any = true;
        Count++;
    }

    /// <summary>Effective points a fit needs: fewer say too little about a trend to forecast from.</summary>
    internal const int MinPoints = 10;

    public ITrendForecast? Forecast() => Fit();

    /// <summary>The fit now, or null while it has fewer than <see cref="MinPoints"/> effective points or no spread in time.</summary>
    public TrendFit? Fit()
    {
        if (!_any || Count < MinPoints)
        {
            return null;
        }

        double n = _w * _w / _w2;
        double meanX = _x / _w;
        double meanY = _y / _w;
        double sxx = _xx - (_x * meanX);
        if (n < MinPoints || sxx <= 0)
        {
            return null;
        }

        double sxy = _xy - (_x * meanY);
        double syy = _yy - (_y * meanY);
        double slope = sxy / sxx;
        double level = meanY - (slope * meanX);
        double residual = Math.Max(0, syy - (slope * sxy)) / _w;

        // The weighted mean square residual, scaled to an unbiased variance for n effective points and two fitted parameters.
        double variance = residual * n / (n - 2);
        double slopeError = Math.Sqrt(variance / (sxx / _w * n));
        return new TrendFit(_last, level, slope, Math.Sqrt(variance), slopeError, n, meanX, sxx / _w, (_last - _first).TotalSeconds);
    }
}

/// <summary>A fitted line: the level at <see cref="At"/>, the slope per second and their uncertainty.</summary>
/// <param name="At">The newest point's time, where x is 0.</param>
/// <param name="Level">The fitted value at <see cref="At"/>.</param>
/// <param name="Slope">The fitted change per second.</param>
/// <param name="Sigma">The residuals' standard deviation.</param>
/// <param name="SlopeError">The slope's standard error.</param>
/// <param name="Points">The effective number of points.</param>
/// <param name="MeanX">The weighted mean time, in seconds relative to <see cref="At"/> (negative).</param>
/// <param name="VarianceX">The weighted variance of the times, in seconds squared.</param>
/// <param name="Span">Seconds from the first point fitted to the newest: how far back the history goes.</param>
internal readonly record struct TrendFit(DateTimeOffset At, double Level, double Slope, double Sigma, double SlopeError, double Points, double MeanX, double VarianceX, double Span) : ITrendForecast
{
    /// <summary>The two-sided 99% normal quantile, for the slope's significance: a forecast alert is tested at every evaluation, so it asks for more than 95%.</summary>
    internal const double Z99 = 2.575829;

    /// <summary>The two-sided 95% normal quantile.</summary>
    internal const double Z95 = 1.959964;

    /// <summary>The two-sided 95% quantile of Student's t with n - 2 degrees of freedom.</summary>
    public double T95 => StudentT(Z95, Points - 2);

    /// <summary>The two-sided 99% quantile of Student's t with n - 2 degrees of freedom.</summary>
    public double T99 => StudentT(Z99, Points - 2);

    /// <summary>The fitted value <paramref name="seconds"/> after <see cref="At"/>.</summary>
    public double ValueAt(double seconds) => Level + (Slope * seconds);

    /// <summary>Half the width of the 95% prediction interval of one value <paramref name="seconds"/> after <see cref="At"/>.</summary>
    public double PredictionHalfWidth(double seconds)
    {
        double offset = seconds - MeanX;
        return T95 * Sigma * Math.Sqrt(1 + (1 / Points) + (offset * offset / (VarianceX * Points)));
    }

    /// <summary>Whether the slope differs from zero at the 99% level.</summary>
    public bool HasTrend => Math.Abs(Slope) > T99 * SlopeError;

    // Student's t quantile from the normal one by the Cornish-Fisher expansion: within 1% from 8 degrees of freedom up.
    private static double StudentT(double z, double degrees)
    {
        double df = Math.Max(1, degrees);
        return z + (((z * z * z) + z) / (4 * df)) + (((5 * Math.Pow(z, 5)) + (16 * z * z * z) + (3 * z)) / (96 * df * df));
    }
}
