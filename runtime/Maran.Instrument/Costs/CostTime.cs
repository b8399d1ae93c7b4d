namespace Maran.Instrument.Costs;

/// <summary>The units the cost tracker's tables are cut in: Unix milliseconds floored to the minute, hour, UTC day or month.</summary>
internal static class CostTime
{
    public const long MinuteMs = 60_000;
    public const long HourMs = 60 * MinuteMs;
    public const long DayMs = 24 * HourMs;

    /// <summary><paramref name="unixMs"/> rounded down to a multiple of <paramref name="unit"/>, before 1970 too.</summary>
    public static long Floor(long unixMs, long unit) => unixMs - (((unixMs % unit) + unit) % unit);

    /// <summary>The start of the UTC day or calendar month that holds <paramref name="unixMs"/>.</summary>
    public static long PeriodStart(BudgetPeriod period, long unixMs)
    {
        if (period == BudgetPeriod.Daily)
        {
            return Floor(unixMs, DayMs);
        }

        DateTimeOffset at = DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
        return new DateTimeOffset(at.Year, at.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    }
}
