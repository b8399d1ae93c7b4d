namespace Maran.Instrument.Alerts;

/// <summary>How a forecast rule fits the trend it extrapolates (<c>method</c> in <c>alerts.rules</c>).</summary>
public enum ForecastMethod
{
    /// <summary>
    /// A straight line by exponentially weighted least squares over about the lookback (<c>method: linear</c>, the
    /// default): steady, and its slope's significance is tested exactly; slow to follow a trend that bends.
    /// </summary>
    Linear,

    /// <summary>
    /// Holt's double exponential smoothing (<c>method: holt</c>): a level and a trend updated at each point, following a
    /// trend that bends within about a quarter of the lookback; its forecast range is wider on a steady one.
    /// </summary>
    Holt,
}
