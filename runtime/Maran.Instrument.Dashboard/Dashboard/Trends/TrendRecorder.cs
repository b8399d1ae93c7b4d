using Maran.Instrument.Profiling;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// Per-interval trends computed from successive operation snapshots: calls, errors and duration percentiles of
/// each interval (from the difference of the cumulative histograms), for every operation together and for the
/// busiest operations one by one. Everything lives in fixed rings: memory is bounded by the number of points and
/// the number of operations that keep a trend, whatever the run's length. An operation whose count has not moved
/// since the last interval costs no snapshot: its histogram baseline is kept sparse, a few buckets per operation.
/// </summary>
internal sealed class TrendRecorder
{
    private readonly object _gate = new();
    private readonly int _capacity;
    private readonly int _maxOperations;
    private readonly long[] _times;
    private readonly double[] _seconds;
    private readonly long[] _calls;
    private readonly long[] _errors;
    private readonly long[] _inFlight;
    private readonly float[] _p50;
    private readonly float[] _p95;
    private readonly float[] _p99;
    private readonly long[] _scratch = new long[DurationHistogram.BucketCount];
    private readonly long[] _scratchOperation = new long[DurationHistogram.BucketCount];
    private readonly Dictionary<int, Baseline> _baselines = [];
    private readonly Dictionary<int, OperationTrend> _tracked = [];
    private DateTimeOffset _lastTime;
    private bool _primed;
    private long _sequence;
    private int _head;
    private int _count;
    private int _untrackedActive;

    /// <param name="capacity">Points kept (one per interval).</param>
    /// <param name="maxOperations">Operations that keep a trend of their own at most.</param>
    public TrendRecorder(int capacity, int maxOperations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(maxOperations);
        _capacity = capacity;
        _maxOperations = maxOperations;
        _times = new long[capacity];
        _seconds = new double[capacity];
        _calls = new long[capacity];
        _errors = new long[capacity];
        _inFlight = new long[capacity];
        _p50 = new float[capacity];
        _p95 = new float[capacity];
        _p99 = new float[capacity];
    }

    /// <summary>Points kept at most.</summary>
    public int Capacity => _capacity;

    /// <summary>Operations with a trend of their own now.</summary>
    public int TrackedOperations
    {
        get
        {
            lock (_gate)
            {
                return _tracked.Count;
            }
        }
    }

    /// <summary>Operations that were active in the last interval but keep no trend because the limit was reached.</summary>
    public int UntrackedActiveOperations
    {
        get
        {
            lock (_gate)
            {
                return _untrackedActive;
            }
        }
    }

    /// <summary>
    /// Adds one interval, ending at <paramref name="time"/>, from every operation's completed-call count; operations
    /// whose count moved are snapshotted. The first call only sets the baseline: calls made before the dashboard
    /// started are not attributed to its first interval.
    /// </summary>
    public void Record(DateTimeOffset time, IReadOnlyList<OperationSample> samples)
    {
        lock (_gate)
        {
            long[] interval = _scratch;
            Array.Clear(interval);
            _untrackedActive = 0;
            long calls = 0, errors = 0, inFlight = 0, maxTicks = 0;
            int slot = _head;
            foreach (OperationSample sample in samples)
            {
                inFlight += sample.InFlight;
                int id = sample.Recorder.Id;
                bool known = _baselines.TryGetValue(id, out Baseline? baseline);
                if (known && sample.Count == baseline!.Count)
                {
                    // Nothing completed: no snapshot, and a tracked operation's point is an idle one.
                    if (_primed && _tracked.TryGetValue(id, out OperationTrend? idle))
                    {
                        idle.SetIdle(slot);
                    }

                    continue;
                }

                OperationSnapshot snapshot = sample.Recorder.Snapshot();
                if (!known)
                {
                    // Before priming every operation's past is the baseline; after, an operation is new since the last interval.
                    baseline = new Baseline();
                    _baselines.Add(id, baseline);
                    if (!_primed)
                    {
                        baseline.Reset(snapshot);
                        continue;
                    }
                }

                long[] delta = _scratchOperation;
                baseline!.Delta(snapshot, delta);
                Add(interval, delta);
                long callDelta = Math.Max(0, snapshot.Count - baseline.Count);
                long errorDelta = Math.Max(0, snapshot.Failed - baseline.Failed);
                long timedDelta = Math.Max(0, snapshot.Timed - baseline.Timed);
                long ticksDelta = Math.Max(0, snapshot.TotalTicks - baseline.TotalTicks);
                baseline.Reset(snapshot);
                calls += callDelta;
                errors += errorDelta;
                maxTicks = Math.Max(maxTicks, snapshot.MaxTicks);
                if (_primed)
                {
                    RecordOperation(id, slot, delta, callDelta, errorDelta, timedDelta, ticksDelta, snapshot.MaxTicks);
                }
            }

            if (!_primed)
            {
                _lastTime = time;
                _primed = true;
                return;
            }

            double seconds = Math.Max((time - _lastTime).TotalSeconds, 1e-3);
            _lastTime = time;
            long timed = 0;
            foreach (long count in interval)
            {
                timed += count;
            }

            _times[slot] = time.ToUnixTimeMilliseconds();
            _seconds[slot] = seconds;
            _calls[slot] = calls;
            _errors[slot] = errors;
            _inFlight[slot] = inFlight;
            _p50[slot] = Quantile(interval, timed, 0.50, maxTicks);
            _p95[slot] = Quantile(interval, timed, 0.95, maxTicks);
            _p99[slot] = Quantile(interval, timed, 0.99, maxTicks);
            _head = (_head + 1) % _capacity;
            _count = Math.Min(_count + 1, _capacity);
            _sequence++;
            ForgetIdleOperations();
        }
    }

    /// <summary>Every operation together, oldest point first.</summary>
    public TrendSeries Global()
    {
        lock (_gate)
        {
            int n = _count;
            var series = new TrendSeries(_capacity, n);
            for (int i = 0; i < n; i++)
            {
                int slot = SlotOf(i);
                series.Times[i] = _times[slot];
                series.CallsPerSecond[i] = Round(_calls[slot] / _seconds[slot]);
                series.ErrorsPerSecond[i] = Round(_errors[slot] / _seconds[slot]);
                series.InFlight[i] = _inFlight[slot];
                series.P50Ms[i] = Nullable(_p50[slot], _calls[slot]);
                series.P95Ms[i] = Nullable(_p95[slot], _calls[slot]);
                series.P99Ms[i] = Nullable(_p99[slot], _calls[slot]);
            }

            return series;
        }
    }

    /// <summary>The newest point of every operation together; null before the second interval.</summary>
    public TrendPoint? Latest()
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                return null;
            }

            int slot = SlotOf(_count - 1);
            return new TrendPoint(
                _sequence,
                _times[slot],
                Round(_calls[slot] / _seconds[slot]),
                Round(_errors[slot] / _seconds[slot]),
                _inFlight[slot],
                Nullable(_p50[slot], _calls[slot]),
                Nullable(_p95[slot], _calls[slot]),
                Nullable(_p99[slot], _calls[slot]));
        }
    }

    /// <summary>Calls and errors over the newest <paramref name="points"/> intervals, and the seconds they cover.</summary>
    public (long Calls, long Errors, double Seconds) Window(int points)
    {
        lock (_gate)
        {
            long calls = 0, errors = 0;
            double seconds = 0;
            for (int i = Math.Max(0, _count - points); i < _count; i++)
            {
                int slot = SlotOf(i);
                calls += _calls[slot];
                errors += _errors[slot];
                seconds += _seconds[slot];
            }

            return (calls, errors, seconds);
        }
    }

    /// <summary>One operation's trend, oldest point first, aligned with <see cref="Global"/>; null when it keeps none.</summary>
    public OperationTrendSeries? Operation(int id)
    {
        lock (_gate)
        {
            if (!_tracked.TryGetValue(id, out OperationTrend? trend))
            {
                return null;
            }

            int n = _count;
            var series = new OperationTrendSeries(id, _capacity, n);
            for (int i = 0; i < n; i++)
            {
                int slot = SlotOf(i);
                series.Times[i] = _times[slot];
                bool known = trend.Calls[slot] >= 0;
                series.CallsPerSecond[i] = known ? Round(trend.Calls[slot] / _seconds[slot]) : null;
                series.ErrorsPerSecond[i] = known ? Round(trend.Errors[slot] / _seconds[slot]) : null;
                series.P95Ms[i] = known ? Nullable(trend.P95[slot], trend.Calls[slot]) : null;
                series.MeanMs[i] = known ? Nullable(trend.Mean[slot], trend.Calls[slot]) : null;
            }

            return series;
        }
    }

    /// <summary>One operation's newest point; null when it keeps no trend.</summary>
    public OperationTrendPoint? LatestFor(int id)
    {
        lock (_gate)
        {
            if (_count == 0 || !_tracked.TryGetValue(id, out OperationTrend? trend))
            {
                return null;
            }

            int slot = SlotOf(_count - 1);
            if (trend.Calls[slot] < 0)
            {
                return null;
            }

            return new OperationTrendPoint(
                _sequence,
                _times[slot],
                Round(trend.Calls[slot] / _seconds[slot]),
                Round(trend.Errors[slot] / _seconds[slot]),
                Nullable(trend.P95[slot], trend.Calls[slot]),
                Nullable(trend.Mean[slot], trend.Calls[slot]));
        }
    }

    private void RecordOperation(int id, int slot, long[] delta, long callDelta, long errorDelta, long timedDelta, long ticksDelta, long maxTicks)
    {
        if (!_tracked.TryGetValue(id, out OperationTrend? trend))
        {
            if (callDelta == 0)
            {
                return;
            }

            if (_tracked.Count >= _maxOperations)
            {
                _untrackedActive++;
                return;
            }

            trend = new OperationTrend(_capacity);
            _tracked.Add(id, trend);
        }

        trend.Calls[slot] = callDelta;
        trend.Errors[slot] = errorDelta;
        trend.P95[slot] = Quantile(delta, timedDelta, 0.95, maxTicks);
        trend.Mean[slot] = timedDelta == 0 ? float.NaN : (float)MonitoringClock.ToMilliseconds((double)ticksDelta / timedDelta);
        if (callDelta > 0)
        {
            trend.LastActive = _sequence + 1;
        }
    }

    // An operation idle for a whole window has nothing left to show: its ring is freed for another.
    private void ForgetIdleOperations()
    {
        List<int>? idle = null;
        foreach ((int id, OperationTrend trend) in _tracked)
        {
            if (_sequence - trend.LastActive >= _capacity)
            {
                (idle ??= []).Add(id);
            }
        }

        if (idle is not null)
        {
            foreach (int id in idle)
            {
                _tracked.Remove(id);
            }
        }
    }

    private int SlotOf(int index) => (_head - _count + index + _capacity) % _capacity;

    private static void Add(long[] into, long[] from)
    {
        for (int i = 0; i < into.Length; i++)
        {
            into[i] += from[i];
        }
    }

    private static float Quantile(long[] buckets, long total, double q, long maxTicks) =>
        total == 0 ? float.NaN : (float)MonitoringClock.ToMilliseconds(DurationHistogram.Quantile(buckets, total, q, maxTicks));

    private static double? Nullable(float value, long calls) =>
        calls <= 0 || float.IsNaN(value) ? null : Round(value);

    private static double Round(double value) => Math.Round(value, 4);

    /// <summary>An operation's tallies at the last interval; its histogram kept sparse (only the buckets in use).</summary>
    private sealed class Baseline
    {
        private int[] _buckets = [];
        private long[] _counts = [];

        public long Count;
        public long Failed;
        public long Timed;
        public long TotalTicks;

        public void Reset(OperationSnapshot snapshot)
        {
            Count = snapshot.Count;
            Failed = snapshot.Failed;
            Timed = snapshot.Timed;
            TotalTicks = snapshot.TotalTicks;
            int used = 0;
            foreach (long count in snapshot.Buckets)
            {
                used += count != 0 ? 1 : 0;
            }

            if (_buckets.Length != used)
            {
                _buckets = new int[used];
                _counts = new long[used];
            }

            int next = 0;
            for (int i = 0; i < snapshot.Buckets.Length; i++)
            {
                if (snapshot.Buckets[i] != 0)
                {
                    _buckets[next] = i;
                    _counts[next++] = snapshot.Buckets[i];
                }
            }
        }

        /// <summary>Writes the calls each bucket gained since the baseline into <paramref name="delta"/>.</summary>
        public void Delta(OperationSnapshot snapshot, long[] delta)
        {
            Array.Copy(snapshot.Buckets, delta, delta.Length);
            for (int i = 0; i < _buckets.Length; i++)
            {
                delta[_buckets[i]] = Math.Max(0, delta[_buckets[i]] - _counts[i]);
            }
        }
    }

    private sealed class OperationTrend
    {
        public OperationTrend(int capacity)
        {
            Calls = new long[capacity];
            Array.Fill(Calls, -1);
            Errors = new long[capacity];
            P95 = new float[capacity];
            Mean = new float[capacity];
        }

        /// <summary>Calls per slot; -1 where the operation kept no trend yet.</summary>
        public long[] Calls { get; }

        public long[] Errors { get; }

        public float[] P95 { get; }

        public float[] Mean { get; }

        public long LastActive;

        public void SetIdle(int slot)
        {
            Calls[slot] = 0;
            Errors[slot] = 0;
            P95[slot] = float.NaN;
            Mean[slot] = float.NaN;
        }
    }
}
