namespace Maran.Instrument.Alerts;

/// <summary>
/// Holt's linear trend (double exponential smoothing) over points at any spacing: a level and a slope per second,
/// each point moving the level by a share of its one-step forecast error and the slope by a share of the level's
/// change. The shares follow from time constants, so a missed evaluation weighs what the time gap says: the level's
/// is an eighth of the lookback, the slope's a quarter, so a trend that bends is followed within about a quarter of
/// the lookback. Constant memory and work per point.
/// </summary>
/// <remarks>
/// The one-step errors' variance σ² (weighted over the lookback) and the mean spacing give the h-step prediction
/// interval of the additive-error Holt model (Hyndman et al., <i>Forecasting with Exponential Smoothing</i>, 2008,
/// class 1): σ²·(1 + (h − 1)·(α² + αβh + β²h(2h − 1)/6)), with h the steps ahead, α the level's share and β = α·(the
/// slope's share). The slope is real when it exceeds 2.58 standard errors, the error being that of a weighted mean of
/// the level's changes per second (their weighted variance times the sum of the squared weights, β*/(2 − β*) once the
/// lookback is filled). Neighbouring changes are correlated, so that test alone is too lenient: the slope counts as
/// real only when the weighted linear fit over the same lookback (<see cref="LinearTrend"/>, fed alongside) also
/// finds a trend the same way. Holt then says how steep it is now.
/// </remarks>
internal sealed class HoltTrend(TimeSpan lookback) : ITrend
{
    /// <summary>Points a forecast needs: fewer say too little about a trend.</summary>
    internal const int MinPoints = LinearTrend.MinPoints;

    private readonly double _levelTau = lookback.TotalSeconds / 8;
    private readonly double _slopeTau = lookback.TotalSeconds / 4;
    private readonly LinearTrend _line = new(lookback);
    private DateTimeOffset _first;
    private DateTimeOffset _last;
    private long _count;
    private double _level;
    private double _slope;
    private double _step;
    private double _errorVariance;
    private double _changeMean;
    private double _changeVariance;
    private double _slopeWeights;

    public void Add(DateTimeOffset at, double value)
    {
        if (!double.IsFinite(value) || (_count > 0 && at <= _last))
        {
            return;
        }

        _line.Add(at, value);
        _count++;
        if (_count == 1)
        {
            _first = at;
            _level = value;
            _last = at;
            return;
        }

        // Until the time constants' shares outweigh it, each point weighs 1/n: early on the level, slope and
        // variances are plain means of what was seen, not one noisy first difference smoothed for an hour.
        double dt = (at - _last).TotalSeconds;
        double n = _count;
        double alpha = Math.Max(Share(dt, _levelTau), 1 / n);
        double beta = Math.Max(Share(dt, _slopeTau), 1 / (n - 1));
        double forecast = _level + (_slope * dt);
        double error = value - forecast;
        double level = forecast + (alpha * error);
        double change = (level - _level) / dt;
        double deviation = change - _changeMean;
        _errorVariance += beta * ((error * error) - _errorVariance);
        _changeMean += beta * deviation;
        _changeVariance = (1 - beta) * (_changeVariance + (beta * deviation * deviation));
        _slopeWeights = ((1 - beta) * (1 - beta) * _slopeWeights) + (beta * beta);
        _slope += beta * (change - _slope);
        _level = level;
        _step += beta * (dt - _step);
        _last = at;
    }

    public ITrendForecast? Forecast()
    {
        if (_count < MinPoints || _step <= 0)
        {
            return null;
        }

        double alpha = Share(_step, _levelTau);
        double beta = alpha * Share(_step, _slopeTau);
        double slopeError = Math.Sqrt(_changeVariance * _slopeWeights);
        bool lineAgrees = _line.Fit() is { HasTrend: true } line && Math.Sign(line.Slope) == Math.Sign(_slope);
        return new HoltForecast(_level, _slope, slopeError, lineAgrees, Math.Sqrt(_errorVariance), _step, alpha, beta, (_last - _first).TotalSeconds);
    }

    // The weight a point dt seconds after the previous one takes in a smoothing with time constant tau.
    private static double Share(double dt, double tau) => 1 - Math.Exp(-dt / tau);
}

/// <summary>A Holt trend now: level, slope per second, and what its prediction interval needs.</summary>
/// <param name="Level">The smoothed level at the newest point.</param>
/// <param name="Slope">The smoothed change per second.</param>
/// <param name="SlopeError">The slope's approximate standard error.</param>
/// <param name="LineAgrees">Whether the linear fit over the lookback finds a real trend of the same sign.</param>
/// <param name="Sigma">The one-step forecast errors' standard deviation.</param>
/// <param name="Step">The mean seconds between points.</param>
/// <param name="Alpha">The level's share of an error, per mean step.</param>
/// <param name="Beta">The slope's share of an error, per mean step (α times the slope's share of a level change).</param>
/// <param name="Span">Seconds from the first point to the newest.</param>
internal readonly record struct HoltForecast(double Level, double Slope, double SlopeError, bool LineAgrees, double Sigma, double Step, double Alpha, double Beta, double Span) : ITrendForecast
{
    public bool HasTrend => LineAgrees && Math.Abs(Slope) > TrendFit.Z99 * SlopeError;

    public double ValueAt(double seconds) => Level + (Slope * seconds);

    public double PredictionHalfWidth(double seconds)
    {
        double h = Math.Max(1, seconds / Step);
        double growth = (Alpha * Alpha) + (Alpha * Beta * h) + (Beta * Beta * h * ((2 * h) - 1) / 6);
        return TrendFit.Z95 * Sigma * Math.Sqrt(1 + ((h - 1) * growth));
    }
}
