using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Costs;

/// <summary>Told of every model call the cost tracker prices, on its loop under its lock; must be quick and must not throw.</summary>
internal interface ICostListener
{
    void OnTokensPriced(DateTimeOffset at, in CostKey key, in TokenUsage usage, decimal? cost);
}
