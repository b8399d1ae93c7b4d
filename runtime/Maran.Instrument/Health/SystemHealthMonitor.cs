using System.Collections.Concurrent;
using System.Reflection;
using Maran.Instrument.Configuration;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Health;

/// <summary>
/// Watches the machine this process runs on: CPU, memory (the container's limit when there is one), disk space,
/// the .NET runtime's heap, pauses and allocation rate, and NVIDIA GPUs through NVML. Every
/// <see cref="MonitoringSettings.HealthCheckInterval"/> seconds it takes a sample, scores it against
/// <see cref="Thresholds"/> and keeps it in a bounded history that the dashboard and exporters read.
/// </summary>
/// <example>
/// <code>
/// var health = AdvancedMonitoringSystem.Default.HealthMonitor;
/// health.Thresholds["queue_depth"] = 100;
/// health.SetCustomMetric("queue_depth", queue.Count);
/// HealthStatus status = health.GetHealthStatus(); // status.Status is "healthy", "degraded" or "critical"
/// </code>
/// </example>
public sealed class SystemHealthMonitor : IMonitoringService, IDisposable, IGpuTimeline
{
    private static readonly HashSet<string> s_builtInKeys = [.. typeof(HealthMetrics)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)];

    private readonly object _gate = new();
    private readonly object _sampleGate = new();
    private readonly MonitoringSettings _settings;
    private readonly TimeProvider _time;
    private readonly string _root;
    private readonly ConcurrentDictionary<string, HealthReading> _custom = new(StringComparer.OrdinalIgnoreCase);
    private ConcurrentDictionary<string, double>? _thresholds;
    private HealthHistory? _history;
    private HealthSampler? _sampler;
    private Scoring? _scoring;
    private ITimer? _timer;
    private bool _running;

    /// <summary>Creates a monitor with the default settings: every 30 seconds, the seed's thresholds, NVML if present.</summary>
    public SystemHealthMonitor()
        : this(new MonitoringSettings())
    {
    }

    /// <summary>Creates a monitor from the <c>monitoring:</c> settings; <paramref name="timeProvider"/> drives its clock and timer (the system's by default).</summary>
    public SystemHealthMonitor(MonitoringSettings settings, TimeProvider? timeProvider = null)
        : this(settings, timeProvider ?? TimeProvider.System, root: "/")
    {
    }

    /// <summary>Creates a monitor that reads <c>/proc</c> and <c>/sys/fs/cgroup</c> under <paramref name="root"/> (fixture folders in tests).</summary>
    internal SystemHealthMonitor(MonitoringSettings settings, TimeProvider timeProvider, string root)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _settings = settings;
        _time = timeProvider;
        _root = root;
    }

    /// <summary>
    /// Thresholds by key: a built-in reading (<see cref="HealthMetrics"/>) or a custom metric fed with
    /// <see cref="SetCustomMetric"/>. Starts as a copy of <c>monitoring.health_thresholds</c> taken when first used;
    /// change it at any time, even while monitoring. A reading greater than its threshold violates it.
    /// </summary>
    public IDictionary<string, double> Thresholds => ThresholdTable;

    /// <summary>Whether <see cref="StartMonitoring"/> has been called and <see cref="StopMonitoring"/> has not.</summary>
    public bool IsMonitoring
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    /// <summary>The latest sample scored against the current thresholds and custom metric values; null before the first sample.</summary>
    public HealthStatus? Latest => History.Latest is { } latest ? Rescore(latest.Snapshot) : null;

    string IMonitoringService.Name => "system health monitor";

    private ConcurrentDictionary<string, double> ThresholdTable =>
        LazyInitializer.EnsureInitialized(ref _thresholds, () => new ConcurrentDictionary<string, double>(_settings.HealthThresholds, StringComparer.OrdinalIgnoreCase));

    private HealthHistory History =>
        LazyInitializer.EnsureInitialized(ref _history, () => new HealthHistory(Math.Clamp(_settings.Health.HistorySize, 1, 100_000)));

    /// <summary>
    /// Starts sampling every <see cref="MonitoringSettings.HealthCheckInterval"/> seconds on a timer (no thread of
    /// its own). Loads NVML once; without it the GPU status says why. Calling it again while running does nothing.
    /// </summary>
    /// <exception cref="MonitoringConfigurationException">A threshold, weight or interval is invalid; the message names the key.</exception>
    public void StartMonitoring()
    {
        lock (_gate)
        {
            if (_running)
            {
                return;
            }

            IReadOnlyList<ConfigurationError> errors = Validate(new OptionsBinder(root: null));
            if (errors.Count > 0)
            {
                throw new MonitoringConfigurationException(errors);
            }

            TimeSpan interval = TimeSpan.FromSeconds(_settings.HealthCheckInterval);
            lock (_sampleGate)
            {
                _sampler = CreateSampler();
                _sampler.OpenGpu();
                _sampler.SetBaseline();
                _running = true;
            }

            _timer = _time.CreateTimer(static state => ((SystemHealthMonitor)state!).Tick(), this, interval, interval);
        }
    }

    /// <summary>Stops sampling: waits for a sample in progress, shuts NVML down, and leaves no timer or thread behind.</summary>
    public void StopMonitoring()
    {
        lock (_gate)
        {
            if (!_running)
            {
                return;
            }

            _timer?.Dispose();
            _timer = null;
            lock (_sampleGate)
            {
                _running = false;
                _sampler?.CloseGpu();
            }
        }
    }

    /// <summary>The latest sample scored against the current thresholds; takes a sample first if there is none yet.</summary>
    public HealthStatus GetHealthStatus() => Latest ?? CheckNow();

    /// <summary>Takes a sample now, adds it to the history and returns it scored. Never throws: a failed reading is listed as unavailable.</summary>
    public HealthStatus CheckNow()
    {
        lock (_sampleGate)
        {
            bool temporary = !_running;
            _sampler ??= CreateSampler();
            try
            {
                if (temporary)
                {
                    _sampler.OpenGpu();
                }

                return TakeSample(_sampler);
            }
            finally
            {
                if (temporary)
                {
                    _sampler.CloseGpu();
                }
            }
        }
    }

    /// <summary>Every sample kept (up to <see cref="HealthSettings.HistorySize"/>), oldest first, each scored as it was when taken.</summary>
    public IReadOnlyList<HealthStatus> GetHistory() => History.ToList();

    /// <summary>
    /// Feeds a custom metric: its latest value is checked against <c>Thresholds[name]</c> from now on and appears
    /// among the readings of every sample.
    /// </summary>
    /// <param name="name">The metric's key, the same as its threshold's; not one of the built-in <see cref="HealthMetrics"/> keys.</param>
    /// <param name="value">The current value.</param>
    /// <param name="unit">Its unit, for display.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or names a built-in reading.</exception>
    public void SetCustomMetric(string name, double value, string unit = "")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (s_builtInKeys.Contains(name))
        {
            throw new ArgumentException($"'{name}' is a built-in reading of the health monitor; give the custom metric another name", nameof(name));
        }

        _custom[name] = new HealthReading(name, value, unit ?? string.Empty, _time.GetUtcNow());
    }

    /// <summary>Stops monitoring.</summary>
    public void Dispose() => StopMonitoring();

    void IMonitoringService.Start() => StartMonitoring();

    void IMonitoringService.Stop() => StopMonitoring();

    /// <summary>Checks the interval, the <c>health</c> section and every threshold, naming each bad key.</summary>
    internal IReadOnlyList<ConfigurationError> Validate(OptionsBinder binder)
    {
        if (!(_settings.HealthCheckInterval > 0) || !double.IsFinite(_settings.HealthCheckInterval))
        {
            binder.Error("monitoring:health_check_interval", MonitoringSettings.Format(_settings.HealthCheckInterval), "the interval must be a positive number of seconds");
        }

        _settings.Health.Validate(binder, "monitoring:health");
        foreach ((string key, double value) in ThresholdTable.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            MonitoringSettings.ValidateThreshold(binder, $"monitoring:health_thresholds:{key}", key, value);
        }

        return binder.Errors;
    }

    /// <summary>The mean GPU utilisation during <paramref name="calls"/>, from the samples that fell in their windows.</summary>
    (double Percent, int Samples)? IGpuTimeline.GpuUtilizationDuring(IReadOnlyList<RecentCall> calls) => GpuUtilizationDuring(calls);

    internal (double Percent, int Samples)? GpuUtilizationDuring(IReadOnlyList<RecentCall> calls) =>
        _history is { } history ? history.GpuUtilizationDuring(calls, _time.TimestampFrequency) : null;

    private HealthSampler CreateSampler()
    {
        HealthSettings health = _settings.Health;
        _scoring = new Scoring(
            new Dictionary<string, double>(health.Weights, StringComparer.OrdinalIgnoreCase),
            health.DefaultWeight,
            health.CriticalBelow);
        List<string> disks = [_settings.DataDirectory, .. health.DiskPaths.Where(p => !string.IsNullOrWhiteSpace(p))];
        string? nvml = string.IsNullOrWhiteSpace(health.NvmlLibrary) ? null : health.NvmlLibrary;
        return new HealthSampler(_time, _root, [.. disks.Distinct(StringComparer.Ordinal)], health.Gpu, nvml);
    }

    private void Tick()
    {
        lock (_sampleGate)
        {
            if (!_running || _sampler is null)
            {
                return;
            }

            TakeSample(_sampler);
        }
    }

    private HealthStatus TakeSample(HealthSampler sampler)
    {
        HealthSnapshot snapshot;
        try
        {
            snapshot = sampler.Sample(_custom.Values);
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("health sampling", ex);
            snapshot = new HealthSnapshot
            {
                Timestamp = _time.GetUtcNow(),
                MonotonicTimestamp = _time.GetTimestamp(),
                Readings = [.. _custom.Values],
                Gpus = [],
                GpuStatus = "GPUs not read: the sample failed",
                Unavailable = [$"every system reading: the sample failed ({ex.GetType().Name}: {ex.Message})"],
            };
        }

        HealthStatus status = Score(snapshot);
        History.Add(status);
        return status;
    }

    // Scores a sample again with the custom metrics' current values and the current thresholds.
    private HealthStatus Rescore(HealthSnapshot snapshot) =>
        Score(snapshot with { Readings = [.. snapshot.Readings.Where(r => !IsCustom(r)), .. _custom.Values] });

    private static bool IsCustom(HealthReading reading) => reading.Subject is null && !s_builtInKeys.Contains(reading.Key);

    private HealthStatus Score(HealthSnapshot snapshot)
    {
        Scoring scoring = _scoring ?? new Scoring(_settings.Health.Weights, _settings.Health.DefaultWeight, _settings.Health.CriticalBelow);
        return HealthScore.Evaluate(snapshot, ThresholdTable, scoring.Weights, scoring.DefaultWeight, scoring.CriticalBelow);
    }

    private sealed record Scoring(IReadOnlyDictionary<string, double> Weights, double DefaultWeight, double CriticalBelow);
}
