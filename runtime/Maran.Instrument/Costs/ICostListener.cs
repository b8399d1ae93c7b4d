namespace Maran.Instrument;

/// <summary>Told of every model call the cost tracker prices, on its loop under its lock; must be quick and must not throw.</summary>
internal interface ICostListener
{
    void OnTokensPriced(DateTimeOffset at, in CostKey key, in TokenUsage usage, decimal? cost);
}
