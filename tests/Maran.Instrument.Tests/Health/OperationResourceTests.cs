using System.Diagnostics;
using Maran.Instrument.Interop;
using Maran.Instrument.Profiling;
namespace Maran.Instrument.Tests.Health;

[Collection(RuntimeSwitches.Name)]
public class OperationResourceTests
{
    private static long Spin(int iterations)
    {
        long x = 1;
        for (int i = 0; i < iterations; i++)
        {
            x = (x * 6364136223846793005L) + 1442695040888963407L;
        }

        return x;
    }

    private static OperationSummary RunBusyCalls(string name, int cpuRate)
    {
        var profiler = new PerformanceProfiler();
        using IDisposable switches = RuntimeSwitches.Set(allocationInterval: 1);
        MonitoringRuntime.CpuTimeSampleInterval = cpuRate;
        try
        {
            // The shape of a generated interceptor around a synchronous method.
            OperationRecorder recorder = OperationRegistry.GetOrAdd(name, "health-tests");
            long sink = 0;
            for (int i = 0; i < 8; i++)
            {
                OperationScope scope = OperationScope.Start(recorder);
                try
                {
                    sink += Spin(200_000);
                    scope.Complete();
                }
                finally
                {
                    scope.Detach();
                }
            }

            GC.KeepAlive(sink);
            return profiler.GetOperationSummary(name, "health-tests")!;
        }
        finally
        {
            MonitoringRuntime.CpuTimeSampleInterval = MonitoringDefaults.CpuTimeSampleInterval;
        }
    }

    [Fact]
    public void A_busy_operation_reports_its_cpu_time_per_call()
    {
        Assert.True(LibC.HasThreadCpuTime, "thread CPU time is read on Linux, where these tests run");

        OperationSummary summary = RunBusyCalls("busy-with-cpu-time", cpuRate: 1);

        Assert.True(summary.CpuTimePerCallMs > 0, $"CPU time per call was {summary.CpuTimePerCallMs}");
    }

    [Fact]
    public void Cpu_time_is_not_measured_when_its_rate_is_zero()
    {
        OperationSummary summary = RunBusyCalls("busy-without-cpu-time", cpuRate: 0);

        Assert.Null(summary.CpuTimePerCallMs);
        Assert.NotNull(summary.AllocatedBytesPerCall);
    }

    [Fact]
    public void A_thread_samples_the_cpu_time_of_one_operation_at_most_once_every_two_milliseconds()
    {
        using IDisposable switches = RuntimeSwitches.Set(allocationInterval: 1);
        MonitoringRuntime.CpuTimeSampleInterval = 1;
        OperationRecorder recorder = OperationRegistry.GetOrAdd("cheap-with-cpu-time", "health-tests");
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < 1000; i++)
        {
            OperationScope.Start(recorder).Complete();
        }

        double elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        long samples = recorder.Snapshot().CpuSamples;

        Assert.InRange(samples, 1, (long)(elapsedMs / 2) + 1);
    }
}
