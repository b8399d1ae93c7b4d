using Maran.Instrument.Errors;
using Microsoft.AspNetCore.Http;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// The errors section, from the error tracker: the distribution and hourly trend of a window (the frame's day, or
/// another window read once per frame), the groups (filtered, sorted and paged on the server), and the selected
/// group's latest occurrences with their stacks. Occurrences are read from the database only when the group gained
/// one since they were last read, so a page left open costs no query a second.
/// </summary>
internal sealed class ErrorsSection(AdvancedMonitoringSystem system) : DashboardSection("errors", "Errors")
{
    /// <summary>The window the frame's snapshot covers (<see cref="DashboardData.Errors"/>).</summary>
    internal const int DefaultHours = 24;

    /// <summary>Parts of a distribution listed at most; the rest are counted together.</summary>
    internal const int MaxParts = 20;

    /// <summary>Operations listed by error rate at most.</summary>
    internal const int MaxRates = 20;

    /// <summary>Occurrences of the selected group shown at most.</summary>
    internal const int MaxOccurrences = 20;

    /// <summary>Characters of a message kept at most.</summary>
    internal const int MaxMessage = 4000;

    /// <summary>Characters of a stack trace kept at most.</summary>
    internal const int MaxStack = 8000;

    /// <summary>Inner exceptions of an occurrence shown at most.</summary>
    internal const int MaxInner = 5;

    /// <summary>Context tags of an occurrence shown at most.</summary>
    internal const int MaxTags = 50;

    /// <summary>Characters of a tag's name or value kept at most.</summary>
    internal const int MaxTagText = 500;

    /// <summary>Characters of a group's last message in the list.</summary>
    internal const int MaxListMessage = 300;

    /// <summary>Groups whose occurrences are kept between frames at most.</summary>
    private const int CachedGroups = 16;

    /// <summary>The part of the section a source may hold elsewhere: the groups with their occurrences and stacks.</summary>
    internal const string GroupsPart = "errors.groups";

    private static readonly Dictionary<string, Func<ErrorGroup, IComparable>> s_sorts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["lastSeen"] = static g => g.LastSeen,
        ["firstSeen"] = static g => g.FirstSeen,
        ["count"] = static g => g.Count,
        ["countInWindow"] = static g => g.CountInWindow,
        ["type"] = static g => g.Type,
        ["component"] = static g => g.Component,
        ["status"] = static g => g.Status,
    };

    private static readonly string[] s_statuses = [.. Enum.GetValues<ErrorGroupStatus>().Select(static s => EnumNames.Of(s))];

    private readonly object _cacheGate = new();
    private readonly LinkedList<CachedOccurrences> _occurrences = new();

    private ErrorTracker Tracker => system.ErrorTracker;

    public override byte[] Render(DashboardFrame frame, SectionQuery query) =>
        DashboardJson.Serialize(Build(frame, query), DashboardJson.Default.ErrorsView);

    public ErrorsView Build(DashboardFrame frame, SectionQuery query)
    {
        int hours = query.Hours ?? DefaultHours;
        ErrorAnalytics analytics = hours == DefaultHours
            ? frame.Data.Errors
            : frame.Memo($"errors:analytics:{hours}", f => f.Source.ErrorAnalytics(f, hours));
        IReadOnlyList<ErrorGroup> groups = frame.Memo($"errors:groups:{hours}", f => f.Source.ErrorGroups(f, hours));
        bool enabled = system.Options.Errors.Enabled;
        bool running = frame.Data.IsRunning;
        string? message = frame.Source.Elsewhere(GroupsPart, frame)
            ?? (!enabled
                ? "Error tracking is off (errors.enabled: false): nothing new is tracked."
                : !running
                    ? "Errors are tracked while the monitoring system runs (AdvancedMonitoringSystem.Start); what is shown was kept."
                    : null);

        return new ErrorsView(
            enabled,
            running,
            message,
            hours,
            analytics.From,
            analytics.TotalErrors,
            Distribution(analytics.ByCategory),
            Distribution(analytics.ByType),
            Distribution(analytics.ByComponent),
            Distribution(analytics.BySeverity),
            new HourlyCountsView(
                [.. analytics.HourlyTrend.Select(static p => p.Hour.ToUnixTimeMilliseconds())],
                [.. analytics.HourlyTrend.Select(static p => p.Count)]),
            [.. analytics.ErrorRates
                .Where(static r => r.Errors > 0)
                .OrderByDescending(static r => r.Errors)
                .ThenByDescending(static r => r.Rate ?? 0)
                .ThenBy(static r => r.Component, StringComparer.Ordinal)
                .ThenBy(static r => r.Operation, StringComparer.Ordinal)
                .Take(MaxRates)
                .Select(static r => new ErrorRateView(r.Component, r.Operation, r.Errors, r.Calls, r.Rate is { } rate ? Math.Round(rate, 5) : null))],
            Groups(groups, query),
            query.Selected is { } fingerprint ? Detail(groups, fingerprint) : null);
    }

    /// <summary>Marks a group resolved, as the page asks; a later occurrence makes it regressed.</summary>
    public (int Status, byte[] Json) Resolve(string fingerprint)
    {
        if (fingerprint.Length > 64 || !Tracker.ResolveGroup(fingerprint))
        {
            return (StatusCodes.Status404NotFound, ProblemResponse.Json(
                StatusCodes.Status404NotFound, "No such error group is kept: it may have been pruned after the retention (storage.retention_days)."));
        }

        return (StatusCodes.Status200OK, DashboardJson.Serialize(new GroupResolved(fingerprint, true), DashboardJson.Default.GroupResolved));
    }

    private static DistributionView Distribution(IReadOnlyDictionary<string, long> counts)
    {
        CountView[] top = [.. counts
            .OrderByDescending(static c => c.Value)
            .ThenBy(static c => c.Key, StringComparer.Ordinal)
            .Take(MaxParts)
            .Select(static c => new CountView(c.Key, c.Value))];
        return new DistributionView(top, counts.Count - top.Length, counts.Values.Sum() - top.Sum(static c => c.Count));
    }

    private static ErrorGroupsView Groups(IReadOnlyList<ErrorGroup> groups, SectionQuery query)
    {
        string? status = s_statuses.FirstOrDefault(s => string.Equals(s, query.Level, StringComparison.OrdinalIgnoreCase));
        IEnumerable<ErrorGroup> matching = groups;
        if (status is not null)
        {
            matching = matching.Where(g => EnumNames.Of(g.Status) == status);
        }

        if (query.Filter.Length > 0)
        {
            matching = matching.Where(g => Matches(g, query.Filter));
        }

        string sort = s_sorts.ContainsKey(query.Sort) ? query.Sort : "lastSeen";
        Func<ErrorGroup, IComparable> key = s_sorts[sort];
        List<ErrorGroup> ordered = query.Descending
            ? [.. matching.OrderByDescending(key).ThenBy(static g => g.Fingerprint, StringComparer.Ordinal)]
            : [.. matching.OrderBy(key).ThenBy(static g => g.Fingerprint, StringComparer.Ordinal)];
        int pages = Math.Max(1, (ordered.Count + query.Size - 1) / query.Size);
        int page = Math.Min(query.Page, pages - 1);
        return new ErrorGroupsView(
            ordered.Count,
            groups.Count,
            page,
            query.Size,
            sort,
            query.Descending,
            query.Filter,
            status,
            [.. ordered.Skip(page * query.Size).Take(query.Size).Select(Row)]);
    }

    private static bool Matches(ErrorGroup group, string filter) =>
        group.Title.Contains(filter, StringComparison.OrdinalIgnoreCase)
        || group.Component.Contains(filter, StringComparison.OrdinalIgnoreCase)
        || (group.Operation?.Contains(filter, StringComparison.OrdinalIgnoreCase) ?? false)
        || group.LastMessage.Contains(filter, StringComparison.OrdinalIgnoreCase)
        || group.Fingerprint.StartsWith(filter, StringComparison.OrdinalIgnoreCase);

    private static ErrorGroupRowView Row(ErrorGroup group) => new(
        group.Fingerprint,
        group.Type,
        Cut(group.Title, MaxListMessage)!,
        EnumNames.Of(group.Category),
        group.Component,
        group.Operation,
        group.FirstSeen,
        group.LastSeen,
        group.Count,
        group.CountInWindow,
        EnumNames.Of(group.Status),
        Cut(group.LastMessage, MaxListMessage)!);

    private ErrorGroupDetailView Detail(IReadOnlyList<ErrorGroup> groups, string fingerprint)
    {
        ErrorGroup? group = groups.FirstOrDefault(g => g.Fingerprint == fingerprint);
        if (group is null)
        {
            return new ErrorGroupDetailView(fingerprint, false, null, []);
        }

        return new ErrorGroupDetailView(fingerprint, true, Row(group), Occurrences(group));
    }

    // The occurrences change only when the group gains one: they are read again only then.
    private IReadOnlyList<ErrorOccurrenceView> Occurrences(ErrorGroup group)
    {
        lock (_cacheGate)
        {
            for (LinkedListNode<CachedOccurrences>? node = _occurrences.First; node is not null; node = node.Next)
            {
                CachedOccurrences cached = node.Value;
                if (cached.Fingerprint == group.Fingerprint)
                {
                    if (cached.Count == group.Count && cached.LastSeen == group.LastSeen)
                    {
                        _occurrences.Remove(node);
                        _occurrences.AddFirst(node);
                        return cached.Occurrences;
                    }

                    _occurrences.Remove(node);
                    break;
                }
            }
        }

        IReadOnlyList<ErrorOccurrenceView> read = [.. Tracker.GetRecentErrors(MaxOccurrences, group.Fingerprint).Select(Occurrence)];
        lock (_cacheGate)
        {
            _occurrences.AddFirst(new CachedOccurrences(group.Fingerprint, group.Count, group.LastSeen, read));
            while (_occurrences.Count > CachedGroups)
            {
                _occurrences.RemoveLast();
            }
        }

        return read;
    }

    private static ErrorOccurrenceView Occurrence(TrackedError error)
    {
        bool cut = error.Message.Length > MaxMessage || error.StackTrace?.Length > MaxStack || error.InnerExceptions.Count > MaxInner
            || error.Context?.Count > MaxTags;
        return new ErrorOccurrenceView(
            error.Timestamp.ToUnixTimeMilliseconds(),
            error.Type,
            Cut(error.Message, MaxMessage)!,
            EnumNames.Of(error.Severity),
            EnumNames.Of(error.Category),
            error.Component,
            error.Operation,
            error.TraceId,
            error.SpanId,
            error.DurationMs is { } d && double.IsFinite(d) ? Math.Round(d, 3) : null,
            Cut(error.StackTrace, MaxStack),
            [.. error.InnerExceptions.Take(MaxInner).Select(static i => new InnerErrorView(i.Type, Cut(i.Message, MaxMessage)!, Cut(i.StackTrace, MaxStack)))],
            error.Context is null
                ? []
                : [.. error.Context
                    .OrderBy(static t => t.Key, StringComparer.Ordinal)
                    .Take(MaxTags)
                    .Select(static t => new LabelView(Cut(t.Key, MaxTagText)!, Cut(t.Value, MaxTagText)!))],
            cut);
    }

    private static string? Cut(string? text, int length) => text is { } t && t.Length > length ? t[..length] + "…" : text;

    private sealed record CachedOccurrences(string Fingerprint, long Count, DateTimeOffset LastSeen, IReadOnlyList<ErrorOccurrenceView> Occurrences);
}
