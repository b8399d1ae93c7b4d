using System.Globalization;
using Maran.Instrument.Configuration;
using Maran.Instrument.Costs;
using Maran.Instrument.Errors;
using Maran.Instrument.Health;
using Maran.Instrument.Profiling;
using Maran.Instrument.Storage;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// The fleet dashboard's source: every number read from a Prometheus server's HTTP API with PromQL, across every
/// instance that exports <c>target_info</c>, each query of a reading evaluated at the same moment. Totals are sums
/// over the instances whose last scrape succeeded (<c>up == 1</c>); each instance also gets a reading of its own,
/// which the instance filter shows. What stays in each process's memory (logs, traces, error stacks, agent runs,
/// its own alert rules) is pointed to instead of shown.
/// </summary>
/// <remarks>
/// Rates cover <see cref="WindowSeconds"/> (<c>rate(...[1m])</c>, so a scrape interval up to 15 s gives several
/// samples); counts (calls, errors, costs, tokens) are the exported totals since each instance started. A server that
/// does not answer gives a reading with no instance and <see cref="FleetView.Problem"/> saying why; it never throws.
/// </remarks>
internal sealed class PrometheusSource : IDashboardSource, IDisposable
{
    /// <summary>Seconds the rates (calls per second, error rate, duration percentiles) are computed over.</summary>
    internal const int WindowSeconds = 60;

    /// <summary>How far back an instance's <c>target_info</c> is looked for: a stopped instance stays listed, down, this long.</summary>
    internal const string IdentityLookback = "10m";

    /// <summary>Longest one request to Prometheus may take.</summary>
    internal static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private static readonly double[] s_quantiles = [0.5, 0.95, 0.99];

    private readonly HttpClient _http;
    private readonly PrometheusClient _client;
    private readonly PrometheusTrends _trends;
    private readonly MonitoringOptions _options;
    private readonly TimeProvider _time;
    private readonly string _prefix;
    private readonly object _idGate = new();
    private readonly Dictionary<(string Name, string Component, string Kind), int> _ids = [];

    /// <param name="server">The Prometheus server's base address (<c>dashboard.prometheus_url</c>).</param>
    /// <param name="options">The fleet's configuration: its <c>monitoring.metrics_prefix</c> names the series queried.</param>
    /// <param name="time">The clock a reading is taken at when no moment is asked for.</param>
    public PrometheusSource(Uri server, MonitoringOptions options, TimeProvider time)
    {
        _http = new HttpClient { Timeout = RequestTimeout };
        _client = new PrometheusClient(server, _http);
        _options = options;
        _time = time;
        _prefix = options.Monitoring.MetricsPrefix;
        _trends = new PrometheusTrends(_client, _prefix);
    }

    public IdentityView Identity => new("prometheus", null, null, null, _client.Server.AbsoluteUri);

    public bool HealthSampling => true;

    public DashboardReading Read(DateTimeOffset? at)
    {
        DateTimeOffset moment = at ?? _time.GetUtcNow();
        try
        {
            return new Reading(this, moment).Read();
        }
        catch (Exception ex) when (ex is PrometheusQueryException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            string problem = ex is PrometheusQueryException ? ex.Message : $"Prometheus at {_client.Server} answered something unexpected: {ex.Message}";
            return new DashboardReading(Data(moment, false, [], Errors(moment, [], [], []), Costs(moment, [], [], 0, []), null), [], [])
            {
                Fleet = new FleetView(_client.Server.AbsoluteUri, WindowSeconds, 0, 0, 0, 0, [], problem),
            };
        }
    }

    public string? Elsewhere(string part, DashboardFrame frame)
    {
        string own = OwnDashboard(frame);
        return part switch
        {
            "logs" => $"Logs stay in each process: open {own}, or the log backend its OTLP exporter or log sink writes to.",
            "traces" => $"Spans are sent by each instance over OTLP (OTEL_EXPORTER_OTLP_ENDPOINT): open them in the trace backend behind your collector, or in {own}.",
            "alerts" => $"A fleet's alert rules are evaluated by Prometheus (maran prometheus rules writes them): see {_client.Server}alerts. Each process's own rules are on {own}.",
            "agents" => $"Agent runs and their tool calls are kept in each process: open {own}.",
            ErrorsSection.GroupsPart => $"The counts are errors_total since each instance started, whatever the window. Error groups, their occurrences and stacks stay in each process: open {own}.",
            _ => null,
        };
    }

    public IReadOnlyList<HealthStatus> HealthHistory(DashboardFrame frame)
    {
        DateTimeOffset end = frame.Data.Timestamp;
        TimeSpan range = TimeSpan.FromMinutes(_options.Dashboard.TrendMinutes);
        TimeSpan step = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(range.TotalSeconds / HealthSection.MaxPoints)));
        string selector = frame.Instance is { } instance ? $"{{instance=\"{Escape(instance)}\"}}" : string.Empty;
        try
        {
            Task<IReadOnlyList<PromSeries>> scoresRead = _client.QueryRangeAsync(frame.Instance is null ? $"min({Name("system_health_score")})" : Name("system_health_score") + selector, end - range, end, step);
            Task<IReadOnlyList<PromSeries>> cpuRead = _client.QueryRangeAsync(Name("cpu_usage_percent") + selector, end - range, end, step);
            Task.WhenAll(scoresRead, cpuRead).GetAwaiter().GetResult();
            IReadOnlyList<PromSeries> scores = scoresRead.Result;
            IReadOnlyList<PromSeries> cpu = cpuRead.Result;
            var byTime = new SortedDictionary<DateTimeOffset, (double Score, List<HealthReading> Readings)>();
            foreach ((DateTimeOffset time, double value) in scores.SelectMany(static s => s.Points))
            {
                byTime[time] = (value, []);
            }

            foreach (PromSeries series in cpu)
            {
                string? subject = frame.Instance is null ? series.Labels.GetValueOrDefault("instance") : null;
                foreach ((DateTimeOffset time, double value) in series.Points)
                {
                    if (byTime.TryGetValue(time, out var point))
                    {
                        point.Readings.Add(new HealthReading(HealthMetrics.CpuPercent, value, "percent", time, subject));
                    }
                }
            }

            return [.. byTime.Select(p => Health(p.Key, p.Value.Score, p.Value.Readings, []))];
        }
        catch (PrometheusQueryException)
        {
            return [];
        }
    }

    public Task<TrendSeries> TrendsAsync(DashboardFrame frame) =>
        frame.Memo("trends", f => new Lazy<Task<TrendSeries>>(() => ReadTrendsAsync(f))).Value;

    public Task<OperationTrendSeries?> OperationTrendsAsync(DashboardFrame frame, int id)
    {
        if (Operation(id) is not { } operation)
        {
            return Task.FromResult<OperationTrendSeries?>(null);
        }

        return frame.Memo($"trends:{id}", f => new Lazy<Task<OperationTrendSeries?>>(() => ReadOperationTrendsAsync(f, id, operation))).Value;
    }

    public ErrorAnalytics ErrorAnalytics(DashboardFrame frame, int hours)
    {
        IReadOnlyList<PromSeries> found = HoursAsync(ErrorHours, frame.Data.Timestamp, hours).GetAwaiter().GetResult();
        return frame.Data.Errors with
        {
            Hours = hours,
            From = FirstHour(frame.Data.Timestamp, hours),
            HourlyTrend = ErrorHourly(found, Members(frame)),
        };
    }

    public IReadOnlyList<ErrorGroup> ErrorGroups(DashboardFrame frame, int hours) => [];

    public CostSummary CostSummary(DashboardFrame frame, int hours)
    {
        Task<IReadOnlyList<PromSeries>> costs = HoursAsync(CostHours, frame.Data.Timestamp, hours);
        Task<IReadOnlyList<PromSeries>> tokens = HoursAsync(TokenHours, frame.Data.Timestamp, hours);
        Task.WhenAll(costs, tokens).GetAwaiter().GetResult();
        return frame.Data.Costs with
        {
            Hours = hours,
            From = FirstHour(frame.Data.Timestamp, hours),
            Hourly = CostHourly(costs.Result, tokens.Result, Members(frame)),
        };
    }

    public CostTotals CostTotals(DashboardFrame frame)
    {
        CostSummary costs = frame.Data.Costs;
        return new CostTotals(costs.TotalUsd, costs.ByResourceType, [.. costs.ByModel.Select(static m => new UsageTotal(m.Model, string.Empty, string.Empty, m.Tokens, m.CostUsd))]);
    }

    public IReadOnlyDictionary<(string Component, string Operation), long> UnpricedCalls(DashboardFrame frame, int hours) =>
        new Dictionary<(string Component, string Operation), long>();

    public void Dispose() => _http.Dispose();

    /// <summary>A label value inside a PromQL string literal.</summary>
    internal static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private string Name(string metric) => _prefix + metric;

    /// <summary>Each instance's errors in each clock hour, evaluated at the hour's end.</summary>
    private string ErrorHours => $"sum by (instance) (increase({Name("errors_total")}[1h]))";

    /// <summary>Each instance's cost in each clock hour.</summary>
    private string CostHours => $"sum by (instance) (increase({Name("total_cost_usd")}[1h]))";

    /// <summary>Each instance's input and output tokens in each clock hour, as the process's hourly costs count them.</summary>
    private string TokenHours => $"sum by (instance) (increase({Name("tokens_total")}{{type=~\"input|output\"}}[1h]))";

    /// <summary>The start of the first of the <paramref name="hours"/> clock hours that end with the one <paramref name="at"/> is in.</summary>
    private static DateTimeOffset FirstHour(DateTimeOffset at, int hours) =>
        new DateTimeOffset(at.Year, at.Month, at.Day, at.Hour, 0, 0, TimeSpan.Zero).AddHours(1 - hours);

    /// <summary>
    /// <paramref name="promql"/> (an increase over <c>[1h]</c>) at the end of each of the last <paramref name="hours"/> clock
    /// hours, the current one included; empty when Prometheus does not answer, as the health history is.
    /// </summary>
    private async Task<IReadOnlyList<PromSeries>> HoursAsync(string promql, DateTimeOffset at, int hours)
    {
        DateTimeOffset first = FirstHour(at, hours);
        try
        {
            return await _client.QueryRangeAsync(promql, first.AddHours(1), first.AddHours(hours), TimeSpan.FromHours(1)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is PrometheusQueryException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return [];
        }
    }

    /// <summary>The members' values of <paramref name="found"/> summed per hour, by the hour's start; hours without a sample are absent.</summary>
    private static SortedDictionary<DateTimeOffset, double> PerHour(IReadOnlyList<PromSeries> found, IReadOnlySet<string> members)
    {
        var hours = new SortedDictionary<DateTimeOffset, double>();
        foreach (PromSeries series in found.Where(s => members.Contains(s.Labels.GetValueOrDefault("instance", string.Empty))))
        {
            foreach ((DateTimeOffset end, double value) in series.Points.Where(static p => double.IsFinite(p.Value)))
            {
                hours[end.AddHours(-1)] = hours.GetValueOrDefault(end.AddHours(-1)) + value;
            }
        }

        return hours;
    }

    private static ErrorTrendPoint[] ErrorHourly(IReadOnlyList<PromSeries> errors, IReadOnlySet<string> members) =>
        [.. PerHour(errors, members).Select(static h => new ErrorTrendPoint(h.Key, (long)Math.Round(h.Value)))];

    private static CostPoint[] CostHourly(IReadOnlyList<PromSeries> costs, IReadOnlyList<PromSeries> tokens, IReadOnlySet<string> members)
    {
        SortedDictionary<DateTimeOffset, double> usd = PerHour(costs, members);
        SortedDictionary<DateTimeOffset, double> counted = PerHour(tokens, members);
        return [.. usd.Keys.Union(counted.Keys).Order().Select(h => new CostPoint(h, (decimal)usd.GetValueOrDefault(h), (long)Math.Round(counted.GetValueOrDefault(h))))];
    }

    /// <summary>The instances a frame sums: its instance, or every instance that is up.</summary>
    private static HashSet<string> Members(DashboardFrame frame) => frame.Instance is { } instance
        ? new HashSet<string>(StringComparer.Ordinal) { instance }
        : new HashSet<string>((frame.Fleet?.Instances ?? []).Where(static i => i.Up).Select(static i => i.Instance), StringComparer.Ordinal);

    private async Task<TrendSeries> ReadTrendsAsync(DashboardFrame frame)
    {
        TrendWindow window = TrendWindow.Of(frame.Data.Timestamp, TimeSpan.FromMinutes(_options.Dashboard.TrendMinutes), frame.Trends.Capacity);
        try
        {
            return await _trends.GlobalAsync(window, frame.Instance).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is PrometheusQueryException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return new TrendSeries(frame.Trends.Capacity, 0);
        }
    }

    private async Task<OperationTrendSeries?> ReadOperationTrendsAsync(DashboardFrame frame, int id, (string Name, string Component, string Kind) operation)
    {
        TrendWindow window = TrendWindow.Of(frame.Data.Timestamp, TimeSpan.FromMinutes(_options.Dashboard.TrendMinutes), frame.Trends.Capacity);
        try
        {
            return await _trends.OperationAsync(id, operation, window, frame.Instance).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is PrometheusQueryException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return new OperationTrendSeries(id, frame.Trends.Capacity, 0);
        }
    }

    /// <summary>The labels of the operation a reading gave <paramref name="id"/>; null for an id no reading gave.</summary>
    private (string Name, string Component, string Kind)? Operation(int id)
    {
        lock (_idGate)
        {
            foreach (((string, string, string) key, int value) in _ids)
            {
                if (value == id)
                {
                    return key;
                }
            }

            return null;
        }
    }

    private static string OwnDashboard(DashboardFrame frame)
    {
        if (frame.Instance is { } instance)
        {
            string host = instance.Contains(':', StringComparison.Ordinal) ? instance[..instance.LastIndexOf(':')] : instance;
            return $"the dashboard of {instance} itself (on {host}, port monitoring.dashboard_port)";
        }

        return "the instance's own dashboard (on its host, port monitoring.dashboard_port)";
    }

    private int Id(string name, string component, string kind)
    {
        lock (_idGate)
        {
            if (!_ids.TryGetValue((name, component, kind), out int id))
            {
                id = _ids.Count + 1;
                _ids.Add((name, component, kind), id);
            }

            return id;
        }
    }

    private DashboardData Data(DateTimeOffset at, bool running, IReadOnlyList<OperationSummary> operations, ErrorAnalytics errors, CostSummary costs, HealthStatus? health,
        IReadOnlyDictionary<string, long>? internalErrors = null, IReadOnlyDictionary<string, long>? dropped = null) => new()
    {
        Timestamp = at,
        IsRunning = running,
        UptimeSeconds = 0,
        Performance = new PerformanceSummary { Timestamp = at, Operations = operations, CallTree = [] },
        Errors = errors,
        Costs = costs,
        Health = health,
        Internal = new InternalStatus
        {
            InternalErrors = internalErrors ?? new Dictionary<string, long>(),
            Dropped = dropped ?? new Dictionary<string, long>(),
            Storage = new StorageStatus(_client.Server.AbsoluteUri, Enabled: false, Available: false, Fault: null, 0, 0, 0, 0),
        },
    };

    private HealthStatus Health(DateTimeOffset at, double score, IReadOnlyList<HealthReading> readings, IReadOnlyList<string> unavailable) => new()
    {
        Timestamp = at,
        Score = score,
        State = score >= 100 ? HealthState.Healthy : score < _options.Monitoring.Health.CriticalBelow ? HealthState.Critical : HealthState.Degraded,
        Violations = [],
        Unchecked = [],
        Snapshot = new HealthSnapshot
        {
            Timestamp = at,
            Readings = readings,
            Gpus = [],
            GpuStatus = "GPUs are read by each instance: gpu_usage_percent in Prometheus, or the instance's own dashboard.",
            Unavailable = unavailable,
        },
    };

    private static ErrorAnalytics Errors(DateTimeOffset at, IReadOnlyList<PromSample> errors, IReadOnlyList<OperationErrorRate> rates, IReadOnlyList<ErrorTrendPoint> hourly)
    {
        Dictionary<string, long> By(string label) => errors
            .GroupBy(e => e[label], StringComparer.Ordinal)
            .ToDictionary(static g => g.Key, static g => (long)Math.Round(g.Sum(static e => e.Value)), StringComparer.Ordinal);
        return new ErrorAnalytics
        {
            Hours = ErrorsSection.DefaultHours,
            From = FirstHour(at, ErrorsSection.DefaultHours),
            To = at,
            TotalErrors = (long)Math.Round(errors.Sum(static e => e.Value)),
            ByType = By("type"),
            ByCategory = By("category"),
            ByComponent = By("component"),
            BySeverity = By("severity"),
            HourlyTrend = hourly,
            TopGroups = [],
            ErrorRates = rates,
        };
    }

    private static CostSummary Costs(DateTimeOffset at, IReadOnlyList<PromSample> costs, IReadOnlyList<PromSample> tokens, long modelCalls, IReadOnlyList<CostPoint> hourly)
    {
        long Tokens(IEnumerable<PromSample> samples, string type) => (long)Math.Round(samples.Where(s => s["type"] == type).Sum(static s => s.Value));
        TokenTotals Totals(IEnumerable<PromSample> samples, long calls)
        {
            PromSample[] all = [.. samples];
            return new TokenTotals(calls, Tokens(all, "input"), Tokens(all, "output"), Tokens(all, "cached"), 0, Tokens(all, "reasoning"), 0, 0);
        }

        decimal Usd(IEnumerable<PromSample> samples) => (decimal)samples.Where(static s => double.IsFinite(s.Value)).Sum(static s => s.Value);
        Dictionary<string, decimal> By(string label) => costs
            .GroupBy(c => c[label], StringComparer.Ordinal)
            .ToDictionary(static g => g.Key, g => Usd(g), StringComparer.Ordinal);

        string[] models = [.. costs.Select(static c => c["model"]).Concat(tokens.Select(static t => t["model"])).Where(static m => m.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        ModelCost[] byModel = [.. models
            .Select(m => new ModelCost(m, Totals(tokens.Where(t => t["model"] == m), 0), costs.Any(c => c["model"] == m) ? Usd(costs.Where(c => c["model"] == m)) : null))
            .OrderByDescending(static m => m.CostUsd ?? -1)];
        decimal total = Usd(costs);
        TokenTotals allTokens = Totals(tokens, modelCalls);
        return new CostSummary
        {
            Hours = CostsSection.DefaultHours,
            From = FirstHour(at, CostsSection.DefaultHours),
            To = at,
            TotalUsd = total,
            Tokens = allTokens,
            ByModel = byModel,
            ByComponent = By("component"),
            ByOperation = [],
            ByResourceType = By("resource_type"),
            Hourly = hourly,
            Daily = [new CostPoint(new DateTimeOffset(at.Date, TimeSpan.Zero), total, allTokens.Input + allTokens.Output)],
            UnpricedModels = [.. byModel.Where(static m => m.CostUsd is null).Select(static m => m.Model)],
            Budgets = [],
        };
    }

    /// <summary>One reading: every query evaluated at the same moment, then composed for the fleet and for each instance.</summary>
    private sealed class Reading(PrometheusSource source, DateTimeOffset at)
    {
        private const string OperationLabels = "operation, component, kind";

        private IReadOnlyList<PromSample> _calls = [];
        private IReadOnlyList<PromSample> _rates = [];
        private IReadOnlyList<PromSample> _inFlight = [];
        private IReadOnlyList<PromSample> _durationSums = [];
        private IReadOnlyList<PromSample> _durationCounts = [];
        private IReadOnlyList<PromSample> _scores = [];
        private IReadOnlyList<PromSample> _cpu = [];
        private IReadOnlyList<PromSample> _memory = [];
        private IReadOnlyList<PromSample> _errors = [];
        private IReadOnlyList<PromSample> _costs = [];
        private IReadOnlyList<PromSample> _tokens = [];
        private IReadOnlyList<PromSample> _internalErrors = [];
        private IReadOnlyList<PromSample> _dropped = [];
        private readonly Dictionary<double, IReadOnlyList<PromSample>> _instanceQuantiles = [];
        private readonly Dictionary<double, IReadOnlyList<PromSample>> _fleetQuantiles = [];
        private readonly Dictionary<double, IReadOnlyList<PromSample>> _fleetPoint = [];
        private readonly Dictionary<double, IReadOnlyList<PromSample>> _instancePoint = [];
        private IReadOnlyList<PromSeries> _errorHours = [];
        private IReadOnlyList<PromSeries> _costHours = [];
        private IReadOnlyList<PromSeries> _tokenHours = [];

        public DashboardReading Read()
        {
            string window = string.Create(CultureInfo.InvariantCulture, $"[{WindowSeconds}s]");

            // The hourly charts and the live point's percentiles are read while the instant queries are asked, one after another.
            Task<IReadOnlyList<PromSeries>> errorHours = source.HoursAsync(source.ErrorHours, at, ErrorsSection.DefaultHours);
            Task<IReadOnlyList<PromSeries>> costHours = source.HoursAsync(source.CostHours, at, CostsSection.DefaultHours);
            Task<IReadOnlyList<PromSeries>> tokenHours = source.HoursAsync(source.TokenHours, at, CostsSection.DefaultHours);
            string buckets = $"rate({source.Name("operation_duration_seconds_bucket")}{window})";
            Dictionary<double, Task<IReadOnlyList<PromSample>>> fleetPoint = s_quantiles.ToDictionary(static q => q, q =>
                QuietlyAsync($"histogram_quantile({Number(q)}, sum by (le) ({buckets} and on (instance) (up == 1)))"));
            Dictionary<double, Task<IReadOnlyList<PromSample>>> instancePoint = s_quantiles.ToDictionary(static q => q, q =>
                QuietlyAsync($"histogram_quantile({Number(q)}, sum by (instance, le) ({buckets}))"));
            IReadOnlyList<PromSample> up = Query("up");
            IReadOnlyList<PromSample> info = Query($"last_over_time(target_info[{IdentityLookback}])");
            var identities = new Dictionary<string, PromSample>(StringComparer.Ordinal);
            foreach (PromSample sample in info)
            {
                identities.TryAdd(sample["instance"], sample);
            }

            List<(PromSample Up, PromSample Info)> targets = [.. up
                .Where(u => identities.ContainsKey(u["instance"]))
                .GroupBy(static u => u["instance"], StringComparer.Ordinal)
                .Select(g => (g.First(), identities[g.Key]))
                .OrderBy(static t => t.Item1["instance"], StringComparer.Ordinal)];

            _calls = Query($"sum by (instance, {OperationLabels}, status) ({source.Name("operation_calls_total")})");
            _rates = Query($"sum by (instance, {OperationLabels}, status) (rate({source.Name("operation_calls_total")}{window}))");
            _inFlight = Query($"sum by (instance, {OperationLabels}) ({source.Name("operation_in_flight")})");
            _durationSums = Query($"sum by (instance, {OperationLabels}) ({source.Name("operation_duration_seconds_sum")})");
            _durationCounts = Query($"sum by (instance, {OperationLabels}) ({source.Name("operation_duration_seconds_count")})");
            foreach (double q in s_quantiles)
            {
                _instanceQuantiles[q] = Query($"histogram_quantile({Number(q)}, sum by (instance, {OperationLabels}, le) ({buckets}))");
                _fleetQuantiles[q] = Query($"histogram_quantile({Number(q)}, sum by ({OperationLabels}, le) ({buckets} and on (instance) (up == 1)))");
            }

            _scores = Query(source.Name("system_health_score"));
            _cpu = Query(source.Name("cpu_usage_percent"));
            _memory = Query($"{source.Name("memory_usage_bytes")}{{scope=\"process\"}}");
            _errors = Query($"sum by (instance, type, category, component, severity) ({source.Name("errors_total")})");
            _costs = Query($"sum by (instance, model, component, resource_type) ({source.Name("total_cost_usd")})");
            _tokens = Query($"sum by (instance, model, type) ({source.Name("tokens_total")})");
            _internalErrors = Query($"sum by (instance, kind) ({source.Name("maran_internal_errors_total")})");
            _dropped = Query($"sum by (instance, queue) ({source.Name("maran_dropped_total")})");
            Task[] beside = [errorHours, costHours, tokenHours, .. fleetPoint.Values, .. instancePoint.Values];
            Task.WhenAll(beside).GetAwaiter().GetResult();
            _errorHours = errorHours.Result;
            _costHours = costHours.Result;
            _tokenHours = tokenHours.Result;
            foreach (double q in s_quantiles)
            {
                _fleetPoint[q] = fleetPoint[q].Result;
                _instancePoint[q] = instancePoint[q].Result;
            }

            var instances = new List<InstanceView>(targets.Count);
            var byInstance = new Dictionary<string, DashboardReading>(StringComparer.Ordinal);
            foreach ((PromSample upSample, PromSample identity) in targets)
            {
                string name = upSample["instance"];
                bool isUp = upSample.Value == 1;
                (double calls, double errors) = Rates(new HashSet<string>(StringComparer.Ordinal) { name });
                double? score = _scores.Where(s => s["instance"] == name).Select(static s => (double?)s.Value).FirstOrDefault();
                var view = new InstanceView(
                    name,
                    upSample["job"],
                    isUp,
                    Blank(identity["service_name"]),
                    Blank(identity["service_instance_id"]),
                    Blank(identity["deployment_environment"]),
                    calls,
                    calls > 0 ? errors / calls : 0,
                    score);
                instances.Add(view);
                DashboardReading alone = Compose([name], isUp, instance: name);
                byInstance[name] = alone with { Fleet = Fleet(calls, errors, [view]), Point = Point([name], calls, errors, name) };
            }

            HashSet<string> upNames = [.. instances.Where(static i => i.Up).Select(static i => i.Instance)];
            (double fleetCalls, double fleetErrors) = Rates(upNames);
            DashboardReading all = Compose(upNames, upNames.Count > 0, instance: null);
            return all with
            {
                Fleet = Fleet(fleetCalls, fleetErrors, instances),
                ByInstance = byInstance,
                Point = Point(upNames, fleetCalls, fleetErrors, instance: null),
            };
        }

        /// <summary>
        /// The live point of the trend charts: the rates over <see cref="WindowSeconds"/>, the calls running, and the
        /// percentiles over every operation of <paramref name="instance"/> (of the fleet's instances that are up when null).
        /// </summary>
        private TrendPoint Point(IReadOnlyCollection<string> members, double calls, double errors, string? instance)
        {
            var of = new HashSet<string>(members, StringComparer.Ordinal);
            double? Ms(double q)
            {
                IEnumerable<PromSample> found = instance is null ? _fleetPoint[q] : _instancePoint[q].Where(s => s["instance"] == instance);
                double value = found.Select(static s => s.Value).FirstOrDefault(double.NaN);
                return double.IsFinite(value) ? Math.Round(value * 1000, 4) : null;
            }

            return new TrendPoint(
                0,
                at.ToUnixTimeMilliseconds(),
                Math.Round(calls, 4),
                Math.Round(errors, 4),
                (long)Math.Round(_inFlight.Where(s => of.Contains(s["instance"])).Sum(static s => s.Value)),
                Ms(0.5),
                Ms(0.95),
                Ms(0.99));
        }

        private FleetView Fleet(double calls, double errors, IReadOnlyList<InstanceView> instances) => new(
            source._client.Server.AbsoluteUri,
            WindowSeconds,
            calls,
            calls > 0 ? errors / calls : 0,
            (long)Math.Round(calls * WindowSeconds),
            (long)Math.Round(errors * WindowSeconds),
            instances,
            null);

        /// <summary>Calls and failed calls per second of <paramref name="instances"/>, summed.</summary>
        private (double Calls, double Errors) Rates(HashSet<string> instances)
        {
            double calls = 0, errors = 0;
            foreach (PromSample rate in _rates.Where(r => instances.Contains(r["instance"])))
            {
                calls += rate.Value;
                if (rate["status"] == "error")
                {
                    errors += rate.Value;
                }
            }

            return (calls, errors);
        }

        private DashboardReading Compose(IReadOnlyCollection<string> instances, bool running, string? instance)
        {
            var members = new HashSet<string>(instances, StringComparer.Ordinal);
            IEnumerable<PromSample> Of(IReadOnlyList<PromSample> samples) => samples.Where(s => members.Contains(s["instance"]));
            static (string, string, string) Key(PromSample s) => (s["operation"], s["component"], s["kind"]);
            Dictionary<(string, string, string), double> Sum(IEnumerable<PromSample> samples) => samples
                .GroupBy(Key)
                .ToDictionary(static g => g.Key, static g => g.Sum(static s => s.Value));

            PromSample[] calls = [.. Of(_calls)];
            Dictionary<(string, string, string), double> count = Sum(calls);
            Dictionary<(string, string, string), double> failed = Sum(calls.Where(static c => c["status"] == "error"));
            Dictionary<(string, string, string), double> cancelled = Sum(calls.Where(static c => c["status"] == "cancelled"));
            Dictionary<(string, string, string), double> rate = Sum(Of(_rates));
            Dictionary<(string, string, string), double> inFlight = Sum(Of(_inFlight));
            Dictionary<(string, string, string), double> seconds = Sum(Of(_durationSums));
            Dictionary<(string, string, string), double> timed = Sum(Of(_durationCounts));
            double Quantile(double q, (string, string, string) key)
            {
                IEnumerable<PromSample> found = instance is null ? _fleetQuantiles[q] : _instanceQuantiles[q].Where(s => s["instance"] == instance);
                double value = found.Where(s => Key(s) == key).Select(static s => s.Value).FirstOrDefault(double.NaN);
                return double.IsFinite(value) ? Math.Round(value * 1000, 3) : 0;
            }

            var operations = new List<OperationSummary>();
            var rows = new List<OperationRow>();
            var errorRates = new List<OperationErrorRate>();
            foreach ((string name, string component, string kind) key in count.Keys.Union(inFlight.Keys).OrderBy(static k => k))
            {
                long total = (long)Math.Round(count.GetValueOrDefault(key));
                long errors = (long)Math.Round(failed.GetValueOrDefault(key));
                long timedCalls = (long)Math.Round(timed.GetValueOrDefault(key));
                double totalMs = seconds.GetValueOrDefault(key) * 1000;
                var summary = new OperationSummary
                {
                    Name = key.name,
                    Component = key.component,
                    Kind = Kind(key.kind),
                    Count = total,
                    Errors = errors,
                    Cancelled = (long)Math.Round(cancelled.GetValueOrDefault(key)),
                    InFlight = (long)Math.Round(inFlight.GetValueOrDefault(key)),
                    ErrorRate = total > 0 ? (double)errors / total : 0,
                    TimedCount = timedCalls,
                    MeanMs = timedCalls > 0 ? Math.Round(totalMs / timedCalls, 3) : 0,
                    P50Ms = Quantile(0.5, key),
                    P95Ms = Quantile(0.95, key),
                    P99Ms = Quantile(0.99, key),
                    TotalMs = Math.Round(totalMs, 3),
                    CallsPerSecond = rate.GetValueOrDefault(key),
                };
                operations.Add(summary);
                rows.Add(OperationRow.From(source.Id(key.name, key.component, key.kind), summary));
                if (summary.Kind == OperationKind.Operation)
                {
                    errorRates.Add(new OperationErrorRate(key.component, key.name, errors, total, total > 0 ? (double)errors / total : null));
                }
            }

            long modelCalls = operations.Where(static o => o.Kind == OperationKind.ModelCall).Sum(static o => o.Count);
            DashboardData data = source.Data(
                at,
                running,
                operations,
                Errors(at, [.. Of(_errors)], errorRates, ErrorHourly(_errorHours, members)),
                Costs(at, [.. Of(_costs)], [.. Of(_tokens)], modelCalls, CostHourly(_costHours, _tokenHours, members)),
                Health(members, instance),
                Counts(Of(_internalErrors), "kind"),
                Counts(Of(_dropped), "queue"));
            return new DashboardReading(data, rows, []);
        }

        private HealthStatus? Health(HashSet<string> members, string? instance)
        {
            double[] scores = [.. _scores.Where(s => members.Contains(s["instance"]) && double.IsFinite(s.Value)).Select(static s => s.Value)];
            if (scores.Length == 0)
            {
                return null;
            }

            var readings = new List<HealthReading>();
            foreach (PromSample cpu in _cpu.Where(s => members.Contains(s["instance"])))
            {
                readings.Add(new HealthReading(HealthMetrics.CpuPercent, cpu.Value, "percent", at, instance is null ? cpu["instance"] : null));
            }

            foreach (PromSample memory in _memory.Where(s => members.Contains(s["instance"])))
            {
                readings.Add(new HealthReading(HealthMetrics.ProcessWorkingSetBytes, memory.Value, "bytes", at, instance is null ? memory["instance"] : null));
            }

            IReadOnlyList<string> unavailable = instance is null
                ? ["every instance's readings are listed by instance, and the score is the lowest of them: choose an instance for its gauges"]
                : [];
            return source.Health(at, scores.Min(), readings, unavailable);
        }

        private static Dictionary<string, long> Counts(IEnumerable<PromSample> samples, string label) => samples
            .GroupBy(s => s[label], StringComparer.Ordinal)
            .ToDictionary(static g => g.Key, static g => (long)Math.Round(g.Sum(static s => s.Value)), StringComparer.Ordinal);

        private static OperationKind Kind(string label) => label switch
        {
            "model_call" => OperationKind.ModelCall,
            "tool" => OperationKind.Tool,
            "agent" => OperationKind.Agent,
            _ => OperationKind.Operation,
        };

        private static string? Blank(string value) => value.Length == 0 ? null : value;

        private IReadOnlyList<PromSample> Query(string promql) => source._client.Query(promql, at);

        /// <summary>A query sent beside the others; empty when it could not be answered, so that the point only lacks its percentiles.</summary>
        private async Task<IReadOnlyList<PromSample>> QuietlyAsync(string promql)
        {
            try
            {
                return await source._client.QueryAsync(promql, at).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is PrometheusQueryException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                return [];
            }
        }

        private static string Number(double q) => q.ToString("0.##", CultureInfo.InvariantCulture);
    }
}
