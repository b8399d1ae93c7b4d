#if MARAN
using Maran.Instrument;
using Maran.Instrument.Profiling;
#endif

for (int i = 0; i < 3; i++)
{
    Work.Step(i);
}

#if MARAN
OperationSummary? step = AdvancedMonitoringSystem.Default.Profiler.GetOperationSummary("step", "slim");
Console.WriteLine($"calls={step?.Count ?? 0} features={AdvancedMonitoringSystem.Default.Features.Count}");
#else
Console.WriteLine("calls=unmonitored");
#endif

internal static class Work
{
#if MARAN
    [MonitorOperation("step", "slim")]
#endif
    public static int Step(int i) => i * 2;
}
