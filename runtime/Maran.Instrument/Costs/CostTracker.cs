namespace Maran.Instrument;

/// <summary>
/// Tracks what the agent costs: tokens of model calls (read by the generated interceptors from
/// <c>ChatResponse</c>, streamed <c>ChatResponseUpdate</c>s, embeddings, OpenAI <c>ChatCompletion</c>s and
/// <see cref="ITokenUsage"/> results, or recorded with <see cref="RecordTokens"/>) priced from a per-model table,
/// compute time priced at hourly rates, and costs recorded by hand. Everything is summed in decimal, kept per hour
/// in SQLite, and checked against daily and monthly budgets.
/// </summary>
public sealed class CostTracker : IUsageListener, IMonitoringService
{
    internal const string TokensResource = "tokens";
    private const long HourMs = 3_600_000;
    private const long DayMs = 24 * HourMs;
    private const long MinuteMs = 60_000;
    private const string UnknownModel = "(unknown)";
    private static readonly TimeSpan ReadYourWrites = TimeSpan.FromSeconds(5);

    private readonly MonitoringOptions _options;
    private readonly TimeProvider _time;
    private readonly ICostPersistence _store;
    private readonly TrackerQueue<CostItem> _queue;
    private readonly ComputeMeter _meter;
    private readonly object _gate = new();
    private readonly object _state = new();
    private readonly Dictionary<CostKey, CostCell> _hourly = [];
    private readonly Dictionary<(string ResourceType, string Subject, string Component, string Operation), CostCell> _totals = [];
    private readonly Dictionary<BudgetPeriod, Budget> _budgets = [];
    private readonly Dictionary<long, (decimal Cost, long Tokens)> _minutes = [];
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    private readonly List<BudgetAlert> _alerts = [];
    private readonly List<string> _warnings = [];
    private volatile PriceTable _prices;

    private volatile ICostListener[] _listeners = [];

    // The run of items HandleBatch is adding up (see Run); touched on the loop, under the state lock, only.
    private readonly CostCell _run = new();
    private CostKey _runKey;
    private long _runMinute;
    private DateTimeOffset _runAt;
    private int _runLength;

    // The budget thresholds in ascending order, as the configuration gave them at Start.
    private double[] _thresholds;
    private readonly Func<string, ITokenCounter>? _tokenizers;
    private ITokenCounter? _estimator;
    private bool _running;

    internal CostTracker(MonitoringOptions options, ICostPersistence store, TimeProvider? time = null, Func<TimeSpan>? cpuTime = null, IGpuUtilizationSource? gpu = null, Func<string, ITokenCounter>? tokenizers = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _store = store;
        _meter = new ComputeMeter(cpuTime) { Gpu = gpu };
        _tokenizers = tokenizers;
        _prices = new PriceTable(options.Costs.Prices, options.Costs.DefaultPrices);
        _thresholds = [.. options.Costs.Budgets.Thresholds.Order()];
        _estimator = tokenizers?.Invoke(options.Costs.EstimationEncoding);
        _queue = new TrackerQueue<CostItem>("costs", options.Costs.QueueCapacity, _time, options.Costs.ComputeInterval, LoadHistory, HandleBatch, MeasureCompute);
    }

    /// <summary>
    /// Raised, on the tracker's background loop, when the day's or month's spending first reaches one of
    /// <c>costs.budgets.thresholds</c> (50, 80, 100% by default). Handlers must be quick and must not block.
    /// </summary>
    public event EventHandler<BudgetAlert>? BudgetThresholdReached;

    string IMonitoringService.Name => "costs";

    bool IUsageListener.WantsText => Settings.EstimateTokens;

    private CostSettings Settings => _options.Costs;

    /// <summary>
    /// Records the tokens of one model call made outside a monitored method (or whose result type carries no
    /// usage), prices it, and returns its cost in USD; null when the model has no price (the tokens are kept).
    /// </summary>
    /// <param name="model">The model that answered, as its provider names it.</param>
    /// <param name="input">Input tokens, cached ones included.</param>
    /// <param name="output">Output tokens, reasoning ones included.</param>
    /// <param name="cached">Input tokens read from the provider's cache.</param>
    /// <param name="reasoning">Output tokens spent on reasoning.</param>
    /// <param name="component">The component the call belongs to.</param>
    /// <param name="operation">The operation the call belongs to, if any.</param>
    /// <param name="estimated">Whether the counts are an estimate rather than the provider's figures.</param>
    public decimal? RecordTokens(string model, long input, long output, long cached = 0, long reasoning = 0, string component = "app", string? operation = null, bool estimated = false)
    {
        if (!Settings.Enabled)
        {
            return null;
        }

        DateTimeOffset now = _time.GetUtcNow();
        TokenUsage usage = estimated ? TokenUsage.Estimated(model, input, output) : new TokenUsage(input, output, cached, reasoning, model);
        decimal? cost = _prices.Find(model, now)?.CostOf(usage);
        if (!estimated)
        {
            TokenTally.Process.Add(model, input, output, cached, reasoning);
        }

        _queue.TryAccept(new CostItem
        {
            Timestamp = now,
            Usage = usage,
            Component = string.IsNullOrEmpty(component) ? "app" : component,
            Operation = operation ?? string.Empty,
            Priced = true,
            Cost = cost,
        });
        return cost;
    }

    /// <summary>Records a cost in USD of any resource (<c>vector_db</c>, <c>search_api</c>, ...) for the component that incurred it.</summary>
    public void RecordCost(string resourceType, decimal usd, string component = "app", string? operation = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceType);
        if (!Settings.Enabled)
        {
            return;
        }

        _queue.TryAccept(new CostItem
        {
            Timestamp = _time.GetUtcNow(),
            ResourceType = resourceType,
            Cost = usd,
            Priced = true,
            Component = string.IsNullOrEmpty(component) ? "app" : component,
            Operation = operation ?? string.Empty,
        });
    }

    /// <summary>The price that applies to <paramref name="model"/> now, from the configuration or the default table; null when there is none.</summary>
    public ModelPrice? FindPrice(string model) => _prices.Find(model, _time.GetUtcNow());

    /// <summary>
    /// Costs of the last <paramref name="hours"/> clock hours (the current one included): total USD, tokens, the
    /// breakdowns, hourly and daily history and the budgets. A pure read that answers at once from what the background
    /// loop has priced; a caller that needs the records it just made calls <see cref="Flush"/> or <see cref="FlushAsync"/> first.
    /// </summary>
    public CostSummary GetCostSummary(int hours = 24)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hours, 1);
        DateTimeOffset now = _time.GetUtcNow();
        long nowMs = now.ToUnixTimeMilliseconds();
        long firstHour = Floor(nowMs, HourMs) - ((hours - 1) * HourMs);
        long firstDay = Floor(firstHour, DayMs);
        int days = (int)((Floor(nowMs, DayMs) - firstDay) / DayMs) + 1;
        var tokens = new CostCell();
        var byModel = new Dictionary<string, CostCell>(StringComparer.Ordinal);
        var byComponent = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var byResource = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var byOperation = new Dictionary<(string Component, string Operation), (long Calls, long Tokens, decimal Cost, long CacheHits, long CacheHitTokens)>();
        var hourly = new (decimal Cost, long Tokens)[hours];
        var daily = new (decimal Cost, long Tokens)[days];
        decimal total = 0;
        List<BudgetStatus> budgets;

        lock (_state)
        {
            long lastHour = Floor(nowMs, HourMs);
            foreach ((CostKey key, CostCell cell) in _hourly)
            {
                // Hours after now exist only if the clock went back; they belong to no window yet.
                if (key.Hour < firstHour || key.Hour > lastHour)
                {
                    continue;
                }

                bool isTokens = key.ResourceType == TokensResource;
                long cellTokens = isTokens ? cell.Input + cell.Output : 0;
                total += cell.Cost;
                byComponent[key.Component] = byComponent.GetValueOrDefault(key.Component) + cell.Cost;
                byResource[key.ResourceType] = byResource.GetValueOrDefault(key.ResourceType) + cell.Cost;
                var op = byOperation.GetValueOrDefault((key.Component, key.Operation));
                byOperation[(key.Component, key.Operation)] = (op.Calls + (isTokens ? cell.Calls : 0), op.Tokens + cellTokens, op.Cost + cell.Cost, op.CacheHits + cell.CacheHits, op.CacheHitTokens + cell.CacheHitTokens);
                int hour = (int)((key.Hour - firstHour) / HourMs);
                hourly[hour] = (hourly[hour].Cost + cell.Cost, hourly[hour].Tokens + cellTokens);
                int day = (int)((Floor(key.Hour, DayMs) - firstDay) / DayMs);
                daily[day] = (daily[day].Cost + cell.Cost, daily[day].Tokens + cellTokens);
                if (isTokens)
                {
                    tokens.Add(cell);
                    if (!byModel.TryGetValue(key.Subject, out CostCell? model))
                    {
                        byModel[key.Subject] = model = new CostCell();
                    }

                    model.Add(cell);
                }
            }

            budgets = BudgetStatuses(nowMs);
        }

        return new CostSummary
        {
            Hours = hours,
            From = DateTimeOffset.FromUnixTimeMilliseconds(firstHour),
            To = now,
            TotalUsd = total,
            Tokens = tokens.ToTotals(),
            ByModel = [.. byModel
                .OrderByDescending(m => m.Value.Cost)
                .ThenBy(m => m.Key, StringComparer.Ordinal)
                .Select(m => new ModelCost(m.Key, m.Value.ToTotals(), m.Value.UnpricedCalls > 0 && m.Value.Cost == 0 ? null : m.Value.Cost))],
            ByComponent = byComponent,
            ByOperation = [.. byOperation
                .OrderByDescending(o => o.Value.Cost)
                .ThenBy(o => o.Key.Component, StringComparer.Ordinal)
                .ThenBy(o => o.Key.Operation, StringComparer.Ordinal)
                .Select(o => new OperationCost(o.Key.Component, o.Key.Operation, o.Value.Calls, o.Value.Tokens, o.Value.Cost, o.Value.CacheHits, o.Value.CacheHitTokens))],
            ByResourceType = byResource,
            Hourly = [.. hourly.Select((h, i) => new CostPoint(DateTimeOffset.FromUnixTimeMilliseconds(firstHour + (i * HourMs)), h.Cost, h.Tokens))],
            Daily = [.. daily.Select((d, i) => new CostPoint(DateTimeOffset.FromUnixTimeMilliseconds(firstDay + (i * DayMs)), d.Cost, d.Tokens))],
            UnpricedModels = [.. byModel.Where(m => m.Value.UnpricedCalls > 0).Select(m => m.Key).Order(StringComparer.Ordinal)],
            Budgets = budgets,
        };
    }

    /// <summary>
    /// Everything recorded since this tracker was created, cumulative and never reset by retention: the entry point
    /// for exporters of counters such as <c>tokens_total</c> and <c>total_cost_usd</c>. A pure read, as
    /// <see cref="GetCostSummary"/> is.
    /// </summary>
    public CostTotals GetTotals()
    {
        lock (_state)
        {
            var byResource = new Dictionary<string, decimal>(StringComparer.Ordinal);
            var usage = new List<UsageTotal>();
            decimal total = 0;
            foreach (((string resource, string subject, string component, string operation), CostCell cell) in _totals)
            {
                total += cell.Cost;
                byResource[resource] = byResource.GetValueOrDefault(resource) + cell.Cost;
                if (resource == TokensResource)
                {
                    usage.Add(new UsageTotal(subject, component, operation, cell.ToTotals(), cell.UnpricedCalls > 0 && cell.Cost == 0 ? null : cell.Cost));
                }
            }

            return new CostTotals(total, byResource, [.. usage.OrderBy(u => u.Model, StringComparer.Ordinal).ThenBy(u => u.Component, StringComparer.Ordinal).ThenBy(u => u.Operation, StringComparer.Ordinal)]);
        }
    }

    /// <summary>
    /// Priced costs since this tracker was created, by model (or device), component and resource type: what the
    /// exporters publish as <c>total_cost_usd</c>. Answers at once, without waiting for records still queued.
    /// </summary>
    internal IReadOnlyList<CostTotal> GetExportedTotals()
    {
        lock (_state)
        {
            return [.. _totals
                .Where(t => t.Value.Cost != 0)
                .GroupBy(t => (t.Key.Subject, t.Key.Component, t.Key.ResourceType))
                .Select(g => new CostTotal(g.Key.Subject, g.Key.Component, g.Key.ResourceType, (double)g.Sum(t => t.Value.Cost)))];
        }
    }

    /// <summary>Completes when everything recorded before the call has been priced and written to the database (or the database gave up).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _queue.WhenHandled().WaitAsync(cancellationToken).ConfigureAwait(false);
        await _store.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits, at most <paramref name="timeout"/> (5 s when null), for what <see cref="FlushAsync"/> completes on; false when the time ran out first.</summary>
    public bool Flush(TimeSpan? timeout = null) => TrackerFlush.Wait(FlushAsync(), timeout ?? ReadYourWrites, "cost tracker");

    /// <summary>Adds a listener told of every priced model call, on the tracker's loop (the audit trail's source of model records).</summary>
    internal void AddListener(ICostListener listener)
    {
        lock (_gate)
        {
            _listeners = [.. _listeners, listener];
        }
    }

    /// <summary>Removes a listener added with <see cref="AddListener"/>.</summary>
    internal void RemoveListener(ICostListener listener)
    {
        lock (_gate)
        {
            _listeners = [.. _listeners.Where(l => !ReferenceEquals(l, listener))];
        }
    }

    /// <summary>The warnings about unpriced tokens issued so far (each also reported once through the diagnostics).</summary>
    internal IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_state)
            {
                return [.. _warnings];
            }
        }
    }

    /// <summary>
    /// Priced cost (USD) and tokens of the sliding <paramref name="window"/> ending now (at most a day), from per-minute
    /// sums: the oldest minute counts for the part of it inside the window. For alert rules; answers at once.
    /// </summary>
    internal (decimal Cost, double Tokens) Recent(TimeSpan window)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        long start = now - (long)window.TotalMilliseconds;
        decimal cost = 0;
        double tokens = 0;
        lock (_state)
        {
            foreach ((long minute, (decimal minuteCost, long minuteTokens)) in _minutes)
            {
                long end = Math.Min(minute + MinuteMs, now);
                if (end <= start || minute > now)
                {
                    continue;
                }

                double inside = minute >= start ? 1 : (double)(end - start) / (end - minute);
                cost += minuteCost * (decimal)inside;
                tokens += minuteTokens * inside;
            }
        }

        return (cost, tokens);
    }

    /// <summary>
    /// Model calls whose tokens had no price in the last <paramref name="hours"/> clock hours, by component and
    /// operation: where the dashboard writes "unpriced" rather than a cost of zero. Answers at once, without waiting
    /// for records still queued.
    /// </summary>
    internal IReadOnlyDictionary<(string Component, string Operation), long> GetUnpricedCalls(int hours)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hours, 1);
        long nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        long lastHour = Floor(nowMs, HourMs);
        long firstHour = lastHour - ((hours - 1) * HourMs);
        var unpriced = new Dictionary<(string Component, string Operation), long>();
        lock (_state)
        {
            foreach ((CostKey key, CostCell cell) in _hourly)
            {
                if (cell.UnpricedCalls > 0 && key.Hour >= firstHour && key.Hour <= lastHour)
                {
                    unpriced[(key.Component, key.Operation)] = unpriced.GetValueOrDefault((key.Component, key.Operation)) + cell.UnpricedCalls;
                }
            }
        }

        return unpriced;
    }

    /// <summary>The current day's and month's spending as a percentage of their budgets, for the budgets that are set.</summary>
    internal IReadOnlyList<(BudgetPeriod Period, double Percent)> BudgetUse()
    {
        lock (_state)
        {
            return [.. BudgetStatuses(_time.GetUtcNow().ToUnixTimeMilliseconds()).Select(b => (b.Period, b.Percent))];
        }
    }

    /// <summary>Measures and prices compute now instead of at the next interval (tests).</summary>
    internal void MeasureComputeSoon() => _queue.RequestTick();

    void IUsageListener.OnUsage(OperationRecorder recorder, in TokenUsage usage)
    {
        if (Settings.Enabled)
        {
            _queue.TryAccept(new CostItem
            {
                Timestamp = _time.GetUtcNow(),
                Usage = usage,
                FallbackModel = recorder.Model,
                Component = recorder.Component,
                Operation = recorder.Name,
            });
        }
    }

    void IMonitoringService.Start()
    {
        lock (_gate)
        {
            if (_running)
            {
                return;
            }

            _running = true;
            _prices = new PriceTable(Settings.Prices, Settings.DefaultPrices);
            _thresholds = [.. Settings.Budgets.Thresholds.Order()];
            _estimator = _tokenizers?.Invoke(Settings.EstimationEncoding);
            if (_estimator is null && Settings.EstimateTokens)
            {
                MonitoringDiagnostics.Warn("[maran] costs.estimate_tokens is on but no tokenizer is installed: add the package Maran.Instrument.Tokenizers (or Maran.Instrument.All). Responses that report no usage stay uncounted.");
            }
            _meter.Reset(_time.GetUtcNow().ToUnixTimeMilliseconds());
            _queue.Start();
            OperationEvents.SubscribeUsage(this);
        }
    }

    void IMonitoringService.Stop()
    {
        lock (_gate)
        {
            if (!_running)
            {
                return;
            }

            _running = false;
            OperationEvents.UnsubscribeUsage(this);
        }

        if (!_queue.Stop(_options.Storage.StopTimeout))
        {
            MonitoringDiagnostics.Warn("[maran] the cost tracker did not finish its queue within the stop timeout");
        }
    }

    private void LoadHistory()
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        long since = Floor(now - (long)TimeSpan.FromDays(_options.Storage.RetentionDays).TotalMilliseconds, HourMs);
        if (!_store.TryLoad(since, PeriodStart(BudgetPeriod.Daily, now), PeriodStart(BudgetPeriod.Monthly, now), out StoredCosts stored))
        {
            return;
        }

        lock (_state)
        {
            foreach ((CostKey key, CostCell cell) in stored.Hourly)
            {
                Cell(_hourly, key).Add(cell);
            }

            foreach ((BudgetPeriod period, (long start, decimal spent, List<double> fired)) in stored.Budgets)
            {
                Budget budget = BudgetOf(period, start);
                budget.Spent += spent;
                budget.Fired.UnionWith(fired);
            }
        }
    }

    private void HandleBatch(List<CostItem> batch)
    {
        BudgetAlert[] alerts;
        lock (_state)
        {
            foreach (CostItem item in batch)
            {
                try
                {
                    if (item.ResourceType is null)
                    {
                        HandleTokens(item);
                    }
                    else
                    {
                        HandleCost(item);
                    }
                }
                catch (Exception ex)
                {
                    MonitoringDiagnostics.InternalError("cost tracker", ex);
                }
            }

            EndRun();
            alerts = TakeBudgetAlerts();
        }

        Raise(alerts);
    }

    private void HandleTokens(in CostItem item)
    {
        TokenUsage usage = item.Usage.OrModel(item.FallbackModel);
        if (usage.IsCacheHit)
        {
            HandleCacheHit(item, usage);
            return;
        }

        string? model = usage.Model;
        if (!usage.IsReported && !usage.IsEstimated && Settings.EstimateTokens && usage.Text is { Length: > 0 } text
            && _estimator?.Count(model, text) is int counted)
        {
            usage = TokenUsage.Estimated(model, 0, counted);
        }

        bool measured = usage.IsReported || usage.IsEstimated;
        decimal? cost = item.Priced ? item.Cost : measured ? _prices.Find(model, item.Timestamp)?.CostOf(usage) : null;
        if (measured && cost is null)
        {
            WarnUnpriced(model, item);
        }

        var key = new CostKey(Floor(item.Timestamp.ToUnixTimeMilliseconds(), HourMs), TokensResource, model ?? UnknownModel, item.Component, item.Operation);
        CostCell run = Run(item.Timestamp, key, usage, quantity: 0, cost);
        run.Calls++;
        run.Input += usage.InputTokens;
        run.Output += usage.OutputTokens;
        run.CachedInput += usage.CachedInputTokens;
        run.CacheWrite += usage.CacheWriteTokens;
        run.Reasoning += usage.ReasoningTokens;
        run.EstimatedCalls += usage.IsEstimated ? 1 : 0;
        run.CallsWithoutUsage += measured ? 0 : 1;
        run.UnpricedCalls += measured && cost is null ? 1 : 0;
        run.Cost += cost ?? 0;
        Tell(item.Timestamp, key, usage, cost);
    }

    private void Tell(DateTimeOffset at, in CostKey key, in TokenUsage usage, decimal? cost)
    {
        foreach (ICostListener listener in _listeners)
        {
            try
            {
                listener.OnTokensPriced(at, key, usage, cost);
            }
            catch (Exception ex)
            {
                MonitoringDiagnostics.InternalError("cost listener", ex);
            }
        }
    }

    // A response the application's cache served: one call of the model, its tokens counted apart, no cost (not unpriced either).
    private void HandleCacheHit(in CostItem item, in TokenUsage usage)
    {
        var key = new CostKey(Floor(item.Timestamp.ToUnixTimeMilliseconds(), HourMs), TokensResource, usage.Model ?? UnknownModel, item.Component, item.Operation);
        CostCell run = Run(item.Timestamp, key, default, quantity: 0, cost: 0m);
        run.Calls++;
        run.CacheHits++;
        run.CacheHitTokens += usage.TotalTokens;
        Tell(item.Timestamp, key, default, 0m);
    }

    private void HandleCost(in CostItem item)
    {
        var key = new CostKey(Floor(item.Timestamp.ToUnixTimeMilliseconds(), HourMs), item.ResourceType!, string.Empty, item.Component, item.Operation);
        CostCell run = Run(item.Timestamp, key, default, quantity: 0, item.Cost);
        run.Calls++;
        run.Cost += item.Cost ?? 0;
    }

    // Runs every costs.compute_interval on the loop: drops hours past the retention, then prices compute.
    private void MeasureCompute()
    {
        DateTimeOffset now = _time.GetUtcNow();
        long hour = Floor(now.ToUnixTimeMilliseconds(), HourMs);
        BudgetAlert[] alerts;
        lock (_state)
        {
            long cutoff = now.ToUnixTimeMilliseconds() - (long)TimeSpan.FromDays(_options.Storage.RetentionDays).TotalMilliseconds;
            foreach (CostKey old in _hourly.Keys.Where(k => k.Hour + HourMs <= cutoff).ToList())
            {
                _hourly.Remove(old);
            }

            long dayAgo = now.ToUnixTimeMilliseconds() - DayMs - MinuteMs;
            foreach (long old in _minutes.Keys.Where(m => m < dayAgo).ToList())
            {
                _minutes.Remove(old);
            }

            alerts = Settings.ComputeRates.Count == 0 ? [] : PriceCompute(now, hour);
        }

        Raise(alerts);
    }

    // Prices the compute time measured since the last tick, under the state lock; returns the budget alerts it raised.
    private BudgetAlert[] PriceCompute(DateTimeOffset now, long hour)
    {
        // Each resource is priced once in decimal, then split over its operations, the last taking the remainder,
        // so the parts add up to the whole exactly.
        foreach (var resource in _meter.Sample(now.ToUnixTimeMilliseconds()).GroupBy(u => (u.ResourceType, u.Subject)))
        {
            List<ComputeUsage> parts = [.. resource];
            double seconds = parts.Sum(p => p.Seconds);
            if (RateOf(resource.Key.ResourceType, resource.Key.Subject) is not decimal rate || !(seconds > 0))
            {
                continue;
            }

            decimal whole = (decimal)seconds * rate / 3600m;
            decimal assigned = 0;
            for (int i = 0; i < parts.Count; i++)
            {
                ComputeUsage part = parts[i];
                decimal cost = i == parts.Count - 1 ? whole - assigned : decimal.Round(whole * (decimal)(part.Seconds / seconds), 12);
                assigned += cost;
                var key = new CostKey(hour, part.ResourceType, part.Subject, part.Component, part.Operation);
                Apply(now, key, new CostCell { Quantity = part.Seconds, Cost = cost }, default, part.Seconds, cost);
            }
        }

        return TakeBudgetAlerts();
    }

    private decimal? RateOf(string resourceType, string subject)
    {
        Dictionary<string, decimal> rates = Settings.ComputeRates;
        if (resourceType == "gpu" && subject.Length > 0 && rates.TryGetValue(subject, out decimal device))
        {
            return device;
        }

        return rates.TryGetValue(resourceType, out decimal rate) ? rate : null;
    }

    // Adds one record everywhere it counts: the hourly table, the totals since start, the budgets and the database.
    private void Apply(DateTimeOffset at, CostKey key, CostCell delta, in TokenUsage usage, double quantity, decimal? cost)
    {
        _store.Insert(at, key, usage, quantity, cost);
        ApplyCell(at, key, delta);
    }

    // Consecutive items of one key in one minute (a batch's usual shape: one model called from one operation) are added
    // up in one cell and applied once: each is still its own row in the store. The run is applied before the lock is let go.
    private CostCell Run(DateTimeOffset at, in CostKey key, in TokenUsage usage, double quantity, decimal? cost)
    {
        long minute = Floor(at.ToUnixTimeMilliseconds(), MinuteMs);
        if (_runLength > 0 && (minute != _runMinute || !_runKey.Equals(key)))
        {
            EndRun();
        }

        _runKey = key;
        _runMinute = minute;
        _runAt = at;
        _runLength++;
        _store.Insert(at, key, usage, quantity, cost);
        return _run;
    }

    private void EndRun()
    {
        if (_runLength == 0)
        {
            return;
        }

        ApplyCell(_runAt, _runKey, _run);
        _run.Clear();
        _runLength = 0;
    }

    private void ApplyCell(DateTimeOffset at, CostKey key, CostCell delta)
    {
        CostCell cell = Cell(_hourly, key);
        cell.Add(delta);
        if (!_totals.TryGetValue((key.ResourceType, key.Subject, key.Component, key.Operation), out CostCell? total))
        {
            _totals[(key.ResourceType, key.Subject, key.Component, key.Operation)] = total = new CostCell();
        }

        total.Add(delta);
        long minute = Floor(at.ToUnixTimeMilliseconds(), MinuteMs);
        var recent = _minutes.GetValueOrDefault(minute);
        _minutes[minute] = (recent.Cost + delta.Cost, recent.Tokens + delta.Input + delta.Output);
        _store.Save(key, cell);
        if (delta.Cost != 0)
        {
            Spend(at, delta.Cost);
        }
    }

    private void Spend(DateTimeOffset at, decimal cost)
    {
        long atMs = at.ToUnixTimeMilliseconds();
        foreach (BudgetPeriod period in (ReadOnlySpan<BudgetPeriod>)[BudgetPeriod.Daily, BudgetPeriod.Monthly])
        {
            long start = PeriodStart(period, atMs);
            Budget budget = BudgetOf(period, start);
            if (budget.Start != start)
            {
                continue;
            }

            budget.Spent += cost;
            if (LimitOf(period) is decimal limit)
            {
                foreach (double threshold in _thresholds)
                {
                    if (!budget.Fired.Contains(threshold) && budget.Spent >= limit * (decimal)threshold / 100m)
                    {
                        budget.Fired.Add(threshold);
                        _alerts.Add(new BudgetAlert(period, DateTimeOffset.FromUnixTimeMilliseconds(start), threshold, limit, budget.Spent, at));
                    }
                }
            }

            _store.SaveBudget(period, start, budget.Spent, budget.Fired);
        }
    }

    // The budget of the period starting at start; a newer period replaces an older one, an older one is left alone.
    private Budget BudgetOf(BudgetPeriod period, long start)
    {
        if (!_budgets.TryGetValue(period, out Budget? budget) || budget.Start < start)
        {
            _budgets[period] = budget = new Budget(start);
        }

        return budget;
    }

    private List<BudgetStatus> BudgetStatuses(long now)
    {
        var statuses = new List<BudgetStatus>();
        foreach (BudgetPeriod period in (ReadOnlySpan<BudgetPeriod>)[BudgetPeriod.Daily, BudgetPeriod.Monthly])
        {
            if (LimitOf(period) is not decimal limit)
            {
                continue;
            }

            long start = PeriodStart(period, now);
            decimal spent = _budgets.TryGetValue(period, out Budget? budget) && budget.Start == start ? budget.Spent : 0;
            statuses.Add(new BudgetStatus(period, DateTimeOffset.FromUnixTimeMilliseconds(start), limit, spent, (double)(spent / limit * 100m)));
        }

        return statuses;
    }

    private decimal? LimitOf(BudgetPeriod period) =>
        period == BudgetPeriod.Daily ? Settings.Budgets.DailyUsd : Settings.Budgets.MonthlyUsd;

    // The budget thresholds crossed since the last call; under the state lock.
    private BudgetAlert[] TakeBudgetAlerts()
    {
        if (_alerts.Count == 0)
        {
            return [];
        }

        BudgetAlert[] alerts = [.. _alerts];
        _alerts.Clear();
        return alerts;
    }

    // Tells the diagnostics and the handlers of BudgetThresholdReached of crossed thresholds, off the lock.
    private void Raise(BudgetAlert[] alerts)
    {
        foreach (BudgetAlert alert in alerts)
        {
            MonitoringDiagnostics.Warn($"[maran] {EnumNames.Of(alert.Period)} budget: {alert.SpentUsd:0.####} of {alert.BudgetUsd:0.##} USD spent ({alert.ThresholdPercent}% threshold)");
            foreach (EventHandler<BudgetAlert> handler in BudgetThresholdReached?.GetInvocationList().Cast<EventHandler<BudgetAlert>>() ?? [])
            {
                try
                {
                    handler(this, alert);
                }
                catch (Exception ex)
                {
                    MonitoringDiagnostics.InternalError("budget alert handler", ex);
                }
            }
        }
    }

    private void WarnUnpriced(string? model, in CostItem item)
    {
        if (model is null)
        {
            if (_warned.Add("?" + item.Component + "/" + item.Operation))
            {
                Warn(
                    $"[maran] tokens of {item.Component}/{item.Operation} name no model, so they cannot be priced: set Model on its [MonitorOperation] " +
                    "or pass the model to CostTracker.RecordTokens (reported once)");
            }

            return;
        }

        if (_warned.Add(model))
        {
            Warn(
                $"[maran] no price for model '{model}': its tokens are recorded without a cost. Price it in monitoring_config.yaml under costs.prices, " +
                $"for example '- {{ model: {model}, input: 1.00, output: 2.00 }}' in USD per million tokens (reported once)");
        }
    }

    private void Warn(string message)
    {
        _warnings.Add(message);
        MonitoringDiagnostics.Warn(message);
    }

    private static CostCell Cell(Dictionary<CostKey, CostCell> cells, CostKey key)
    {
        if (!cells.TryGetValue(key, out CostCell? cell))
        {
            cells[key] = cell = new CostCell();
        }

        return cell;
    }

    private static long PeriodStart(BudgetPeriod period, long unixMs)
    {
        if (period == BudgetPeriod.Daily)
        {
            return Floor(unixMs, DayMs);
        }

        DateTimeOffset at = DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
        return new DateTimeOffset(at.Year, at.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    }

    private static long Floor(long unixMs, long unit) => unixMs - (((unixMs % unit) + unit) % unit);

    /// <summary>The spending of the current day or month and the thresholds already announced.</summary>
    private sealed class Budget(long start)
    {
        public long Start { get; } = start;

        public decimal Spent { get; set; }

        public HashSet<double> Fired { get; } = [];
    }

    /// <summary>What the recording paths hand to the loop.</summary>
    private readonly record struct CostItem
    {
        public DateTimeOffset Timestamp { get; init; }

        public TokenUsage Usage { get; init; }

        public string? FallbackModel { get; init; }

        public string Component { get; init; }

        public string Operation { get; init; }

        /// <summary>Null for tokens; the resource type of a cost recorded by hand.</summary>
        public string? ResourceType { get; init; }

        /// <summary>Whether <see cref="Cost"/> is already known (recorded by hand).</summary>
        public bool Priced { get; init; }

        public decimal? Cost { get; init; }
    }
}

/// <summary>Everything recorded since the tracker was created.</summary>
/// <param name="TotalUsd">Every priced cost, in USD (<c>total_cost_usd</c>).</param>
/// <param name="ByResourceType">USD per resource type.</param>
/// <param name="Usage">Tokens per model, component and operation (<c>tokens_total</c>).</param>
public sealed record CostTotals(decimal TotalUsd, IReadOnlyDictionary<string, decimal> ByResourceType, IReadOnlyList<UsageTotal> Usage);

/// <summary>Tokens of one model in one operation since the tracker was created.</summary>
/// <param name="Model">The model (<c>(unknown)</c> when no name was available).</param>
/// <param name="Component">The component.</param>
/// <param name="Operation">The operation, or empty for tokens recorded without one.</param>
/// <param name="Tokens">The counts.</param>
/// <param name="CostUsd">Their cost, or null when the model has no price.</param>
public sealed record UsageTotal(string Model, string Component, string Operation, TokenTotals Tokens, decimal? CostUsd);

/// <summary>Told of every model call the cost tracker prices, on its loop under its lock; must be quick and must not throw.</summary>
internal interface ICostListener
{
    void OnTokensPriced(DateTimeOffset at, in CostKey key, in TokenUsage usage, decimal? cost);
}
