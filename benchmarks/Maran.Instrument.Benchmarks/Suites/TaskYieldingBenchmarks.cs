using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Maran.Instrument.Benchmarks.Peers;
using Maran.Instrument.Benchmarks.Workloads;
using Prometheus;

namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>
/// A Task method that yields to the thread pool once: the interceptor observes the task's completion (one small
/// allocation) instead of wrapping it in a new task as the peers' async wrappers do.
/// </summary>
public class TaskYieldingBenchmarks : WorkloadBenchmarks
{
    // Above the small results .NET caches completed tasks for, so an async wrapper that completes allocates its task.
    private readonly int _value = 1000;

    /// <summary>Creates the suite.</summary>
    public TaskYieldingBenchmarks()
        : base(Workloads.Workload.TaskYielding, nameof(Bare.TaskYielding))
    {
    }

    /// <summary>The bare call.</summary>
    [Benchmark(Baseline = true)]
    public Task<int> Baseline() => Bare.TaskYielding(_value);

    /// <summary>The intercepted call.</summary>
    [Benchmark]
    public Task<int> Maran() => Monitored.TaskYielding(_value);

    /// <summary>Two clock reads around the awaited call and nothing else.</summary>
    [Benchmark]
    public async Task<int> Floor()
    {
        long start = Stopwatch.GetTimestamp();
        int result = await Bare.TaskYielding(_value);
        Sink = Stopwatch.GetTimestamp() - start;
        return result;
    }

    /// <summary>A prometheus-net histogram timer around the awaited call.</summary>
    [Benchmark]
    public async Task<int> PrometheusNet()
    {
        using (Timer.NewTimer())
        {
            return await Bare.TaskYielding(_value);
        }
    }

    /// <summary>An OpenTelemetry span and a duration histogram around the awaited call.</summary>
    [Benchmark]
    public async Task<int> OTelTracing()
    {
        using Activity? activity = OpenTelemetryPeer.Source.StartActivity(Workload);
        long start = Stopwatch.GetTimestamp();
        int result = await Bare.TaskYielding(_value);
        OpenTelemetryPeer.Duration.Record(SecondsSince(start), Tag);
        return result;
    }

    /// <summary>An OpenTelemetry duration histogram alone around the awaited call.</summary>
    [Benchmark]
    public async Task<int> OTelMetrics()
    {
        long start = Stopwatch.GetTimestamp();
        int result = await Bare.TaskYielding(_value);
        OpenTelemetryPeer.Duration.Record(SecondsSince(start), Tag);
        return result;
    }

    /// <summary>What MethodTimer.Fody weaves into an async method: a Stopwatch until the task completes, then the logger.</summary>
    [Benchmark]
    public async Task<int> FodyStyle()
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            return await Bare.TaskYielding(_value);
        }
        finally
        {
            stopwatch.Stop();
            MethodTimeLogger.Log(BareMethod, stopwatch.Elapsed, null);
        }
    }
}
