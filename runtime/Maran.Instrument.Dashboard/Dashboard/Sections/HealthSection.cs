using System.Globalization;
using System.Reflection;
using Maran.Instrument.Alerts;
using Maran.Instrument.Configuration;
using Maran.Instrument.Export;
using Maran.Instrument.Health;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// The health section, from the system health monitor: the score and status over time, each reading over time with
/// its threshold, the threshold violations, the GPUs (or why there are none) and the custom metrics; and, from the
/// telemetry sources, the expected band and score of each reading an anomaly rule watches, for its chart.
/// </summary>
internal sealed class HealthSection(IDashboardSource source, SystemHealthMonitor monitor, MonitoringSettings settings, ITelemetrySources telemetry, Func<IReadOnlyList<AlertRule>> rules) : DashboardSection("health", "Health")
{
    /// <summary>Samples sent as series at most (the newest); the monitor may keep more (<c>monitoring.health.history_size</c>).</summary>
    internal const int MaxPoints = 720;

    /// <summary>Violation episodes listed at most, the latest first.</summary>
    internal const int MaxEpisodes = 100;

    private static readonly string[] s_builtIn = [.. typeof(HealthMetrics)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(static f => f.IsLiteral)
        .Select(static f => (string)f.GetRawConstantValue()!)];

    private static readonly Dictionary<string, int> s_order = s_builtIn
        .Select(static (key, i) => (key, i))
        .ToDictionary(static p => p.key, static p => p.i, StringComparer.OrdinalIgnoreCase);

    public override byte[] Render(DashboardFrame frame, SectionQuery query) =>
        DashboardJson.Serialize(frame.Memo("health", Build), DashboardJson.Default.HealthView);

    /// <summary>Whether <paramref name="key"/> names one of the monitor's own readings rather than a custom metric.</summary>
    internal static bool IsBuiltIn(string key) => s_order.ContainsKey(key);

    /// <summary>Why there is no sample yet, in words.</summary>
    internal string Waiting() => source.HealthSampling
        ? string.Create(CultureInfo.InvariantCulture, $"No sample yet: the health monitor takes one every {settings.HealthCheckInterval:0.##} s (monitoring.health_check_interval).")
        : "No sample yet: the health monitor samples while the monitoring system runs (AdvancedMonitoringSystem.Start).";

    public HealthView Build(DashboardFrame frame)
    {
        HealthStatus? latest = frame.Data.Health;
        IReadOnlyList<HealthStatus> history = source.HealthHistory(frame);
        int capacity = Math.Clamp(settings.Health.HistorySize, 1, 100_000);
        if (latest is null)
        {
            return new HealthView(false, Waiting(), source.HealthSampling, settings.HealthCheckInterval, 0, capacity, null, [], null, [], new HealthSeriesView([], [], [], 0), [], []);
        }

        var thresholds = new Dictionary<string, double>(monitor.Thresholds, StringComparer.OrdinalIgnoreCase);
        HealthReadingView[] readings = [.. latest.Snapshot.Readings
            .Where(static r => r.Subject is null || !r.Subject.StartsWith("GPU ", StringComparison.Ordinal))
            .OrderBy(static r => Order(r.Key))
            .ThenBy(static r => r.Key, StringComparer.Ordinal)
            .ThenBy(static r => r.Subject, StringComparer.Ordinal)
            .Select(r => Reading(r, thresholds))];
        GpuView[] gpus = [.. latest.Snapshot.Gpus.Select(g => new GpuView(
            g.Index,
            g.Subject,
            g.Name,
            g.Uuid,
            g.Problems,
            [.. latest.Snapshot.Readings.Where(r => r.Subject == g.Subject).OrderBy(static r => Order(r.Key)).Select(r => Reading(r, thresholds))]))];

        string? note = source.HealthSampling ? null : "The health monitor is not sampling now: these are the samples it kept.";
        return new HealthView(
            true,
            note,
            source.HealthSampling,
            settings.HealthCheckInterval,
            history.Count,
            capacity,
            new HealthNowView(
                latest.Timestamp,
                latest.Score,
                latest.Status,
                [.. latest.Violations.Select(static v => new ViolationView(v.Key, v.Subject, Finite(v.Value), v.Threshold, v.Unit, v.Severity, v.Penalty))],
                latest.Unchecked,
                latest.Snapshot.Unavailable),
            readings,
            latest.Snapshot.GpuStatus,
            gpus,
            Series(history, thresholds),
            Episodes(history),
            Anomalies(history));
    }

    // The readings' charts are keyed by reading: a watched series of the same metric, with no labels but a subject at most, is drawn on it.
    private AnomalySeriesView[] Anomalies(IReadOnlyList<HealthStatus> history)
    {
        IReadOnlyList<AnomalyReading> readings = telemetry.Anomalies();
        if (readings.Count == 0)
        {
            return [];
        }

        var keys = new HashSet<string>(history.Count == 0 ? [] : history[^1].Snapshot.Readings.Select(static r => r.Key), StringComparer.Ordinal);
        return AnomalySeriesView.From(readings, rules(), r => keys.Contains(r.Metric));
    }

    private static int Order(string key) => s_order.TryGetValue(key, out int order) ? order : int.MaxValue;

    private static HealthReadingView Reading(HealthReading reading, Dictionary<string, double> thresholds)
    {
        double? threshold = thresholds.TryGetValue(reading.Key, out double t) ? t : null;
        return new HealthReadingView(
            reading.Key,
            reading.Subject,
            Finite(reading.Value),
            reading.Unit,
            threshold,
            threshold is { } limit && reading.Value > limit,
            !IsBuiltIn(reading.Key) && reading.Subject is null);
    }

    private static HealthSeriesView Series(IReadOnlyList<HealthStatus> history, Dictionary<string, double> thresholds)
    {
        int skip = Math.Max(0, history.Count - MaxPoints);
        int count = history.Count - skip;
        var times = new long[count];
        var score = new double[count];
        var groups = new Dictionary<string, (string Unit, Dictionary<string, double?[]> Subjects)>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < count; i++)
        {
            HealthStatus status = history[skip + i];
            times[i] = status.Timestamp.ToUnixTimeMilliseconds();
            score[i] = status.Score;
            foreach (HealthReading reading in status.Snapshot.Readings)
            {
                if (!groups.TryGetValue(reading.Key, out var group))
                {
                    group = (reading.Unit, new Dictionary<string, double?[]>(StringComparer.Ordinal));
                    groups[reading.Key] = group;
                }

                string subject = reading.Subject ?? string.Empty;
                if (!group.Subjects.TryGetValue(subject, out double?[]? values))
                {
                    values = new double?[count];
                    group.Subjects[subject] = values;
                }

                values[i] = Finite(reading.Value);
            }
        }

        HealthSeriesGroup[] ordered = [.. groups
            .OrderBy(static g => Order(g.Key))
            .ThenBy(static g => g.Key, StringComparer.Ordinal)
            .Select(g => new HealthSeriesGroup(
                g.Key,
                g.Value.Unit,
                thresholds.TryGetValue(g.Key, out double t) ? t : null,
                !IsBuiltIn(g.Key) && g.Value.Subjects.ContainsKey(string.Empty),
                [.. g.Value.Subjects.OrderBy(static s => s.Key, StringComparer.Ordinal).Select(static s => new HealthSubjectSeries(s.Key.Length == 0 ? null : s.Key, s.Value))]))];
        return new HealthSeriesView(times, score, ordered, skip);
    }

    private static ViolationEpisodeView[] Episodes(IReadOnlyList<HealthStatus> history)
    {
        var open = new Dictionary<(string Key, string? Subject), ViolationEpisodeView>();
        var closed = new List<ViolationEpisodeView>();
        foreach (HealthStatus status in history)
        {
            var seen = new HashSet<(string, string?)>();
            foreach (ThresholdViolation v in status.Violations)
            {
                var id = (v.Key, v.Subject);
                if (!seen.Add(id))
                {
                    continue;
                }

                double? value = Finite(v.Value);
                open[id] = open.TryGetValue(id, out ViolationEpisodeView? episode)
                    ? episode with { To = status.Timestamp, Samples = episode.Samples + 1, Peak = Max(episode.Peak, value), Threshold = v.Threshold }
                    : new ViolationEpisodeView(v.Key, v.Subject, status.Timestamp, status.Timestamp, 1, value, v.Threshold, v.Unit, Ongoing: false);
            }

            foreach (var id in open.Keys.Where(k => !seen.Contains(k)).ToList())
            {
                closed.Add(open[id]);
                open.Remove(id);
            }

            if (closed.Count > MaxEpisodes * 2)
            {
                closed.RemoveRange(0, closed.Count - MaxEpisodes);
            }
        }

        return [.. closed
            .Concat(open.Values.Select(static e => e with { Ongoing = true }))
            .OrderByDescending(static e => e.Ongoing)
            .ThenByDescending(static e => e.To)
            .ThenBy(static e => e.Key, StringComparer.Ordinal)
            .Take(MaxEpisodes)];
    }

    private static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
