using Maran.Instrument.Configuration;

namespace Maran.Instrument.Costs;

/// <summary>
/// How long the cost tracker keeps what it sums in memory: hourly cells for <c>storage.retention_days</c> (the
/// database prunes its own rows over the same span) and per-minute sums for a day and a minute, the longest window
/// alert rules read.
/// </summary>
internal sealed class CostRetention(MonitoringOptions options)
{
    /// <summary>The first hour, Unix milliseconds, still kept at <paramref name="nowMs"/>: where reading the history back starts.</summary>
    public long FirstHourKept(long nowMs) =>
        CostTime.Floor(nowMs - RetentionMs, CostTime.HourMs);

    /// <summary>Drops from <paramref name="costs"/> the hours and minutes past their span at <paramref name="now"/>; under the state lock.</summary>
    public void Prune(HourlyCosts costs, DateTimeOffset now)
    {
        long nowMs = now.ToUnixTimeMilliseconds();
        costs.RemoveHoursEndedBy(nowMs - RetentionMs);
        costs.RemoveMinutesBefore(nowMs - CostTime.DayMs - CostTime.MinuteMs);
    }

    private long RetentionMs => (long)TimeSpan.FromDays(options.Storage.RetentionDays).TotalMilliseconds;
}
