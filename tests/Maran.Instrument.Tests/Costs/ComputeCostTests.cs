using Maran.Instrument.Costs;
using Maran.Instrument.Profiling;
using Maran.Instrument.Tests.Errors;

namespace Maran.Instrument.Tests.Costs;

/// <summary>Compute priced from CPU-seconds and GPU busy time at hourly rates, with a fake process clock and GPU view.</summary>
public class ComputeCostTests
{
    private sealed class FakeGpus(params GpuUtilization[] devices) : IGpuUtilizationSource
    {
        public IReadOnlyList<GpuUtilization> ReadGpuUtilization() => devices;
    }

    private sealed class CpuClock
    {
        public TimeSpan Used { get; set; } = TimeSpan.FromSeconds(100);

        public TimeSpan Read() => Used;
    }

    [Fact]
    public async Task Cpu_seconds_and_gpu_busy_seconds_are_priced_at_their_hourly_rates()
    {
        var cpu = new CpuClock();
        using var harness = new TrackerHarness(
            o =>
            {
                o.Costs.ComputeRates["cpu"] = 0.36m;
                o.Costs.ComputeRates["gpu"] = 3.60m;
                o.Costs.ComputeRates["NVIDIA H100 80GB HBM3"] = 7.20m;
            },
            cpu.Read,
            gpus: new FakeGpus(new GpuUtilization(0, "NVIDIA A10G", 50), new GpuUtilization(1, "NVIDIA H100 80GB HBM3", 100)));
        harness.Start();

        harness.Time.Advance(TimeSpan.FromSeconds(59));
        cpu.Used += TimeSpan.FromSeconds(10);
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await harness.Costs.FlushAsync().WaitAsync(TrackerHarness.Patience);

        harness.Costs.Flush();
        CostSummary summary = harness.Costs.GetCostSummary();
        Assert.Equal(10 * 0.36m / 3600, summary.ByResourceType["cpu"]);
        Assert.Equal((30 * 3.60m / 3600) + (60 * 7.20m / 3600), summary.ByResourceType["gpu"]);
        Assert.Equal(0.001m + 0.03m + 0.12m, summary.TotalUsd);
    }

    [Fact]
    public async Task Compute_without_a_configured_rate_is_not_tracked()
    {
        var cpu = new CpuClock();
        using var harness = new TrackerHarness(cpuTime: cpu.Read, gpus: new FakeGpus(new GpuUtilization(0, "NVIDIA A10G", 100)));
        harness.Start();

        cpu.Used += TimeSpan.FromSeconds(30);
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        await harness.Costs.FlushAsync().WaitAsync(TrackerHarness.Patience);

        harness.Costs.Flush();
        Assert.Empty(harness.Costs.GetCostSummary().ByResourceType);
    }

    [Fact]
    public async Task Compute_is_split_over_the_operations_that_ran_and_the_parts_add_up_to_the_whole()
    {
        var cpu = new CpuClock();
        using var harness = new TrackerHarness(o => o.Costs.ComputeRates["cpu"] = 3.60m, cpu.Read).Start();
        OperationRecorder embed = OperationRegistry.GetOrAdd("embed", "compute_split_" + Guid.NewGuid().ToString("N"));
        for (int i = 0; i < 5; i++)
        {
            var scope = OperationScope.Start(embed);
            Thread.SpinWait(1000);
            scope.Complete();
        }

        cpu.Used += TimeSpan.FromSeconds(7);
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        await harness.Costs.FlushAsync().WaitAsync(TrackerHarness.Patience);

        harness.Costs.Flush();
        CostSummary summary = harness.Costs.GetCostSummary();
        Assert.Equal(7 * 3.60m / 3600, summary.ByResourceType["cpu"]);
        Assert.Equal(summary.ByResourceType["cpu"], summary.ByOperation.Sum(o => o.CostUsd));
        Assert.Contains(summary.ByOperation, o => o.Component == embed.Component && o.Operation == "embed" && o.CostUsd > 0);
    }
}
