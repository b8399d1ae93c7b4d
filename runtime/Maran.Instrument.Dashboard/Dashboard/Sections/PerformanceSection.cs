using Maran.Instrument.Alerts;
using Maran.Instrument.Export;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// The performance section: the per-operation table (filtered, sorted, paged), bottlenecks and the call tree; for the
/// selected operation, its series an anomaly rule watches (from the telemetry sources), drawn on its charts.
/// </summary>
internal sealed class PerformanceSection(int trendLimit, ITelemetrySources telemetry, Func<IReadOnlyList<AlertRule>> rules) : DashboardSection("performance", "Performance")
{
    private const int Bottlenecks = 5;
    private const int MaxEdges = 300;

    private static readonly Dictionary<string, Func<OperationRow, IComparable>> s_sorts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["name"] = static r => r.Name,
        ["component"] = static r => r.Component,
        ["count"] = static r => r.Count,
        ["errors"] = static r => r.Errors,
        ["errorRate"] = static r => r.ErrorRate,
        ["inFlight"] = static r => r.InFlight,
        ["p50Ms"] = static r => r.P50Ms,
        ["p95Ms"] = static r => r.P95Ms,
        ["p99Ms"] = static r => r.P99Ms,
        ["meanMs"] = static r => r.MeanMs,
        ["maxMs"] = static r => r.MaxMs,
        ["totalMs"] = static r => r.TotalMs,
        ["callsPerSecond"] = static r => r.CallsPerSecond,
        ["allocatedBytesPerCall"] = static r => r.AllocatedBytesPerCall ?? -1,
    };

    public override byte[] Render(DashboardFrame frame, SectionQuery query) =>
        DashboardJson.Serialize(Build(frame, query), DashboardJson.Default.PerformanceView);

    public PerformanceView Build(DashboardFrame frame, SectionQuery query)
    {
        IReadOnlyList<OperationRow> all = frame.Operations;
        IEnumerable<OperationRow> rows = all;
        if (query.Filter.Length > 0)
        {
            rows = rows.Where(r => Matches(r, query.Filter));
        }

        string sort = s_sorts.ContainsKey(query.Sort) ? query.Sort : "totalMs";
        Func<OperationRow, IComparable> key = s_sorts[sort];
        List<OperationRow> ordered = query.Descending
            ? [.. rows.OrderByDescending(key).ThenBy(static r => r.Id)]
            : [.. rows.OrderBy(key).ThenBy(static r => r.Id)];
        int pages = Math.Max(1, (ordered.Count + query.Size - 1) / query.Size);
        int page = Math.Min(query.Page, pages - 1);

        SelectedOperationView? selected = null;
        if (int.TryParse(query.Selected, out int id) && all.FirstOrDefault(r => r.Id == id) is { } row)
        {
            // A fleet's trends are read from Prometheus (every row has one); a process keeps them for the operations it tracks.
            OperationTrendPoint? point = frame.Trends.LatestFor(id);
            bool hasTrend = frame.Fleet is not null || point is not null || frame.Trends.Operation(id) is not null;
            selected = new SelectedOperationView(row, hasTrend, point, Anomalies(row));
        }

        return new PerformanceView(
            ordered.Count,
            page,
            query.Size,
            sort,
            query.Descending,
            query.Filter,
            ordered.GetRange(page * query.Size, Math.Min(query.Size, ordered.Count - (page * query.Size))),
            frame.Memo("bottlenecks:total", static f => TopBy(f.Operations, static r => r.TotalMs)),
            frame.Memo("bottlenecks:p99", static f => TopBy(f.Operations, static r => r.P99Ms)),
            frame.Memo("calltree", CallTree),
            new TrendCoverageView(frame.Trends.TrackedOperations, trendLimit, frame.Trends.UntrackedActiveOperations, frame.Trends.Capacity),
            selected);
    }

    // The charts draw p95 and mean (duration) and calls per second (throughput): a watched series of those, of this operation, is drawn on them.
    private AnomalySeriesView[] Anomalies(OperationRow row)
    {
        IReadOnlyList<AnomalyReading> readings = telemetry.Anomalies();
        return readings.Count == 0
            ? []
            : AnomalySeriesView.From(readings, rules(), r =>
                r.Metric is AlertMetrics.OperationP95Ms or AlertMetrics.OperationMeanMs or AlertMetrics.OperationCallsPerSecond
                && r.Labels.GetValueOrDefault("operation") == row.Name
                && r.Labels.GetValueOrDefault("component") == row.Component);
    }

    private static bool Matches(OperationRow row, string filter) =>
        row.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)
        || row.Component.Contains(filter, StringComparison.OrdinalIgnoreCase)
        || (row.Method?.Contains(filter, StringComparison.OrdinalIgnoreCase) ?? false);

    private static BottleneckView[] TopBy(IReadOnlyList<OperationRow> rows, Func<OperationRow, double> measure)
    {
        double allTime = rows.Sum(static r => r.TotalMs);
        return [.. rows
            .Where(static r => r.Count > 0)
            .OrderByDescending(measure)
            .ThenBy(static r => r.Id)
            .Take(Bottlenecks)
            .Select(r => new BottleneckView(r.Id, r.Name, r.Component, r.TotalMs, allTime > 0 ? Math.Round(r.TotalMs / allTime, 4) : 0, r.P99Ms, r.Count))];
    }

    private static CallTreeView CallTree(DashboardFrame frame)
    {
        IReadOnlyList<CallTreeEdge> edges = frame.Data.Performance.CallTree;
        CallTreeEdge[] heaviest = [.. edges.OrderByDescending(static e => e.TotalMs).Take(MaxEdges)];
        return new CallTreeView(MonitoringRuntime.CallTreeEnabled, heaviest, edges.Count - heaviest.Length);
    }
}
