namespace Maran.Instrument.Costs;

/// <summary>
/// Turns <see cref="TimeProvider.GetTimestamp"/> stamps into wall-clock time: one read of both clocks, then each stamp
/// is that wall-clock time less the monotonic time elapsed since the stamp. Read once per batch on the cost loop, so
/// the threads that record pay only for the monotonic read.
/// </summary>
internal readonly struct StampClock
{
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _utcNow;
    private readonly long _now;

    private StampClock(TimeProvider time)
    {
        _time = time;
        _now = time.GetTimestamp();
        _utcNow = time.GetUtcNow();
    }

    /// <summary>Reads both clocks of <paramref name="time"/> now.</summary>
    public static StampClock Read(TimeProvider time) => new(time);

    /// <summary>The wall-clock time at which the clock's <see cref="TimeProvider.GetTimestamp"/> returned <paramref name="stamp"/>.</summary>
    public DateTimeOffset TimeOf(long stamp) => _utcNow - _time.GetElapsedTime(stamp, _now);
}
