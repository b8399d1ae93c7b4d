using Maran.Instrument.Costs;
using Maran.Instrument.Errors;
using Maran.Instrument.Export;
using Maran.Instrument.Health;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Dashboard;

/// <summary>The dashboard's source in the process it watches: one snapshot of the monitoring system per tick, and its trackers.</summary>
internal sealed class ProcessSource(AdvancedMonitoringSystem system) : IDashboardSource
{
    public IdentityView Identity
    {
        get
        {
            ServiceIdentity identity = system.Identity;
            return new IdentityView("process", identity.ServiceName, identity.InstanceId, identity.Environment, null);
        }
    }

    public bool HealthSampling => system.HealthMonitor.IsMonitoring;

    /// <summary>Reads the system now: a process cannot read its past, so <paramref name="at"/> is not used.</summary>
    public DashboardReading Read(DateTimeOffset? at)
    {
        DashboardData data = system.GetDashboardData();
        var rows = new List<OperationRow>(data.Performance.Operations.Count);
        var samples = new List<OperationSample>(data.Performance.Operations.Count);
        foreach (OperationSummary summary in data.Performance.Operations)
        {
            if (OperationRegistry.Find(summary.Name, summary.Component) is { } recorder)
            {
                rows.Add(OperationRow.From(recorder.Id, summary));
                samples.Add(new OperationSample(recorder, summary.Count, summary.InFlight));
            }
        }

        return new DashboardReading(data, rows, samples);
    }

    public string? Elsewhere(string part, DashboardFrame frame) => null;

    public IReadOnlyList<HealthStatus> HealthHistory(DashboardFrame frame) => system.HealthMonitor.GetHistory();

    /// <summary>The trends the hub recorded each tick.</summary>
    public Task<TrendSeries> TrendsAsync(DashboardFrame frame) => Task.FromResult(frame.Trends.Global());

    public Task<OperationTrendSeries?> OperationTrendsAsync(DashboardFrame frame, int id) =>
        Task.FromResult(OperationRegistry.ById(id) is null
            ? null
            : frame.Trends.Operation(id) ?? new OperationTrendSeries(id, frame.Trends.Capacity, 0, tracked: false));

    public ErrorAnalytics ErrorAnalytics(DashboardFrame frame, int hours) => system.ErrorTracker.GetErrorAnalytics(hours);

    public IReadOnlyList<ErrorGroup> ErrorGroups(DashboardFrame frame, int hours) => system.ErrorTracker.GetGroups(hours);

    public CostSummary CostSummary(DashboardFrame frame, int hours) => system.CostTracker.GetCostSummary(hours);

    public CostTotals CostTotals(DashboardFrame frame) => system.CostTracker.GetTotals();

    public IReadOnlyDictionary<(string Component, string Operation), long> UnpricedCalls(DashboardFrame frame, int hours) =>
        system.CostTracker.GetUnpricedCalls(hours);
}
