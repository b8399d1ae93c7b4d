using Maran.Instrument.Profiling;

namespace Maran.Instrument.Health;

/// <summary>The last samples of the health monitor in a fixed-size ring: the oldest is overwritten when it is full.</summary>
internal sealed class HealthHistory(int capacity)
{
    /// <summary>How long before its timestamp a GPU utilisation reading looks back: NVML averages over at most a second.</summary>
    internal static readonly TimeSpan GpuLookBack = TimeSpan.FromSeconds(1);

    private readonly object _gate = new();
    private readonly HealthStatus[] _ring = new HealthStatus[capacity];
    private int _next;
    private int _count;

    internal int Capacity => _ring.Length;

    internal HealthStatus? Latest
    {
        get
        {
            lock (_gate)
            {
                return _count == 0 ? null : _ring[(_next - 1 + _ring.Length) % _ring.Length];
            }
        }
    }

    internal void Add(HealthStatus status)
    {
        lock (_gate)
        {
            _ring[_next] = status;
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
        }
    }

    /// <summary>Every kept sample, oldest first.</summary>
    internal IReadOnlyList<HealthStatus> ToList()
    {
        lock (_gate)
        {
            var list = new List<HealthStatus>(_count);
            int first = (_next - _count + _ring.Length) % _ring.Length;
            for (int i = 0; i < _count; i++)
            {
                list.Add(_ring[(first + i) % _ring.Length]);
            }

            return list;
        }
    }

    /// <summary>
    /// The mean GPU utilisation, over every GPU, of the samples taken while one of <paramref name="calls"/> ran: a
    /// sample at time T covers the second before T, so it counts for a call from <c>start</c> to <c>end</c> when
    /// <c>start &lt;= T &lt;= end + 1 s</c>. Null when no sample fell in any call's window.
    /// </summary>
    internal (double Percent, int Samples)? GpuUtilizationDuring(IReadOnlyList<RecentCall> calls, long timestampFrequency)
    {
        if (calls.Count == 0)
        {
            return null;
        }

        long lookBack = (long)(GpuLookBack.TotalSeconds * timestampFrequency);
        double sum = 0;
        int readings = 0;
        int samples = 0;
        foreach (HealthStatus status in ToList())
        {
            long t = status.Snapshot.MonotonicTimestamp;
            bool overlaps = false;
            foreach (RecentCall call in calls)
            {
                if (t >= call.StartTimestamp && t <= call.StartTimestamp + call.ElapsedTicks + lookBack)
                {
                    overlaps = true;
                    break;
                }
            }

            if (!overlaps)
            {
                continue;
            }

            bool any = false;
            foreach (HealthReading reading in status.Snapshot.Readings)
            {
                if (reading.Key == HealthMetrics.GpuPercent)
                {
                    sum += reading.Value;
                    readings++;
                    any = true;
                }
            }

            samples += any ? 1 : 0;
        }

        return readings == 0 ? null : (sum / readings, samples);
    }
}
