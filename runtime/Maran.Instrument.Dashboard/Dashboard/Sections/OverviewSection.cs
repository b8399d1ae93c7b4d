using System.Globalization;
using Maran.Instrument.Alerts;
using Maran.Instrument.Health;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Dashboard;

/// <summary>The overview section: its view is built once per frame and also carried by every live tick.</summary>
internal sealed class OverviewSection(AdvancedMonitoringSystem system, HealthSection health, CostsSection costs) : DashboardSection("overview", "Overview")
{
    /// <summary>Seconds the live calls-per-second figure averages over.</summary>
    internal const int RateSeconds = 10;

    /// <summary>Seconds the error rate covers.</summary>
    internal const int ErrorRateSeconds = 60;

    /// <summary>Active alerts named on the overview at most.</summary>
    internal const int TopAlerts = 3;

    public override byte[] Render(DashboardFrame frame, SectionQuery query) => frame.OverviewJson;

    /// <summary>Builds the overview of one frame.</summary>
    public OverviewView Build(DashboardFrame frame, IReadOnlyList<SectionInfo> sections, ClientsView clients)
    {
        DashboardData data = frame.Data;
        (double callsPerSecond, double errorRate, long minuteCalls, long minuteErrors) = frame.Fleet is { } fleet
            ? (fleet.CallsPerSecond, fleet.ErrorRate, fleet.CallsInWindow, fleet.ErrorsInWindow)
            : Rates(frame.Trends);
        long totalCalls = 0, totalErrors = 0, inFlight = 0;
        foreach (OperationSummary operation in data.Performance.Operations)
        {
            totalCalls += operation.Count;
            totalErrors += operation.Errors;
            inFlight += operation.InFlight;
        }

        return new OverviewView(
            data.Timestamp,
            data.IsRunning,
            Math.Round(data.UptimeSeconds, 1),
            callsPerSecond,
            errorRate,
            minuteCalls,
            minuteErrors,
            totalCalls,
            totalErrors,
            inFlight,
            data.Performance.Operations.Count,
            data.Internal.Storage,
            new InternalView(
                data.Internal.InternalErrors.Values.Sum(),
                data.Internal.Dropped.Values.Sum(),
                Largest(data.Internal.InternalErrors),
                Largest(data.Internal.Dropped)),
            clients,
            Health(data.Health),
            costs.Today(data),
            frame.Source.Elsewhere("alerts", frame) is { } elsewhere ? new OverviewAlertsView(false, elsewhere) : Alerts(data),
            sections)
        {
            Instances = frame.Fleet?.Instances,
            SourceProblem = frame.Fleet?.Problem,
        };
    }

    /// <summary>The process's live rates from its trends: calls per second over <see cref="RateSeconds"/>, errors over <see cref="ErrorRateSeconds"/>.</summary>
    private static (double CallsPerSecond, double ErrorRate, long MinuteCalls, long MinuteErrors) Rates(TrendRecorder trends)
    {
        (long rateCalls, _, double rateSeconds) = trends.Window(RateSeconds);
        (long minuteCalls, long minuteErrors, _) = trends.Window(ErrorRateSeconds);
        return (
            rateSeconds > 0 ? Math.Round(rateCalls / rateSeconds, 3) : 0,
            minuteCalls > 0 ? Math.Round((double)minuteErrors / minuteCalls, 5) : 0,
            minuteCalls,
            minuteErrors);
    }

    private OverviewHealthView Health(HealthStatus? status)
    {
        if (status is null)
        {
            return new OverviewHealthView(false, "Waiting for data: " + health.Waiting());
        }

        HealthSnapshot snapshot = status.Snapshot;
        var thresholds = new Dictionary<string, double>(system.HealthMonitor.Thresholds, StringComparer.OrdinalIgnoreCase);
        double? Threshold(string key) => thresholds.TryGetValue(key, out double t) ? t : null;
        HealthReading? Reading(string key, string? subject = null) =>
            snapshot.Readings.FirstOrDefault(r => r.Key == key && r.Subject == subject && double.IsFinite(r.Value));
        double? Value(string key, string? subject = null) => Reading(key, subject)?.Value;
        string Missing(string key, string word) =>
            snapshot.Unavailable.FirstOrDefault(u => u.Contains(key, StringComparison.OrdinalIgnoreCase) || u.Contains(word, StringComparison.Ordinal) || u.StartsWith("every", StringComparison.Ordinal))
            ?? "not read in the latest sample";

        GaugeView cpu = Value(HealthMetrics.CpuPercent) is { } cpuPercent
            ? new GaugeView(cpuPercent, Threshold(HealthMetrics.CpuPercent), null, null, null,
                Value(HealthMetrics.CpuLimitCores) is { } cores ? string.Create(CultureInfo.InvariantCulture, $"of {cores:0.##} cores") : null)
            : new GaugeView(null, Threshold(HealthMetrics.CpuPercent), null, null, null, Missing(HealthMetrics.CpuPercent, "CPU"));

        GaugeView memory = Value(HealthMetrics.MemoryPercent) is { } memoryPercent
            ? new GaugeView(memoryPercent, Threshold(HealthMetrics.MemoryPercent), null, Value(HealthMetrics.MemoryUsedBytes), Value(HealthMetrics.MemoryTotalBytes), null)
            : new GaugeView(null, Threshold(HealthMetrics.MemoryPercent), null, null, null, Missing(HealthMetrics.MemoryPercent, "memory"));

        HealthReading? disk = snapshot.Readings
            .Where(static r => r.Key == HealthMetrics.DiskPercent && double.IsFinite(r.Value))
            .OrderByDescending(static r => r.Value)
            .FirstOrDefault();
        GaugeView diskGauge = disk is not null
            ? new GaugeView(disk.Value, Threshold(HealthMetrics.DiskPercent), disk.Subject, Value(HealthMetrics.DiskUsedBytes, disk.Subject), Value(HealthMetrics.DiskTotalBytes, disk.Subject), null)
            : new GaugeView(null, Threshold(HealthMetrics.DiskPercent), null, null, null, Missing(HealthMetrics.DiskPercent, "disk"));

        HealthReading[] gpus = [.. snapshot.Readings.Where(static r => r.Key == HealthMetrics.GpuPercent && double.IsFinite(r.Value))];
        GaugeView gpu;
        if (gpus.Length == 0)
        {
            gpu = new GaugeView(null, Threshold(HealthMetrics.GpuPercent), null, null, null, snapshot.GpuStatus);
        }
        else
        {
            double used = snapshot.Readings.Where(static r => r.Key == HealthMetrics.GpuMemoryUsedBytes && double.IsFinite(r.Value)).Sum(static r => r.Value);
            double total = snapshot.Readings.Where(static r => r.Key == HealthMetrics.GpuMemoryTotalBytes && double.IsFinite(r.Value)).Sum(static r => r.Value);
            string subject = gpus.Length == 1
                ? snapshot.Gpus.FirstOrDefault(g => g.Subject == gpus[0].Subject)?.Name ?? gpus[0].Subject!
                : string.Create(CultureInfo.InvariantCulture, $"mean of {gpus.Length} GPUs");
            gpu = new GaugeView(Math.Round(gpus.Average(static r => r.Value), 1), Threshold(HealthMetrics.GpuPercent), subject, total > 0 ? used : null, total > 0 ? total : null, null);
        }

        return new OverviewHealthView(true, string.Empty, status.Timestamp, status.Score, status.Status, status.Violations.Count, cpu, memory, diskGauge, gpu);
    }

    private OverviewAlertsView Alerts(DashboardData data)
    {
        if (!system.Options.Alerts.Enabled)
        {
            return new OverviewAlertsView(false, "Waiting for data: alerting is off (alerts.enabled: false).");
        }

        if (!data.IsRunning)
        {
            return new OverviewAlertsView(false, "Waiting for data: alert rules are evaluated while the monitoring system runs (AdvancedMonitoringSystem.Start).");
        }

        IReadOnlyList<Silence> silences = system.Alerts.GetSilences();
        bool IsSilenced(Alert alert) => silences.Any(s => s.Matches(alert.Labels));
        return new OverviewAlertsView(
            true,
            string.Empty,
            data.Alerts.Count(static a => a.State == AlertState.Firing),
            data.Alerts.Count(static a => a.State == AlertState.Pending),
            data.Alerts.Count(IsSilenced),
            [.. data.Alerts.Take(TopAlerts).Select(a => new AlertBriefView(
                a.RuleName,
                AlertsSection.Word(a.Severity),
                AlertsSection.Word(a.State),
                a.Annotations.GetValueOrDefault("summary"),
                IsSilenced(a)))]);
    }

    private static CountView[] Largest(IReadOnlyDictionary<string, long> counts) =>
        [.. counts.OrderByDescending(static c => c.Value).Take(10).Select(static c => new CountView(c.Key, c.Value))];
}
