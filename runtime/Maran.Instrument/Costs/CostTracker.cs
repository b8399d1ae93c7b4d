using Maran.Instrument.Configuration;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Errors;
using Maran.Instrument.Profiling;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Costs;

/// <summary>
/// Tracks what the agent costs: tokens of model calls (read by the generated interceptors from
/// <c>ChatResponse</c>, streamed <c>ChatResponseUpdate</c>s, embeddings, OpenAI <c>ChatCompletion</c>s and
/// <see cref="ITokenUsage"/> results, or recorded with <see cref="RecordTokens"/>) priced from a per-model table,
/// compute time priced at hourly rates, and costs recorded by hand. Everything is summed in decimal, kept per hour
/// in SQLite, and checked against daily and monthly budgets.
/// </summary>
/// <remarks>
/// Records are handed to a bounded queue without blocking and priced on one background loop; reads answer at once from
/// what the loop has handled, and <see cref="Flush"/> or <see cref="FlushAsync"/> waits for the records made before it.
/// </remarks>
public sealed class CostTracker : IUsageListener, IMonitoringService
{
    internal const string TokensResource = CostLoop.TokensResource;
    private static readonly TimeSpan ReadYourWrites = TimeSpan.FromSeconds(5);

    private readonly MonitoringOptions _options;
    private readonly TimeProvider _time;
    private readonly ICostPersistence _store;
    private readonly TrackerQueue<CostItem> _queue;
    private readonly CostIngestion _ingestion;
    private readonly CostPricing _pricing;
    private readonly CostBudgets _budgets;
    private readonly CostLoop _loop;
    private readonly CostQueries _queries;
    private readonly object _gate = new();
    private bool _running;

    internal CostTracker(MonitoringOptions options, ICostPersistence store, TimeProvider? time = null, Func<TimeSpan>? cpuTime = null, IGpuUtilizationSource? gpu = null, Func<string, ITokenCounter>? tokenizers = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _store = store;
        object state = new();
        var costs = new HourlyCosts();
        _pricing = new CostPricing(options, tokenizers);
        _budgets = new CostBudgets(options, store);
        _loop = new CostLoop(_time, store, _pricing, costs, _budgets, new CostRetention(options), new ComputeMeter(cpuTime) { Gpu = gpu }, state);
        _queries = new CostQueries(_time, costs, _budgets, state);
        _queue = new TrackerQueue<CostItem>("costs", options.Costs.QueueCapacity, _time, options.Costs.ComputeInterval, _loop.LoadHistory, batch => Announce(_loop.Handle(batch)), () => Announce(_loop.Tick()));
        _ingestion = new CostIngestion(options, _time, _queue);
    }

    /// <summary>
    /// Raised, on the tracker's background loop, when the day's or month's spending first reaches one of
    /// <c>costs.budgets.thresholds</c> (50, 80, 100% by default). Handlers must be quick and must not block.
    /// </summary>
    public event EventHandler<BudgetAlert>? BudgetThresholdReached;

    string IMonitoringService.Name => "costs";

    bool IUsageListener.WantsText => _ingestion.WantsText;

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
        if (!_ingestion.Enabled)
        {
            return null;
        }

        TokenUsage usage = estimated ? TokenUsage.Estimated(model, input, output) : new TokenUsage(input, output, cached, reasoning, model);
        decimal? cost = _pricing.Find(model, _time.GetUtcNow())?.CostOf(usage);
        if (!estimated)
        {
            TokenTally.Process.Add(model, input, output, cached, reasoning);
        }

        _ingestion.AcceptTokens(usage, component, operation, cost);
        return cost;
    }

    /// <summary>Records a cost in USD of any resource (<c>vector_db</c>, <c>search_api</c>, ...) for the component that incurred it.</summary>
    public void RecordCost(string resourceType, decimal usd, string component = "app", string? operation = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceType);
        if (_ingestion.Enabled)
        {
            _ingestion.AcceptCost(resourceType, usd, component, operation);
        }
    }

    /// <summary>The price that applies to <paramref name="model"/> now, from the configuration or the default table; null when there is none.</summary>
    public ModelPrice? FindPrice(string model) => _pricing.Find(model, _time.GetUtcNow());

    /// <summary>
    /// Costs of the last <paramref name="hours"/> clock hours (the current one included): total USD, tokens, the
    /// breakdowns, hourly and daily history and the budgets. A pure read that answers at once from what the background
    /// loop has priced; a caller that needs the records it just made calls <see cref="Flush"/> or <see cref="FlushAsync"/> first.
    /// </summary>
    public CostSummary GetCostSummary(int hours = 24) => _queries.Summary(hours);

    /// <summary>
    /// Everything recorded since this tracker was created, cumulative and never reset by retention: the entry point
    /// for exporters of counters such as <c>tokens_total</c> and <c>total_cost_usd</c>. A pure read, as
    /// <see cref="GetCostSummary"/> is.
    /// </summary>
    public CostTotals GetTotals() => _queries.Totals();

    /// <summary>
    /// Priced costs since this tracker was created, by model (or device), component and resource type: what the
    /// exporters publish as <c>total_cost_usd</c>. Answers at once, without waiting for records still queued.
    /// </summary>
    internal IReadOnlyList<CostTotal> GetExportedTotals() => _queries.ExportedTotals();

    /// <summary>Completes when everything recorded before the call has been priced and written to the database (or the database gave up).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _queue.WhenHandled().WaitAsync(cancellationToken).ConfigureAwait(false);
        await _store.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits, at most <paramref name="timeout"/> (5 s when null), for what <see cref="FlushAsync"/> completes on; false when the time ran out first.</summary>
    public bool Flush(TimeSpan? timeout = null) => TrackerFlush.Wait(FlushAsync(), timeout ?? ReadYourWrites, "cost tracker");

    /// <summary>Adds a listener told of every priced model call, on the tracker's loop (the audit trail's source of model records).</summary>
    internal void AddListener(ICostListener listener) => _loop.AddListener(listener);

    /// <summary>Removes a listener added with <see cref="AddListener"/>.</summary>
    internal void RemoveListener(ICostListener listener) => _loop.RemoveListener(listener);

    /// <summary>The warnings about unpriced tokens issued so far (each also reported once through the diagnostics).</summary>
    internal IReadOnlyList<string> Warnings => _pricing.Warnings;

    /// <summary>
    /// Priced cost (USD) and tokens of the sliding <paramref name="window"/> ending now (at most a day), from per-minute
    /// sums: the oldest minute counts for the part of it inside the window. For alert rules; answers at once.
    /// </summary>
    internal (decimal Cost, double Tokens) Recent(TimeSpan window) => _queries.Recent(window);

    /// <summary>The same per model that answered a model call; for the per-model alert gauges.</summary>
    internal IReadOnlyList<(string Model, decimal Cost, double Tokens)> RecentByModel(TimeSpan window) => _queries.RecentByModel(window);

    /// <summary>
    /// Model calls whose tokens had no price in the last <paramref name="hours"/> clock hours, by component and
    /// operation: where the dashboard writes "unpriced" rather than a cost of zero. Answers at once, without waiting
    /// for records still queued.
    /// </summary>
    internal IReadOnlyDictionary<(string Component, string Operation), long> GetUnpricedCalls(int hours) => _queries.UnpricedCalls(hours);

    /// <summary>The current day's and month's spending as a percentage of their budgets, for the budgets that are set.</summary>
    internal IReadOnlyList<(BudgetPeriod Period, double Percent)> BudgetUse() => _queries.BudgetUse();

    /// <summary>Measures and prices compute now instead of at the next interval (tests).</summary>
    internal void MeasureComputeSoon() => _queue.RequestTick();

    void IUsageListener.OnUsage(OperationRecorder recorder, in TokenUsage usage) => _ingestion.OnUsage(recorder, usage);

    void IMonitoringService.Start()
    {
        lock (_gate)
        {
            if (_running)
            {
                return;
            }

            _running = true;
            _pricing.Load();
            _budgets.Load();
            _loop.StartMeasuring();
            _queue.Start();
            OperationEvents.SubscribeUsage(_ingestion);
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
            OperationEvents.UnsubscribeUsage(_ingestion);
        }

        if (!_queue.Stop(_options.Storage.StopTimeout))
        {
            MonitoringDiagnostics.Warn("[maran] the cost tracker did not finish its queue within the stop timeout");
        }
    }

    // Tells the diagnostics and the handlers of BudgetThresholdReached of crossed thresholds, on the loop, off the state lock.
    private void Announce(BudgetAlert[] alerts)
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
}
