using System.Runtime.CompilerServices;
using Maran.Instrument.Configuration;

namespace Maran.Instrument.Errors;

/// <summary>
/// The error tracker's reads: analytics over a window of hours, one group, every group, the latest errors. Each is a
/// pure read of what the loop has handled, taken under the history's gate and answered at once: reading twice gives
/// the same numbers, and a caller that needs its own errors visible flushes the tracker first.
/// </summary>
internal sealed class ErrorQueries(MonitoringOptions options, IErrorPersistence store, TimeProvider time, ErrorHistory history)
{
    private const long HourMs = ErrorHistory.HourMs;

    private TimeSpan NewWindow => TimeSpan.FromHours(options.Errors.NewGroupHours);

    /// <summary>Errors of the last <paramref name="hours"/> clock hours, the current one included.</summary>
    public ErrorAnalytics Analytics(int hours)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hours, 1);
        DateTimeOffset now = time.GetUtcNow();
        long nowMs = now.ToUnixTimeMilliseconds();
        long firstHour = ErrorHistory.HourOf(nowMs) - ((hours - 1) * HourMs);
        var byType = new Dictionary<string, long>(StringComparer.Ordinal);
        var byCategory = new Dictionary<string, long>(StringComparer.Ordinal);
        var byComponent = new Dictionary<string, long>(StringComparer.Ordinal);
        var bySeverity = new Dictionary<string, long>(StringComparer.Ordinal);
        var trend = new long[hours];
        var byGroup = new Dictionary<string, long>(StringComparer.Ordinal);
        var rates = new Dictionary<(string Component, string Operation), (long Errors, long Calls)>();
        List<ErrorGroup> top;
        long total = 0;

        lock (history.Gate)
        {
            long lastHour = ErrorHistory.HourOf(nowMs);
            foreach ((HourlyErrorKey key, long count) in history.Hourly)
            {
                // Hours after now exist only if the clock went back; they belong to no window yet.
                if (key.Hour < firstHour || key.Hour > lastHour)
                {
                    continue;
                }

                total += count;
                Add(byType, key.Type, count);
                Add(byCategory, EnumNames.Of(key.Category), count);
                Add(byComponent, key.Component, count);
                Add(bySeverity, EnumNames.Of(key.Severity), count);
                Add(byGroup, key.Fingerprint, count);
                trend[(key.Hour - firstHour) / HourMs] += count;
                if (key.Operation.Length > 0 && key.Category != ErrorCategory.Cancelled)
                {
                    var rate = rates.GetValueOrDefault((key.Component, key.Operation));
                    rates[(key.Component, key.Operation)] = (rate.Errors + count, rate.Calls);
                }
            }

            foreach ((HourlyCallKey key, long calls) in history.Calls)
            {
                if (key.Hour >= firstHour && key.Hour <= lastHour)
                {
                    var rate = rates.GetValueOrDefault((key.Component, key.Operation));
                    rates[(key.Component, key.Operation)] = (rate.Errors, rate.Calls + calls);
                }
            }

            foreach ((HourlyCallKey key, StrongBox<long> failed) in history.PassedThrough)
            {
                if (key.Hour >= firstHour && key.Hour <= lastHour)
                {
                    var rate = rates.GetValueOrDefault((key.Component, key.Operation));
                    rates[(key.Component, key.Operation)] = (rate.Errors + Interlocked.Read(ref failed.Value), rate.Calls);
                }
            }

            TimeSpan newWindow = NewWindow;
            top = [.. byGroup
                .OrderByDescending(g => g.Value)
                .ThenBy(g => g.Key, StringComparer.Ordinal)
                .Take(10)
                .Where(g => history.Groups.ContainsKey(g.Key))
                .Select(g => history.Groups[g.Key].ToGroup(g.Value, nowMs, newWindow))];
        }

        return new ErrorAnalytics
        {
            Hours = hours,
            From = DateTimeOffset.FromUnixTimeMilliseconds(firstHour),
            To = now,
            TotalErrors = total,
            ByType = byType,
            ByCategory = byCategory,
            ByComponent = byComponent,
            BySeverity = bySeverity,
            HourlyTrend = [.. trend.Select((count, i) => new ErrorTrendPoint(DateTimeOffset.FromUnixTimeMilliseconds(firstHour + (i * HourMs)), count))],
            TopGroups = top,
            ErrorRates = [.. rates
                .OrderBy(r => r.Key.Component, StringComparer.Ordinal)
                .ThenBy(r => r.Key.Operation, StringComparer.Ordinal)
                .Select(r => new OperationErrorRate(r.Key.Component, r.Key.Operation, r.Value.Errors, r.Value.Calls, r.Value.Calls > 0 ? (double)r.Value.Errors / r.Value.Calls : null))],
        };
    }

    /// <summary>The group of <paramref name="fingerprint"/> with every occurrence kept, or null when there is none.</summary>
    public ErrorGroup? Group(string fingerprint)
    {
        lock (history.Gate)
        {
            long now = time.GetUtcNow().ToUnixTimeMilliseconds();
            return history.Groups.TryGetValue(fingerprint, out ErrorGroupState? group)
                ? group.ToGroup(CountOf(fingerprint), now, NewWindow)
                : null;
        }
    }

    /// <summary>Every group kept, each with its occurrences in the last <paramref name="hours"/> clock hours, in no particular order.</summary>
    public IReadOnlyList<ErrorGroup> Groups(int hours)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hours, 1);
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        long lastHour = ErrorHistory.HourOf(now);
        long firstHour = lastHour - ((hours - 1) * HourMs);
        TimeSpan newWindow = NewWindow;
        lock (history.Gate)
        {
            var inWindow = new Dictionary<string, long>(history.Groups.Count, StringComparer.Ordinal);
            foreach ((HourlyErrorKey key, long count) in history.Hourly)
            {
                if (key.Hour >= firstHour && key.Hour <= lastHour)
                {
                    inWindow[key.Fingerprint] = inWindow.GetValueOrDefault(key.Fingerprint) + count;
                }
            }

            var groups = new List<ErrorGroup>(history.Groups.Count);
            foreach (ErrorGroupState group in history.Groups.Values)
            {
                groups.Add(group.ToGroup(inWindow.GetValueOrDefault(group.Fingerprint), now, newWindow));
            }

            return groups;
        }
    }

    /// <summary>The latest errors, newest first, optionally of one group: from the database, or from memory when it cannot be read.</summary>
    public IReadOnlyList<TrackedError> Recent(int limit, string? fingerprint)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (store.TryReadRecent(limit, fingerprint, out List<TrackedError> stored) && stored.Count > 0)
        {
            return stored;
        }

        lock (history.Gate)
        {
            return [.. history.Recent.Reverse().Where(e => fingerprint is null || e.Fingerprint == fingerprint).Take(limit)];
        }
    }

    private long CountOf(string fingerprint)
    {
        long count = 0;
        foreach ((HourlyErrorKey key, long n) in history.Hourly)
        {
            if (key.Fingerprint == fingerprint)
            {
                count += n;
            }
        }

        return count;
    }

    private static void Add(Dictionary<string, long> totals, string key, long count) =>
        totals[key] = totals.GetValueOrDefault(key) + count;
}
