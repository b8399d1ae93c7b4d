using Maran.Instrument.Configuration;
using Maran.Instrument.Logging;
using Maran.Instrument.Storage;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// The logs section: the structured log events of the log store, newest first, filtered by level, component,
/// operation, trace id and full-text search on the server (SQLite FTS5 when the store is on, the recent events in
/// memory otherwise), paged. Followed live until the reader pages back, which pins the page to a moment.
/// </summary>
internal sealed class LogsSection(LogStore store, MonitoringOptions options) : DashboardSection("logs", "Logs")
{
    /// <summary>Events whose components and operations fill the filter suggestions.</summary>
    internal const int SuggestionEvents = 1000;

    /// <summary>Suggestions of each kind at most.</summary>
    internal const int MaxSuggestions = 100;

    /// <summary>Characters of a message kept at most; the rest is cut.</summary>
    internal const int MaxMessage = 4000;

    /// <summary>Characters of an exception (with its stack trace) kept at most.</summary>
    internal const int MaxException = 8000;

    /// <summary>Characters of the properties (JSON) kept at most.</summary>
    internal const int MaxProperties = 2000;

    /// <summary>Pages reachable at most: a search reads no further than this many events back.</summary>
    internal const int MaxOffset = 100_000;

    private static readonly string[] s_levels = [.. Enum.GetValues<MonitoringLogLevel>().Select(LogLevels.Name)];

    public override byte[] Render(DashboardFrame frame, SectionQuery query) =>
        DashboardJson.Serialize(Build(frame, query), DashboardJson.Default.LogsView);

    /// <summary>The level named <paramref name="text"/> (DEBUG .. CRITICAL, any case), or null.</summary>
    internal static MonitoringLogLevel? ParseLevel(string? text)
    {
        foreach (MonitoringLogLevel level in Enum.GetValues<MonitoringLogLevel>())
        {
            if (string.Equals(LogLevels.Name(level), text, StringComparison.OrdinalIgnoreCase))
            {
                return level;
            }
        }

        return null;
    }

    public LogsView Build(DashboardFrame frame, SectionQuery query)
    {
        MonitoringLogLevel? level = ParseLevel(query.Level);
        int page = Math.Min(query.Page, MaxOffset / query.Size);
        var search = new LogQuery
        {
            MinimumLevel = level,
            Component = query.Component,
            Operation = query.Operation,
            TraceId = query.Trace,
            To = query.BeforeMoment,
            Text = query.Filter.Length > 0 ? query.Filter : null,
            Offset = page * query.Size,
            Limit = query.Size + 1,
        };
        IReadOnlyList<LogEntry> found = store.Search(search);
        Suggestions suggestions = frame.Memo("logs:suggestions", _ => Suggest());
        (string source, string? note) = Source(frame);
        return new LogsView(
            source,
            note,
            page,
            query.Size,
            found.Count > query.Size,
            query.Before,
            new LogFilterView(level is { } l ? LogLevels.Name(l) : null, query.Component, query.Operation, query.Trace, query.Filter),
            [.. found.Take(query.Size).Select(Row)],
            s_levels,
            suggestions.Components,
            suggestions.Operations);
    }

    private (string Source, string? Note) Source(DashboardFrame frame)
    {
        StorageStatus storage = frame.Data.Internal.Storage;
        if (!options.Logging.Store)
        {
            return ("memory", $"The log store is off (logging.store: false): only the {options.Logging.RecentEvents} most recent events in memory are searched.");
        }

        if (!storage.Enabled)
        {
            return ("memory", $"Storage is off (storage.enabled: false): only the {options.Logging.RecentEvents} most recent events in memory are searched.");
        }

        if (!storage.Available)
        {
            return ("memory", $"The log store cannot be read ({storage.Fault}): only the {options.Logging.RecentEvents} most recent events in memory are searched.");
        }

        string running = frame.Data.IsRunning ? string.Empty : " Nothing is logged while the monitoring system is stopped.";
        return ("store", $"Searching every stored event (SQLite full-text; kept {options.Storage.RetentionDays:0.##} days).{running}");
    }

    private Suggestions Suggest()
    {
        IReadOnlyList<LogEntry> recent = store.Recent(SuggestionEvents);
        static string[] Distinct(IEnumerable<string?> values) =>
            [.. values.OfType<string>().Where(static v => v.Length <= 200).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(MaxSuggestions)];
        return new Suggestions(Distinct(recent.Select(static e => e.Component)), Distinct(recent.Select(static e => e.Operation)));
    }

    private static LogRowView Row(LogEntry entry)
    {
        bool cut = entry.Message.Length > MaxMessage || entry.Exception?.Length > MaxException || entry.Properties.Length > MaxProperties;
        return new LogRowView(
            entry.Timestamp.ToUnixTimeMilliseconds(),
            LogLevels.Name(entry.Level),
            Cut(entry.Message, MaxMessage)!,
            Cut(entry.Exception, MaxException),
            entry.TraceId,
            entry.SpanId,
            entry.Operation,
            entry.Component,
            entry.Source,
            Cut(entry.Properties, MaxProperties)!,
            cut);
    }

    private static string? Cut(string? text, int length) => text is { } t && t.Length > length ? t[..length] + "…" : text;

    private sealed record Suggestions(IReadOnlyList<string> Components, IReadOnlyList<string> Operations);
}
