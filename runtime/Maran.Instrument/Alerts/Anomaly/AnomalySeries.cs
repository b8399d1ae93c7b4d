using Maran.Instrument.Anomaly;

namespace Maran.Instrument.Alerts;

/// <summary>
/// One series an anomaly rule watches: its detector, its latest score and the last <see cref="TrailLength"/> points
/// (value, band, score), which the dashboard draws. Constant memory per series.
/// </summary>
internal sealed class AnomalySeries
{
    /// <summary>Points kept for the dashboard's chart.</summary>
    internal const int TrailLength = 120;

    private readonly AnomalyDetector _detector = new();
    private readonly AnomalyPoint[] _trail = new AnomalyPoint[TrailLength];
    private int _next;
    private int _count;

    public AnomalySeries(AlertRule rule, IReadOnlyDictionary<string, string>? labels)
    {
        Rule = rule;
        Labels = labels is null
            ? new SortedDictionary<string, string>(StringComparer.Ordinal)
            : new SortedDictionary<string, string>(labels.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        Name = Labels.Count == 0 ? rule.Metric : $"{rule.Metric}{{{string.Join(",", Labels.Select(static p => p.Key + "=" + p.Value))}}}";
    }

    /// <summary>The rule watching the series.</summary>
    public AlertRule Rule { get; }

    /// <summary>The series' own labels (operation and component, a GPU, a custom metric's labels).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>The metric and labels, as <c>operation_p95_ms{component=model,operation=generate}</c>: the <c>series</c> label of <c>maran_anomaly_score</c>.</summary>
    public string Name { get; }

    /// <summary>The latest point; null before the first.</summary>
    public AnomalyPoint? Latest => _count == 0 ? null : _trail[(_next + TrailLength - 1) % TrailLength];

    /// <summary>The kept points, oldest first.</summary>
    public AnomalyPoint[] Trail()
    {
        var points = new AnomalyPoint[_count];
        for (int i = 0; i < _count; i++)
        {
            points[i] = _trail[(_next - _count + i + TrailLength) % TrailLength];
        }

        return points;
    }

    /// <summary>Scores the point and keeps it; <see cref="double.NaN"/> is a missing point.</summary>
    public AnomalyScore Observe(DateTimeOffset now, double value)
    {
        AnomalyScore score = _detector.Observe(now, value);
        _trail[_next] = new AnomalyPoint(now, score.Value, score.Expected, score.Lower, score.Upper, score.Score, Anomalous(score));
        _next = (_next + 1) % TrailLength;
        _count = Math.Min(_count + 1, TrailLength);
        return score;
    }

    private bool Anomalous(AnomalyScore score) =>
        double.IsFinite(score.Value) && score.Score >= Rule.MinScore && Rule.Direction switch
        {
            AnomalyDirection.Above => score.IsAbove,
            AnomalyDirection.Below => score.IsBelow,
            _ => true,
        };
}

/// <summary>One scored point of a watched series.</summary>
/// <param name="At">The evaluation it was taken at.</param>
/// <param name="Value">The observed value; NaN for a missing point.</param>
/// <param name="Expected">What the detector expected.</param>
/// <param name="Lower">Lower edge of the expected band.</param>
/// <param name="Upper">Upper edge of the expected band.</param>
/// <param name="Score">The anomaly score, 0 to 1.</param>
/// <param name="Anomalous">Whether the rule counts the point as anomalous (score and direction).</param>
internal readonly record struct AnomalyPoint(DateTimeOffset At, double Value, double Expected, double Lower, double Upper, double Score, bool Anomalous);
