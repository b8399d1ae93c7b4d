using Maran.Instrument.Profiling;

namespace Maran.Instrument.Dashboard;

/// <summary>The traces section: recent traces of monitored calls; one trace's spans come from <c>/api/traces/{id}</c>.</summary>
internal sealed class TracesSection(TraceCollector? collector, int capacity) : DashboardSection("traces", "Traces")
{
    public override string? Unavailable(DashboardFrame frame) => collector is null
        ? "Not collected: trace collection is off (dashboard.traces: false)."
        : null;

    public override byte[] Render(DashboardFrame frame, SectionQuery query) =>
        DashboardJson.Serialize(Build(frame, query), DashboardJson.Default.TracesView);

    public TracesView Build(DashboardFrame frame, SectionQuery query)
    {
        if (collector is null)
        {
            return new TracesView(false, Unavailable(frame), 0, 0, query.Size, capacity, []);
        }

        IReadOnlyList<TraceSummary> all = frame.Memo("traces", _ => collector.Recent());
        IEnumerable<TraceSummary> rows = all;
        if (query.Filter.Length > 0)
        {
            rows = rows.Where(t => t.Root.Contains(query.Filter, StringComparison.OrdinalIgnoreCase)
                || (t.Component?.Contains(query.Filter, StringComparison.OrdinalIgnoreCase) ?? false)
                || t.TraceId.StartsWith(query.Filter, StringComparison.OrdinalIgnoreCase));
        }

        List<TraceSummary> list = [.. rows];
        int pages = Math.Max(1, (list.Count + query.Size - 1) / query.Size);
        int page = Math.Min(query.Page, pages - 1);
        string? message = MonitoringRuntime.TracingEnabled
            ? null
            : "Spans are off (monitoring.tracing: false): no trace is collected.";
        return new TracesView(
            true,
            message,
            list.Count,
            page,
            query.Size,
            capacity,
            list.GetRange(page * query.Size, Math.Min(query.Size, list.Count - (page * query.Size))));
    }

    /// <summary>One trace's spans, or null.</summary>
    public TraceDetail? Find(string traceId) => collector?.Find(traceId);
}
