namespace Maran.Instrument.Alerts;

/// <summary>
/// Good and total event counts in fixed-width time buckets on a ring: constant memory, and a window's sums read from
/// the buckets it covers. A window of <c>k</c> bucket widths sums the <c>k</c> newest buckets, the newest one partly
/// filled, so it covers between <c>k - 1</c> and <c>k</c> widths of time.
/// </summary>
internal sealed class BucketRing
{
    private readonly long _width;
    private readonly long[] _stamps;
    private readonly double[] _good;
    private readonly double[] _total;

    public BucketRing(TimeSpan width, int count)
    {
        _width = Math.Max(1, width.Ticks);
        _stamps = new long[count];
        _good = new double[count];
        _total = new double[count];
        Array.Fill(_stamps, long.MinValue);
    }

    /// <summary>The buckets' width.</summary>
    public TimeSpan Width => TimeSpan.FromTicks(_width);

    /// <summary>Adds events that happened at <paramref name="at"/>.</summary>
    public void Add(DateTimeOffset at, double good, double total)
    {
        long bucket = at.UtcTicks / _width;
        int slot = (int)(bucket % _stamps.Length);
        if (_stamps[slot] != bucket)
        {
            _stamps[slot] = bucket;
            _good[slot] = 0;
            _total[slot] = 0;
        }

        _good[slot] += good;
        _total[slot] += total;
    }

    /// <summary>The good and total events of the window ending at <paramref name="now"/> (at most the ring's length).</summary>
    public (double Good, double Total) Sum(DateTimeOffset now, TimeSpan window)
    {
        long newest = now.UtcTicks / _width;
        long buckets = Math.Min(_stamps.Length, Math.Max(1, (window.Ticks + _width - 1) / _width));
        long oldest = newest - buckets + 1;
        double good = 0, total = 0;
        for (int slot = 0; slot < _stamps.Length; slot++)
        {
            if (_stamps[slot] >= oldest && _stamps[slot] <= newest)
            {
                good += _good[slot];
                total += _total[slot];
            }
        }

        return (good, total);
    }
}
