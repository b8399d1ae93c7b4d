using System.Diagnostics;
using Maran.Instrument.Alerts;
using Maran.Instrument.Configuration;
using Maran.Instrument.Costs;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Errors;
using Maran.Instrument.Export;
using Maran.Instrument.Health;
using Maran.Instrument.Profiling;
using Maran.Instrument.Telemetry;
using Prometheus;

namespace Maran.Instrument;

/// <summary>
/// The Prometheus metrics and how each is filled at scrape time. Counters are raised to the recorders' totals
/// (<see cref="ICounter.IncTo"/>); the duration histogram receives, per scrape, the calls each recorder bucket
/// gained since the last scrape (<see cref="IHistogram.Observe(double, long)"/>).
/// </summary>
/// <remarks>
/// The recorders keep a fine log-linear histogram (buckets at most 12.5% wide); Prometheus gets it folded into
/// <see cref="BucketBoundaries"/>. Each fine bucket is observed at its midpoint, so a call within 6.25% of an
/// <c>le</c> boundary may be counted on the other side of it, and <c>_sum</c> is the sum of midpoints (within
/// 6.25% of the true total). <c>_count</c> is exact: the number of timed calls, which is every call unless
/// sampling is on; <c>operation_calls_total</c> always counts every call.
/// </remarks>
internal sealed class PrometheusMetricSet
{
    /// <summary>The <c>le</c> boundaries of <c>operation_duration_seconds</c>, in seconds: 100 µs to 5 minutes.</summary>
    internal static readonly double[] BucketBoundaries =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    /// <summary>Longest label value published; longer user-supplied values are cut.</summary>
    internal const int MaxLabelLength = MetricLabels.MaxLength;

    /// <summary>The OpenMetrics name of the identity series, which no prefix changes.</summary>
    internal const string TargetInfoName = "target_info";

    /// <summary>Most operations published by default (<c>monitoring.metrics_max_operations</c>).</summary>
    internal const int DefaultMaxOperations = MetricLabels.DefaultMaxOperations;

    private readonly int _maxOperations;
    private readonly HashSet<int> _published = [];
    private readonly HashSet<int> _leftOut = [];

    private static readonly double[] s_midpoints = BuildMidpoints();
    private static readonly OperationStatus[] s_statuses = [OperationStatus.Success, OperationStatus.Error, OperationStatus.Cancelled];

    private readonly Histogram _duration;
    private readonly Counter _calls;
    private readonly Gauge _inFlight;
    private readonly Gauge _memory;
    private readonly Gauge _cpu;
    private readonly Gauge _healthScore;
    private readonly Gauge _gpuUsage;
    private readonly Gauge _gpuMemoryUsed;
    private readonly Gauge _gpuMemoryTotal;
    private readonly Gauge _gpuTemperature;
    private readonly Gauge _gpuPower;
    private readonly Counter _errors;
    private readonly Gauge _cost;
    private readonly Counter _tokens;
    private readonly Counter _dropped;
    private readonly Counter _internalErrors;
    private readonly Gauge _targetInfo;
    private readonly Gauge _processInFlight;
    private readonly Gauge _processLimit;
    private readonly Gauge _processSaturation;
    private readonly Gauge _operationLimit;
    private readonly Gauge _operationSaturation;
    private readonly List<string> _names = [];
    private readonly Gauge _anomalyScore;
    private readonly Gauge _anomalyLower;
    private readonly Gauge _anomalyUpper;
    private readonly Gauge _sloObjective;
    private readonly Gauge _sloBudget;
    private readonly Gauge _sloBurnRate;
    private readonly Dictionary<(int Id, OperationStatus Status), long[]> _observed = [];
    private readonly HashSet<string> _anomaliesShown = new(StringComparer.Ordinal);
    private readonly HashSet<string> _slosShown = new(StringComparer.Ordinal);
    private readonly HashSet<(string, string)> _burnRatesShown = [];
    private readonly HashSet<string> _gpusShown = new(StringComparer.Ordinal);
    private readonly HashSet<(string, string, string)> _costsShown = [];

    internal PrometheusMetricSet(CollectorRegistry registry, string prefix, int maxOperations = DefaultMaxOperations)
    {
        Prefix = prefix;
        _maxOperations = Math.Max(1, maxOperations);
        MetricFactory factory = Prometheus.Metrics.WithCustomRegistry(registry);
        string Name(string name)
        {
            _names.Add(prefix + name);
            return prefix + name;
        }

        _duration = factory.CreateHistogram(Name("operation_duration_seconds"),
            "Duration of monitored calls, in seconds (timed calls only when sampling is on); kind is operation, model_call, tool or agent.",
            ["operation", "component", "kind", "status"],
            new HistogramConfiguration { Buckets = BucketBoundaries });
        _calls = factory.CreateCounter(Name("operation_calls_total"),
            "Monitored calls that ended, by kind (operation, model_call, tool, agent) and outcome (success, error, cancelled); every call is counted, sampled or not.",
            ["operation", "component", "kind", "status"]);
        _inFlight = factory.CreateGauge(Name("operation_in_flight"),
            "Monitored calls started and not yet ended, by kind (operation, model_call, tool, agent).",
            ["operation", "component", "kind"]);
        _memory = factory.CreateGauge(Name("memory_usage_bytes"),
            "Memory in bytes: scope=\"process\" is this process's working set, scope=\"system\" the machine's memory in use, scope=\"operation\" the mean bytes one call allocates (sampled).",
            ["scope", "operation", "component"]);
        _cpu = factory.CreateGauge(Name("cpu_usage_percent"),
            "Machine CPU use, in percent (from the health monitor).",
            new GaugeConfiguration { SuppressInitialValue = true });
        _healthScore = factory.CreateGauge(Name("system_health_score"),
            "Overall system health from 0 (failing) to 100 (healthy) (from the health monitor).",
            new GaugeConfiguration { SuppressInitialValue = true });
        _gpuUsage = factory.CreateGauge(Name("gpu_usage_percent"), "GPU utilisation, in percent.", ["gpu"]);
        _gpuMemoryUsed = factory.CreateGauge(Name("gpu_memory_used_bytes"), "GPU memory in use, in bytes.", ["gpu"]);
        _gpuMemoryTotal = factory.CreateGauge(Name("gpu_memory_total_bytes"), "GPU memory, in bytes.", ["gpu"]);
        _gpuTemperature = factory.CreateGauge(Name("gpu_temperature_celsius"), "GPU temperature, in degrees Celsius.", ["gpu"]);
        _gpuPower = factory.CreateGauge(Name("gpu_power_watts"), "GPU power draw, in watts.", ["gpu"]);
        _errors = factory.CreateCounter(Name("errors_total"),
            "Errors, by exception type, category, component and severity: each failure counted once, where it was raised, on the recording path.",
            ["type", "category", "component", "severity"]);
        _cost = factory.CreateGauge(Name("total_cost_usd"),
            "Money spent so far, in US dollars, by model, component and resource type.",
            ["model", "component", "resource_type"]);
        _tokens = factory.CreateCounter(Name("tokens_total"),
            "Tokens used, by model and type (input, output, cached, reasoning).",
            ["model", "type"]);
        _dropped = factory.CreateCounter(Name("maran_dropped_total"),
            "Items the monitoring dropped because a queue was full, by queue.",
            ["queue"]);
        _internalErrors = factory.CreateCounter(Name("maran_internal_errors_total"),
            "Failures inside the monitoring itself, by kind; the monitored program carried on.",
            ["kind"]);

        // OpenMetrics' target_info keeps its conventional name whatever the prefix, so Prometheus and Grafana find it.
        _names.Add(TargetInfoName);
        _targetInfo = factory.CreateGauge(TargetInfoName,
            "The service and instance this process is (service.name, service.instance.id, deployment.environment); always 1.",
            ["service_name", "service_instance_id", "deployment_environment"]);
        _processInFlight = factory.CreateGauge(Name("maran_in_flight"),
            "Monitored operations (kind operation) started and not yet ended in this process; a nested monitored operation counts too.");
        _processLimit = factory.CreateGauge(Name("maran_concurrency_limit"),
            "The operations this process is sized to run at once (monitoring.concurrency_limit); absent when unset.",
            new GaugeConfiguration { SuppressInitialValue = true });
        _processSaturation = factory.CreateGauge(Name("maran_saturation_ratio"),
            "maran_in_flight divided by maran_concurrency_limit: 1 is a process at its configured capacity; absent without a limit.",
            new GaugeConfiguration { SuppressInitialValue = true });
        _operationLimit = factory.CreateGauge(Name("operation_concurrency_limit"),
            "The calls an operation is sized to run at once (monitoring.concurrency_limits).",
            ["operation", "component", "kind"]);
        _operationSaturation = factory.CreateGauge(Name("operation_saturation_ratio"),
            "operation_in_flight divided by operation_concurrency_limit: 1 is an operation at its configured capacity.",
            ["operation", "component", "kind"]);
        _anomalyScore = factory.CreateGauge(Name("maran_anomaly_score"),
            "The anomaly detector's latest score of each series an anomaly rule watches, from 0 (as expected) to 1; about 0.5 is a deviation the series shows once in a thousand points.",
            ["series"]);
        _anomalyLower = factory.CreateGauge(Name("maran_anomaly_expected_lower"),
            "Lower edge of the band the anomaly detector expected the series' latest point in.",
            ["series"]);
        _anomalyUpper = factory.CreateGauge(Name("maran_anomaly_expected_upper"),
            "Upper edge of the band the anomaly detector expected the series' latest point in.",
            ["series"]);
        _sloObjective = factory.CreateGauge(Name("maran_slo_objective"),
            "The share of an SLO's calls that must be good over its window, 0 to 1 (alerts.slos).",
            ["slo"]);
        _sloBudget = factory.CreateGauge(Name("maran_slo_error_budget_remaining"),
            "The share of an SLO's error budget left over its window: 1 untouched, 0 spent, negative when overspent.",
            ["slo"]);
        _sloBurnRate = factory.CreateGauge(Name("maran_slo_burn_rate"),
            "An SLO's burn rate over a window ending now (its error rate divided by 1 - objective); absent for a window without calls.",
            ["slo", "window"]);
    }

    internal string Prefix { get; }

    /// <summary>The name of every metric family this set exports, prefix included, in the order they were created.</summary>
    internal IReadOnlyList<string> Names => _names;

    /// <summary>A label value as published: at most <see cref="MaxLabelLength"/> characters (prometheus-net escapes the rest).</summary>
    internal static string Label(string? value) => MetricLabels.Label(value);

    internal static string StatusLabel(OperationStatus status) => status switch
    {
        OperationStatus.Error => "error",
        OperationStatus.Cancelled => "cancelled",
        _ => "success",
    };

    /// <summary>Copies every source into the metrics; called before each scrape, one scrape at a time.</summary>
    internal void Update(ITelemetrySources sources) => Update(sources, identity: null, settings: null);

    /// <summary>
    /// Copies every source into the metrics, with <paramref name="identity"/> as <c>target_info</c> and the concurrency
    /// limits of <paramref name="settings"/> as the saturation series; called before each scrape, one scrape at a time.
    /// </summary>
    internal void Update(ITelemetrySources sources, ServiceIdentity? identity, MonitoringSettings? settings)
    {
        long processInFlight = 0;
        var errorTallies = new Dictionary<(string Type, string Component), long>();
        // Operations take a slot the first time they are seen to have run, and keep it, so published series stay put;
        // operations that never ran take none. Past the limit, each operation left out is counted once as a dropped series.
        IReadOnlyList<OperationRecorder> recorders = OperationRegistry.All;
        for (int r = 0; r < recorders.Count; r++)
        {
            int id = recorders[r].Id;
            if (!_published.Contains(id))
            {
                if (!recorders[r].IsUsed)
                {
                    continue;
                }

                if (_published.Count >= _maxOperations)
                {
                    if (_leftOut.Add(id))
                    {
                        MonitoringDiagnostics.Drop("prometheus series");
                    }

                    continue;
                }

                _published.Add(id);
            }

            OperationSnapshot snapshot = recorders[r].Snapshot();
            UpdateOperation(snapshot);
            UpdateSaturation(snapshot, settings);
            if (snapshot.Recorder.Kind == OperationKind.Operation)
            {
                processInFlight += snapshot.InFlight;
            }

            string component = Label(snapshot.Recorder.Component);
            foreach ((string type, long count) in snapshot.RaisedErrorTypes)
            {
                (string, string) key = (Label(type), component);
                errorTallies[key] = errorTallies.GetValueOrDefault(key) + count;
            }
        }

        UpdateErrors(sources, errorTallies);
        UpdateHealth(sources.Health());
        UpdateCosts(sources.Costs());
        UpdateAnomalies(sources.Anomalies());
        UpdateSlos(sources.Slos());
        foreach (((string model, string type), long count) in TokenTally.Process.Read())
        {
            _tokens.WithLabels(model, type).IncTo(count);
        }

        foreach ((string queue, long count) in MonitoringDiagnostics.Dropped)
        {
            _dropped.WithLabels(Label(queue)).IncTo(count);
        }

        foreach ((string kind, long count) in MonitoringDiagnostics.InternalErrors)
        {
            _internalErrors.WithLabels(Label(kind)).IncTo(count);
        }

        _memory.WithLabels("process", string.Empty, string.Empty).Set(Environment.WorkingSet);
        UpdateProcess(identity, settings, processInFlight);
    }

    private void UpdateProcess(ServiceIdentity? identity, MonitoringSettings? settings, long inFlight)
    {
        if (identity is not null)
        {
            _targetInfo.WithLabels(Label(identity.ServiceName), Label(identity.InstanceId), Label(identity.Environment)).Set(1);
        }

        _processInFlight.Set(inFlight);
        if (settings is { ConcurrencyLimit: > 0 } limited)
        {
            _processLimit.Set(limited.ConcurrencyLimit);
            _processSaturation.Set((double)inFlight / limited.ConcurrencyLimit);
            _processLimit.Publish();
            _processSaturation.Publish();
        }
        else
        {
            _processLimit.Unpublish();
            _processSaturation.Unpublish();
        }
    }

    // Operations with a configured limit publish it and their share of it; the in-flight gauge itself is already there.
    private void UpdateSaturation(OperationSnapshot snapshot, MonitoringSettings? settings)
    {
        OperationRecorder recorder = snapshot.Recorder;
        if (snapshot.Started == 0 || settings is null || !settings.ConcurrencyLimits.TryGetValue(recorder.Name, out int limit) || limit <= 0)
        {
            return;
        }

        string operation = Label(recorder.Name);
        string component = Label(recorder.Component);
        string kind = recorder.Kind.Label();
        _operationLimit.WithLabels(operation, component, kind).Set(limit);
        _operationSaturation.WithLabels(operation, component, kind).Set((double)snapshot.InFlight / limit);
    }

    private void UpdateOperation(OperationSnapshot snapshot)
    {
        OperationRecorder recorder = snapshot.Recorder;
        string operation = Label(recorder.Name);
        string component = Label(recorder.Component);
        string kind = recorder.Kind.Label();
        if (snapshot.Started == 0)
        {
            return;
        }

        _inFlight.WithLabels(operation, component, kind).Set(snapshot.InFlight);
        if (snapshot.AllocationSamples > 0)
        {
            _memory.WithLabels("operation", operation, component).Set((double)snapshot.AllocatedBytes / snapshot.AllocationSamples);
        }

        foreach (OperationStatus status in s_statuses)
        {
            string statusLabel = StatusLabel(status);
            long calls = status switch
            {
                OperationStatus.Error => snapshot.Failed,
                OperationStatus.Cancelled => snapshot.Cancelled,
                _ => snapshot.Succeeded,
            };
            if (calls > 0)
            {
                _calls.WithLabels(operation, component, kind, statusLabel).IncTo(calls);
            }

            ObserveNewCalls(snapshot, status, operation, component, kind, statusLabel);
        }
    }

    // Feeds the histogram the calls each fine bucket gained since the last scrape; a count never goes back.
    private void ObserveNewCalls(OperationSnapshot snapshot, OperationStatus status, string operation, string component, string kind, string statusLabel)
    {
        if (snapshot.Timed == 0 || (status == OperationStatus.Error && snapshot.ErrorBuckets is null)
            || (status == OperationStatus.Cancelled && snapshot.CancelledBuckets is null))
        {
            return;
        }

        long[] current = snapshot.BucketsFor(status);
        (int, OperationStatus) key = (snapshot.Recorder.Id, status);
        if (!_observed.TryGetValue(key, out long[]? seen))
        {
            seen = new long[current.Length];
            _observed.Add(key, seen);
        }

        Histogram.Child? child = null;
        for (int i = 0; i < current.Length; i++)
        {
            long gained = current[i] - seen[i];
            if (gained > 0)
            {
                child ??= _duration.WithLabels(operation, component, kind, statusLabel);
                child.Observe(s_midpoints[i], gained);
                seen[i] = current[i];
            }
        }
    }

    private void UpdateErrors(ITelemetrySources sources, Dictionary<(string Type, string Component), long> fromOperations)
    {
        if (sources.Errors() is { } tracked)
        {
            foreach (ErrorCount error in tracked)
            {
                _errors.WithLabels(Label(error.Type), Label(error.Category), Label(error.Component), Label(error.Severity)).IncTo(error.Count);
            }

            return;
        }

        foreach (((string type, string component), long count) in fromOperations)
        {
            _errors.WithLabels(type, "unclassified", component, "error").IncTo(count);
        }
    }

    private void UpdateHealth(ExportedHealth? health)
    {
        SetOrHide(_healthScore, health?.HealthScore);
        SetOrHide(_cpu, health?.CpuPercent);
        if (health?.MemoryUsedBytes is { } used)
        {
            _memory.WithLabels("system", string.Empty, string.Empty).Set(used);
        }
        else
        {
            _memory.RemoveLabelled("system", string.Empty, string.Empty);
        }

        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (ExportedGpu gpu in health?.Gpus ?? [])
        {
            string label = Label(gpu.Gpu);
            present.Add(label);
            SetOrRemove(_gpuUsage, label, gpu.UtilizationPercent);
            SetOrRemove(_gpuMemoryUsed, label, gpu.MemoryUsedBytes);
            SetOrRemove(_gpuMemoryTotal, label, gpu.MemoryTotalBytes);
            SetOrRemove(_gpuTemperature, label, gpu.TemperatureCelsius);
            SetOrRemove(_gpuPower, label, gpu.PowerWatts);
        }

        foreach (string gone in _gpusShown.Where(g => !present.Contains(g)).ToList())
        {
            foreach (Gauge gauge in (Gauge[])[_gpuUsage, _gpuMemoryUsed, _gpuMemoryTotal, _gpuTemperature, _gpuPower])
            {
                gauge.RemoveLabelled(gone);
            }
        }

        _gpusShown.Clear();
        _gpusShown.UnionWith(present);
    }

    private void UpdateCosts(IReadOnlyList<CostTotal> costs)
    {
        var present = new HashSet<(string, string, string)>();
        foreach (CostTotal cost in costs)
        {
            (string, string, string) key = (Label(cost.Model), Label(cost.Component), Label(cost.ResourceType));
            present.Add(key);
            _cost.WithLabels(key.Item1, key.Item2, key.Item3).Set(cost.Usd);
        }

        foreach ((string model, string component, string resource) in _costsShown.Where(c => !present.Contains(c)).ToList())
        {
            _cost.RemoveLabelled(model, component, resource);
        }

        _costsShown.Clear();
        _costsShown.UnionWith(present);
    }

    // A series two rules watch (say a warning and a critical one) is published once, with the higher score.
    private void UpdateAnomalies(IReadOnlyList<AnomalyReading> readings)
    {
        var latest = new Dictionary<string, AnomalyPoint>(StringComparer.Ordinal);
        foreach (AnomalyReading reading in readings)
        {
            string series = Label(reading.Series);
            if (!latest.TryGetValue(series, out AnomalyPoint seen) || reading.Latest.Score > seen.Score)
            {
                latest[series] = reading.Latest;
            }
        }

        foreach ((string series, AnomalyPoint point) in latest)
        {
            SetOrRemove(_anomalyScore, series, point.Score);
            SetOrRemove(_anomalyLower, series, point.Lower);
            SetOrRemove(_anomalyUpper, series, point.Upper);
        }

        foreach (string gone in _anomaliesShown.Where(s => !latest.ContainsKey(s)).ToList())
        {
            foreach (Gauge gauge in (Gauge[])[_anomalyScore, _anomalyLower, _anomalyUpper])
            {
                gauge.RemoveLabelled(gone);
            }
        }

        _anomaliesShown.Clear();
        _anomaliesShown.UnionWith(latest.Keys);
    }

    private void UpdateSlos(IReadOnlyList<SloStatus> slos)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        var burning = new HashSet<(string, string)>();
        foreach (SloStatus slo in slos)
        {
            string name = Label(slo.Name);
            present.Add(name);
            _sloObjective.WithLabels(name).Set(slo.Objective);
            SetOrRemove(_sloBudget, name, slo.ErrorBudgetRemaining);
            foreach (SloBurnRateReading burn in slo.BurnRates)
            {
                string window = AlertRuleValidator.ShortDuration(burn.Window);
                if (burn.BurnRate is { } rate && double.IsFinite(rate))
                {
                    _sloBurnRate.WithLabels(name, window).Set(rate);
                    burning.Add((name, window));
                }
            }
        }

        foreach (string gone in _slosShown.Where(s => !present.Contains(s)).ToList())
        {
            _sloObjective.RemoveLabelled(gone);
            _sloBudget.RemoveLabelled(gone);
        }

        foreach ((string slo, string window) in _burnRatesShown.Where(b => !burning.Contains(b)).ToList())
        {
            _sloBurnRate.RemoveLabelled(slo, window);
        }

        _slosShown.Clear();
        _slosShown.UnionWith(present);
        _burnRatesShown.Clear();
        _burnRatesShown.UnionWith(burning);
    }

    private static void SetOrHide(Gauge gauge, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            gauge.Set(v);
            gauge.Publish();
        }
        else
        {
            gauge.Unpublish();
        }
    }

    private static void SetOrRemove(Gauge gauge, string label, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            gauge.WithLabels(label).Set(v);
        }
        else
        {
            gauge.RemoveLabelled(label);
        }
    }

    private static double[] BuildMidpoints()
    {
        var midpoints = new double[DurationHistogram.BucketCount];
        for (int i = 0; i < midpoints.Length; i++)
        {
            long lower = DurationHistogram.LowerBound(i);
            long upper = DurationHistogram.UpperBound(i);
            double ticks = upper == long.MaxValue ? lower : lower + ((upper - lower) / 2.0);
            midpoints[i] = ticks / Stopwatch.Frequency;
        }

        return midpoints;
    }
}
