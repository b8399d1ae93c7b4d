namespace Maran.Instrument.Dashboard;

/// <summary>The overview section: its view is built once per frame and also carried by every live tick.</summary>
internal sealed class OverviewSection() : DashboardSection("overview", "Overview")
{
    /// <summary>Seconds the live calls-per-second figure averages over.</summary>
    internal const int RateSeconds = 10;

    /// <summary>Seconds the error rate covers.</summary>
    internal const int ErrorRateSeconds = 60;

    public override byte[] Render(DashboardFrame frame, SectionQuery query) => frame.OverviewJson;

    /// <summary>Builds the overview of one frame.</summary>
    public static OverviewView Build(DashboardFrame frame, IReadOnlyList<SectionInfo> sections, ClientsView clients)
    {
        DashboardData data = frame.Data;
        (long rateCalls, _, double rateSeconds) = frame.Trends.Window(RateSeconds);
        (long minuteCalls, long minuteErrors, _) = frame.Trends.Window(ErrorRateSeconds);
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
            rateSeconds > 0 ? Math.Round(rateCalls / rateSeconds, 3) : 0,
            minuteCalls > 0 ? Math.Round((double)minuteErrors / minuteCalls, 5) : 0,
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
            Waiting(sections, "health", "Waiting for data: this build has no system health monitor (CPU, memory, disk, GPU)."),
            Waiting(sections, "costs", "Waiting for data: this build has no cost tracker."),
            Waiting(sections, "alerts", "Waiting for data: this build has no alert engine."),
            sections);
    }

    private static PlaceholderView Waiting(IReadOnlyList<SectionInfo> sections, string name, string message)
    {
        bool available = sections.Any(s => s.Name == name && s.Available);
        return new PlaceholderView(available, available ? string.Empty : message);
    }

    private static CountView[] Largest(IReadOnlyDictionary<string, long> counts) =>
        [.. counts.OrderByDescending(static c => c.Value).Take(10).Select(static c => new CountView(c.Key, c.Value))];
}
