using Maran.Instrument.Profiling;

namespace Maran.Instrument.Tests;

/// <summary>
/// Tests that change the process-wide switches (sampling, call trees, tracing) run one at a time, and put the
/// defaults back when they finish.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RuntimeSwitches
{
    public const string Name = "Runtime switches";

    public static IDisposable Set(int sampleInterval = 1, int allocationInterval = 16, bool callTree = false, bool tracing = true)
    {
        MonitoringRuntime.SampleInterval = sampleInterval;
        MonitoringRuntime.AllocationSampleInterval = allocationInterval;
        MonitoringRuntime.CallTreeEnabled = callTree;
        MonitoringRuntime.TracingEnabled = tracing;
        return new Restore();
    }

    private sealed class Restore : IDisposable
    {
        public void Dispose()
        {
            MonitoringRuntime.SampleInterval = 1;
            MonitoringRuntime.AllocationSampleInterval = MonitoringDefaults.AllocationSampleInterval;
            MonitoringRuntime.CpuTimeSampleInterval = MonitoringDefaults.CpuTimeSampleInterval;
            MonitoringRuntime.CallTreeEnabled = false;
            MonitoringRuntime.TracingEnabled = true;
            MonitoringRuntime.Enabled = true;
        }
    }
}
