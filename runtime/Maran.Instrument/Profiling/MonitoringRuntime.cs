namespace Maran.Instrument.Profiling;

/// <summary>
/// Process-wide switches the hot path reads: plain static fields, set by
/// <see cref="AdvancedMonitoringSystem.Start"/> from the configuration.
/// </summary>
internal static class MonitoringRuntime
{
    /// <summary>When false, interceptors call straight through and record nothing.</summary>
    internal static bool Enabled = true;

    /// <summary>Time 1 call in this many (every call is still counted); 1 times every call.</summary>
    internal static int SampleInterval = 1;

    /// <summary>Measure the allocations of 1 timed call in this many; 0 turns allocation sampling off.</summary>
    internal static int AllocationSampleInterval = MonitoringDefaults.AllocationSampleInterval;

    /// <summary>
    /// Of the calls whose allocations are measured, read the thread CPU time of 1 in this many; 0 turns it off.
    /// Linux only: a thread CPU clock read is a system call there (about 1 µs), so it is sampled sparsely, and a
    /// thread samples one operation at most once every 2 ms.
    /// </summary>
    internal static int CpuTimeSampleInterval = MonitoringDefaults.CpuTimeSampleInterval;

    /// <summary>Whether nested operations record their parent (call trees).</summary>
    internal static bool CallTreeEnabled;

    /// <summary>Whether monitored calls start an <see cref="System.Diagnostics.Activity"/> when someone listens.</summary>
    internal static bool TracingEnabled = true;
}

/// <summary>Default values shared by the runtime and the configuration.</summary>
internal static class MonitoringDefaults
{
    internal const int AllocationSampleInterval = 16;

    internal const int CpuTimeSampleInterval = 64;
}
