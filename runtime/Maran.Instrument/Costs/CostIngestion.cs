using Maran.Instrument.Configuration;
using Maran.Instrument.Errors;
using Maran.Instrument.Profiling;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Costs;

/// <summary>
/// The cost tracker's door: hands each record to the loop's bounded queue and returns. The usage of monitored calls
/// comes through <see cref="OnUsage"/> on the threads that made them.
/// </summary>
/// <remarks>
/// A hand-off takes no lock, allocates nothing (the item is a struct in a lock-free queue) and reads one clock, the
/// monotonic <see cref="TimeProvider.GetTimestamp"/>; pricing, the hour the item falls in and everything else happen on
/// the loop. A full queue drops the item and counts the drop.
/// </remarks>
internal sealed class CostIngestion(MonitoringOptions options, TimeProvider time, TrackerQueue<CostItem> queue) : IUsageListener
{
    /// <summary>Whether records are taken at all (<c>costs.enabled</c>).</summary>
    public bool Enabled => options.Costs.Enabled;

    public bool WantsText => options.Costs.EstimateTokens;

    public void OnUsage(OperationRecorder recorder, in TokenUsage usage)
    {
        if (options.Costs.Enabled)
        {
            queue.TryAccept(new CostItem
            {
                Stamp = time.GetTimestamp(),
                Usage = usage,
                FallbackModel = recorder.Model,
                Component = recorder.Component,
                Operation = recorder.Name,
            });
        }
    }

    /// <summary>Hands over tokens recorded by hand, already priced at <paramref name="cost"/> (null: no price).</summary>
    public void AcceptTokens(in TokenUsage usage, string component, string? operation, decimal? cost) =>
        queue.TryAccept(new CostItem
        {
            Stamp = time.GetTimestamp(),
            Usage = usage,
            Component = OrApp(component),
            Operation = operation ?? string.Empty,
            Priced = true,
            Cost = cost,
        });

    /// <summary>Hands over a cost in USD of a resource other than tokens.</summary>
    public void AcceptCost(string resourceType, decimal usd, string component, string? operation) =>
        queue.TryAccept(new CostItem
        {
            Stamp = time.GetTimestamp(),
            ResourceType = resourceType,
            Cost = usd,
            Priced = true,
            Component = OrApp(component),
            Operation = operation ?? string.Empty,
        });

    private static string OrApp(string component) => string.IsNullOrEmpty(component) ? "app" : component;
}
