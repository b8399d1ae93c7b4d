using Maran.Instrument.Diagnostics;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Costs;

/// <summary>
/// What the cost tracker's background loop does with the queue: reads the history back once, prices each batch of
/// records and adds it to the sums, the budgets and the database, tells the listeners of each priced model call, and on
/// every tick prunes what is past its retention and prices the compute time measured since the previous tick.
/// </summary>
/// <remarks>
/// Each batch and each tick changes the sums under the state lock that the queries take, so a read sees whole batches.
/// The budget alerts a batch or tick raised are returned, for the tracker to announce off the lock.
/// </remarks>
internal sealed class CostLoop
{
    internal const string TokensResource = "tokens";
    private const string UnknownModel = "(unknown)";

    private readonly TimeProvider _time;
    private readonly ICostPersistence _store;
    private readonly CostPricing _pricing;
    private readonly HourlyCosts _costs;
    private readonly CostBudgets _budgets;
    private readonly CostRetention _retention;
    private readonly ComputeMeter _meter;
    private readonly object _state;
    private readonly object _listenersGate = new();
    private volatile ICostListener[] _listeners = [];

    // The run of items Handle is adding up (see Run); touched on the loop, under the state lock, only.
    private readonly CostCell _run = new();
    private CostKey _runKey;
    private long _runMinute;
    private DateTimeOffset _runAt;
    private int _runLength;

    public CostLoop(TimeProvider time, ICostPersistence store, CostPricing pricing, HourlyCosts costs, CostBudgets budgets, CostRetention retention, ComputeMeter meter, object state)
    {
        _time = time;
        _store = store;
        _pricing = pricing;
        _costs = costs;
        _budgets = budgets;
        _retention = retention;
        _meter = meter;
        _state = state;
    }

    /// <summary>Adds a listener told of every priced model call, on the loop (the audit trail's source of model records).</summary>
    public void AddListener(ICostListener listener)
    {
        lock (_listenersGate)
        {
            _listeners = [.. _listeners, listener];
        }
    }

    /// <summary>Removes a listener added with <see cref="AddListener"/>.</summary>
    public void RemoveListener(ICostListener listener)
    {
        lock (_listenersGate)
        {
            _listeners = [.. _listeners.Where(l => !ReferenceEquals(l, listener))];
        }
    }

    /// <summary>Starts measuring compute from now (at Start, before the loop runs).</summary>
    public void StartMeasuring() => _meter.Reset(_time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>Reads back the hours still kept and the current day's and month's budgets.</summary>
    public void LoadHistory()
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!_store.TryLoad(_retention.FirstHourKept(now), CostTime.PeriodStart(BudgetPeriod.Daily, now), CostTime.PeriodStart(BudgetPeriod.Monthly, now), out StoredCosts stored))
        {
            return;
        }

        lock (_state)
        {
            _costs.Load(stored.Hourly);
            _budgets.Load(stored.Budgets);
        }
    }

    /// <summary>Prices and adds up one batch; returns the budget alerts it raised.</summary>
    public BudgetAlert[] Handle(List<CostItem> batch)
    {
        StampClock clock = StampClock.Read(_time);
        lock (_state)
        {
            foreach (CostItem item in batch)
            {
                try
                {
                    DateTimeOffset at = clock.TimeOf(item.Stamp);
                    if (item.ResourceType is null)
                    {
                        HandleTokens(item, at);
                    }
                    else
                    {
                        HandleCost(item, at);
                    }
                }
                catch (Exception ex)
                {
                    MonitoringDiagnostics.InternalError("cost tracker", ex);
                }
            }

            EndRun();
            return _budgets.TakeAlerts();
        }
    }

    /// <summary>Runs every <c>costs.compute_interval</c>: drops what is past its retention, then prices compute; returns the budget alerts it raised.</summary>
    public BudgetAlert[] Tick()
    {
        DateTimeOffset now = _time.GetUtcNow();
        long hour = CostTime.Floor(now.ToUnixTimeMilliseconds(), CostTime.HourMs);
        lock (_state)
        {
            _retention.Prune(_costs, now);
            if (!_pricing.PricesCompute)
            {
                return [];
            }

            foreach ((ComputeUsage part, decimal cost) in _pricing.PriceCompute(_meter.Sample(now.ToUnixTimeMilliseconds())))
            {
                var key = new CostKey(hour, part.ResourceType, part.Subject, part.Component, part.Operation);
                _store.Insert(now, key, default, part.Seconds, cost);
                Apply(now, key, new CostCell { Quantity = part.Seconds, Cost = cost });
            }

            return _budgets.TakeAlerts();
        }
    }

    private void HandleTokens(in CostItem item, DateTimeOffset at)
    {
        TokenUsage usage = item.Usage.OrModel(item.FallbackModel);
        if (usage.IsCacheHit)
        {
            HandleCacheHit(item, usage, at);
            return;
        }

        PricedTokens priced = _pricing.Price(item, usage, at);
        TokenUsage counted = priced.Usage;
        var key = new CostKey(CostTime.Floor(at.ToUnixTimeMilliseconds(), CostTime.HourMs), TokensResource, counted.Model ?? UnknownModel, item.Component, item.Operation);
        CostCell run = Run(at, key, counted, quantity: 0, priced.Cost);
        run.Calls++;
        run.Input += counted.InputTokens;
        run.Output += counted.OutputTokens;
        run.CachedInput += counted.CachedInputTokens;
        run.CacheWrite += counted.CacheWriteTokens;
        run.Reasoning += counted.ReasoningTokens;
        run.EstimatedCalls += counted.IsEstimated ? 1 : 0;
        run.CallsWithoutUsage += priced.Measured ? 0 : 1;
        run.UnpricedCalls += priced.IsUnpriced ? 1 : 0;
        run.Cost += priced.Cost ?? 0;
        Tell(at, key, counted, priced.Cost);
    }

    // A response the application's cache served: one call of the model, its tokens counted apart, no cost (not unpriced either).
    private void HandleCacheHit(in CostItem item, in TokenUsage usage, DateTimeOffset at)
    {
        var key = new CostKey(CostTime.Floor(at.ToUnixTimeMilliseconds(), CostTime.HourMs), TokensResource, usage.Model ?? UnknownModel, item.Component, item.Operation);
        CostCell run = Run(at, key, default, quantity: 0, cost: 0m);
        run.Calls++;
        run.CacheHits++;
        run.CacheHitTokens += usage.TotalTokens;
        Tell(at, key, default, 0m);
    }

    private void HandleCost(in CostItem item, DateTimeOffset at)
    {
        var key = new CostKey(CostTime.Floor(at.ToUnixTimeMilliseconds(), CostTime.HourMs), item.ResourceType!, string.Empty, item.Component, item.Operation);
        CostCell run = Run(at, key, default, quantity: 0, item.Cost);
        run.Calls++;
        run.Cost += item.Cost ?? 0;
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

    // Consecutive items of one key in one minute (a batch's usual shape: one model called from one operation) are added
    // up in one cell and applied once: each is still its own row in the store. The run is applied before the lock is let go.
    private CostCell Run(DateTimeOffset at, in CostKey key, in TokenUsage usage, double quantity, decimal? cost)
    {
        long minute = CostTime.Floor(at.ToUnixTimeMilliseconds(), CostTime.MinuteMs);
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

        Apply(_runAt, _runKey, _run);
        _run.Clear();
        _runLength = 0;
    }

    // Adds a delta to the sums, saves the hour's cell, and spends its cost against the budgets.
    private void Apply(DateTimeOffset at, in CostKey key, CostCell delta)
    {
        CostCell cell = _costs.Add(at, key, delta);
        _store.Save(key, cell);
        if (delta.Cost != 0)
        {
            _budgets.Spend(at, delta.Cost);
        }
    }
}
