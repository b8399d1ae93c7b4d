using System.Globalization;
using Maran.Instrument.Diagnostics;

namespace Maran.Instrument.Alerts;

/// <summary>
/// A forecast rule's condition: each series has its own trend (a <see cref="LinearTrend"/>, or a <see cref="HoltTrend"/>
/// with <c>method: holt</c>), and the condition holds while the value already compares true with the limit, or while
/// the trend is real (its slope differs from zero at the 99% level) and reaches the limit within the horizon and no
/// further ahead than the history learnt goes back. The comparison says which way: <c>&gt;</c> (default) forecasts a rise above the limit, <c>&lt;</c> a fall below it.
/// </summary>
internal sealed class ForecastCondition(AlertRule rule) : AlertCondition
{
    private readonly Dictionary<string, ITrend> _series = new(StringComparer.Ordinal);
    private readonly HashSet<string> _leftOut = new(StringComparer.Ordinal);

    public override bool Holds(string fingerprint, AlertSample sample, DateTimeOffset now, out AlertVariables? variables)
    {
        variables = null;
        if (!_series.TryGetValue(fingerprint, out ITrend? trend))
        {
            if (_series.Count >= MaxSeries)
            {
                if (_leftOut.Add(fingerprint))
                {
                    MonitoringDiagnostics.Drop("forecast series");
                }

                return false;
            }

            trend = rule.Method == ForecastMethod.Holt ? new HoltTrend(rule.Lookback) : new LinearTrend(rule.Lookback);
            _series.Add(fingerprint, trend);
        }

        trend.Add(now, sample.Value);
        double limit = rule.Limit ?? 0;
        double horizon = rule.Horizon.TotalSeconds;
        variables = new AlertVariables()
            .Set(AlertVariables.Limit, limit)
            .Set(AlertVariables.ForecastRange, "not yet known (too few points for a trend)");
        bool rising = rule.Comparison is AlertComparison.GreaterThan or AlertComparison.GreaterThanOrEqual;
        double? eta = null;
        if (rule.Comparison.Holds(sample.Value, limit))
        {
            eta = 0;
        }

        if (trend.Forecast() is { } fit)
        {
            double expected = fit.ValueAt(horizon);
            double margin = fit.PredictionHalfWidth(horizon);
            variables
                .Set(AlertVariables.Forecast, expected)
                .Set(AlertVariables.ForecastLower, expected - margin)
                .Set(AlertVariables.ForecastUpper, expected + margin)
                .Set(AlertVariables.ForecastMargin, margin)
                .Set(AlertVariables.ForecastRange, string.Create(CultureInfo.InvariantCulture,
                    $"{AlertTemplate.FormatNumber(expected)} ± {AlertTemplate.FormatNumber(margin)} in {AlertRuleValidator.ShortDuration(rule.Horizon)} (95%, {AlertRuleValidator.MethodName(rule.Method)})"))
                .Set(AlertVariables.TrendPerHour, fit.Slope * 3600);
            bool towards = rising ? fit.Slope > 0 : fit.Slope < 0;
            if (eta is null && towards && fit.HasTrend)
            {
                // Rounded to the millisecond, so floating-point noise does not move the ETA across a minute.
                double seconds = Math.Round(Math.Max(0, (limit - fit.Level) / fit.Slope), 3);
                if (seconds <= Math.Min(horizon, fit.Span))
                {
                    eta = seconds;
                }
            }
        }

        if (eta is not { } etaSeconds)
        {
            return false;
        }

        DateTimeOffset at = now + TimeSpan.FromSeconds(etaSeconds);
        variables
            .Set(AlertVariables.EtaSeconds, etaSeconds)
            .Set(AlertVariables.Eta, etaSeconds < 1 ? "now" : AlertRuleValidator.ShortDuration(TimeSpan.FromSeconds(Math.Ceiling(etaSeconds / 60) * 60)))
            .Set(AlertVariables.EtaTime, at.UtcDateTime.Date == now.UtcDateTime.Date
                ? at.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture) + " UTC"
                : at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC");
        return true;
    }
}
