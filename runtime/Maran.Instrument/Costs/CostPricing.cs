using Maran.Instrument.Configuration;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Costs;

/// <summary>The price of one model call as the loop worked it out.</summary>
/// <param name="Usage">The tokens, estimated when the response reported none and estimation is on.</param>
/// <param name="Measured">Whether there are counts to price (reported or estimated).</param>
/// <param name="Cost">USD, or null when the call has no counts or its model no price.</param>
internal readonly record struct PricedTokens(TokenUsage Usage, bool Measured, decimal? Cost)
{
    /// <summary>Whether the call had counts and no price.</summary>
    public bool IsUnpriced => Measured && Cost is null;
}

/// <summary>
/// What things cost: the per-model price table (cached-input, cache-write and reasoning rates included), token
/// estimation for responses that report no usage, the hourly compute rates, and the once-per-model warning for tokens
/// that have no price. The table and the estimator are read from the configuration at <see cref="Load"/>.
/// </summary>
internal sealed class CostPricing
{
    private readonly MonitoringOptions _options;
    private readonly Func<string, ITokenCounter>? _tokenizers;
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = [];
    private volatile PriceTable _prices;
    private volatile ITokenCounter? _estimator;

    public CostPricing(MonitoringOptions options, Func<string, ITokenCounter>? tokenizers)
    {
        _options = options;
        _tokenizers = tokenizers;
        _prices = new PriceTable(Settings.Prices, Settings.DefaultPrices);
        _estimator = tokenizers?.Invoke(Settings.EstimationEncoding);
    }

    private CostSettings Settings => _options.Costs;

    /// <summary>The warnings about unpriced tokens issued so far (each also reported once through the diagnostics).</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_warnings)
            {
                return [.. _warnings];
            }
        }
    }

    /// <summary>Reads the price table and the tokenizer from the configuration again; warns when estimation is on without a tokenizer.</summary>
    public void Load()
    {
        _prices = new PriceTable(Settings.Prices, Settings.DefaultPrices);
        _estimator = _tokenizers?.Invoke(Settings.EstimationEncoding);
        if (_estimator is null && Settings.EstimateTokens)
        {
            MonitoringDiagnostics.Warn("[maran] costs.estimate_tokens is on but no tokenizer is installed: add the package Maran.Instrument.Tokenizers (or Maran.Instrument.All). Responses that report no usage stay uncounted.");
        }
    }

    /// <summary>The price that applies to <paramref name="model"/> for a call at <paramref name="at"/>; null when there is none.</summary>
    public ModelPrice? Find(string? model, DateTimeOffset at) => _prices.Find(model, at);

    /// <summary>
    /// Prices a model call made at <paramref name="at"/>: a cost already given is kept, a response without usage is
    /// estimated when estimation is on, and counts without a price are warned about once per model (or operation, for
    /// tokens that name no model).
    /// </summary>
    public PricedTokens Price(in CostItem item, in TokenUsage usage, DateTimeOffset at)
    {
        TokenUsage priced = usage;
        string? model = usage.Model;
        if (!usage.IsReported && !usage.IsEstimated && Settings.EstimateTokens && usage.Text is { Length: > 0 } text
            && _estimator?.Count(model, text) is int counted)
        {
            priced = TokenUsage.Estimated(model, 0, counted);
        }

        bool measured = priced.IsReported || priced.IsEstimated;
        decimal? cost = item.Priced ? item.Cost : measured ? _prices.Find(model, at)?.CostOf(priced) : null;
        if (measured && cost is null)
        {
            WarnUnpriced(model, item.Component, item.Operation);
        }

        return new PricedTokens(priced, measured, cost);
    }

    /// <summary>
    /// Prices a compute sample: each resource once in decimal at its hourly rate, then split over its operations by
    /// their seconds, the last taking the remainder so the parts add up to the whole exactly. Unpriced resources are left out.
    /// </summary>
    public List<(ComputeUsage Part, decimal Cost)> PriceCompute(List<ComputeUsage> sample)
    {
        var priced = new List<(ComputeUsage Part, decimal Cost)>();
        foreach (var resource in sample.GroupBy(u => (u.ResourceType, u.Subject)))
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
                decimal cost = i == parts.Count - 1 ? whole - assigned : decimal.Round(whole * (decimal)(parts[i].Seconds / seconds), 12);
                assigned += cost;
                priced.Add((parts[i], cost));
            }
        }

        return priced;
    }

    /// <summary>Whether any compute resource has a rate, so compute is worth measuring.</summary>
    public bool PricesCompute => Settings.ComputeRates.Count > 0;

    // A GPU's own rate (by product name) beats the rate of every GPU.
    private decimal? RateOf(string resourceType, string subject)
    {
        Dictionary<string, decimal> rates = Settings.ComputeRates;
        if (resourceType == "gpu" && subject.Length > 0 && rates.TryGetValue(subject, out decimal device))
        {
            return device;
        }

        return rates.TryGetValue(resourceType, out decimal rate) ? rate : null;
    }

    private void WarnUnpriced(string? model, string component, string operation)
    {
        lock (_warnings)
        {
            if (!_warned.Add(model ?? "?" + component + "/" + operation))
            {
                return;
            }
        }

        string message = model is null
            ? $"[maran] tokens of {component}/{operation} name no model, so they cannot be priced: set Model on its [MonitorOperation] " +
                "or pass the model to CostTracker.RecordTokens (reported once)"
            : $"[maran] no price for model '{model}': its tokens are recorded without a cost. Price it in monitoring_config.yaml under costs.prices, " +
                $"for example '- {{ model: {model}, input: 1.00, output: 2.00 }}' in USD per million tokens (reported once)";
        lock (_warnings)
        {
            _warnings.Add(message);
        }

        MonitoringDiagnostics.Warn(message);
    }
}
