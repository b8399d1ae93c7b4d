using Maran.Instrument.Anomaly;
using Maran.Instrument.Diagnostics;

namespace Maran.Instrument.Alerts;

/// <summary>
/// An anomaly rule's condition: each series has its own <see cref="AnomalyDetector"/>, fed one point per evaluation
/// (a series that reports nothing is fed a missing point), and the condition holds while the score is at least the
/// rule's <c>min_score</c> on the side its <c>direction</c> names.
/// </summary>
internal sealed class AnomalyCondition(AlertRule rule) : AlertCondition
{
    private readonly Dictionary<string, AnomalySeries> _series = new(StringComparer.Ordinal);
    private readonly HashSet<string> _leftOut = new(StringComparer.Ordinal);

    /// <summary>The series this rule watches, with their latest scores and recent points.</summary>
    public IEnumerable<AnomalySeries> Series => _series.Values;

    public override bool Holds(string fingerprint, AlertSample sample, DateTimeOffset now, out AlertVariables? variables)
    {
        variables = null;
        if (!_series.TryGetValue(fingerprint, out AnomalySeries? series))
        {
            if (_series.Count >= MaxSeries)
            {
                if (_leftOut.Add(fingerprint))
                {
                    MonitoringDiagnostics.Drop("anomaly series");
                }

                return false;
            }

            series = new AnomalySeries(rule, sample.Labels);
            _series.Add(fingerprint, series);
        }

        AnomalyScore score = series.Observe(now, sample.Value);
        variables = new AlertVariables()
            .Set(AlertVariables.Score, score.Score)
            .Set(AlertVariables.Expected, score.Expected)
            .Set(AlertVariables.Lower, score.Lower)
            .Set(AlertVariables.Upper, score.Upper);
        return series.Latest is { Anomalous: true };
    }

    public override void EndEvaluation(IReadOnlySet<string> reported, DateTimeOffset now)
    {
        foreach ((string fingerprint, AnomalySeries series) in _series)
        {
            if (!reported.Contains(fingerprint))
            {
                series.Observe(now, double.NaN);
            }
        }
    }
}
