namespace Maran.Instrument.Costs;

/// <summary>One cell of the hourly cost table: a resource type, subject (the model, or a GPU), component and operation in one clock hour.</summary>
/// <param name="Hour">Start of the hour, Unix milliseconds.</param>
/// <param name="ResourceType"><c>tokens</c>, <c>cpu</c>, <c>gpu</c> or a type given by hand.</param>
/// <param name="Subject">The model for tokens, the device for GPU time, else empty.</param>
/// <param name="Component">The component.</param>
/// <param name="Operation">The operation, or empty.</param>
internal readonly record struct CostKey(long Hour, string ResourceType, string Subject, string Component, string Operation);

/// <summary>What a <see cref="CostKey"/> adds up to. Changed only by the tracker's loop.</summary>
internal sealed class CostCell
{
    public long Calls { get; set; }

    public long Input { get; set; }

    public long Output { get; set; }

    public long CachedInput { get; set; }

    public long CacheWrite { get; set; }

    public long Reasoning { get; set; }

    public long EstimatedCalls { get; set; }

    public long CallsWithoutUsage { get; set; }

    /// <summary>Calls with tokens but no price.</summary>
    public long UnpricedCalls { get; set; }

    /// <summary>Calls answered from the application's response cache: counted, not billed.</summary>
    public long CacheHits { get; set; }

    /// <summary>Input plus output tokens of the cache hits (not in <see cref="Input"/> and <see cref="Output"/>: no provider used them).</summary>
    public long CacheHitTokens { get; set; }

    /// <summary>Seconds of compute, for <c>cpu</c> and <c>gpu</c>.</summary>
    public double Quantity { get; set; }

    /// <summary>Priced cost in USD.</summary>
    public decimal Cost { get; set; }

    public void Add(CostCell other)
    {
        Calls += other.Calls;
        Input += other.Input;
        Output += other.Output;
        CachedInput += other.CachedInput;
        CacheWrite += other.CacheWrite;
        Reasoning += other.Reasoning;
        EstimatedCalls += other.EstimatedCalls;
        CallsWithoutUsage += other.CallsWithoutUsage;
        UnpricedCalls += other.UnpricedCalls;
        CacheHits += other.CacheHits;
        CacheHitTokens += other.CacheHitTokens;
        Quantity += other.Quantity;
        Cost += other.Cost;
    }

    public TokenTotals ToTotals() => new(Calls, Input, Output, CachedInput, CacheWrite, Reasoning, EstimatedCalls, CallsWithoutUsage, CacheHits, CacheHitTokens);

    public CostCell Copy() => (CostCell)MemberwiseClone();

    public void Clear()
    {
        Calls = Input = Output = CachedInput = CacheWrite = Reasoning = EstimatedCalls = CallsWithoutUsage = UnpricedCalls = CacheHits = CacheHitTokens = 0;
        Quantity = 0;
        Cost = 0;
    }
}
