using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Maran.Instrument.Benchmarks.Peers;
using Maran.Instrument.Benchmarks.Workloads;
using Prometheus;

namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>
/// A Task method that completes synchronously: the interceptor hands the same task back and adds no allocation;
/// the peers need an async wrapper to time it, and that wrapper allocates a task of its own.
/// </summary>
public class TaskCompletedBenchmarks : WorkloadBenchmarks
{
    // Above the small results .NET caches completed tasks for, so an async wrapper that completes allocates its task.
    private readonly int _value = 1000;

    /// <summary>Creates the suite.</summary>
    public TaskCompletedBenchmarks()
        : base(Workloads.Workload.TaskCompleted, nameof(Bare.TaskCompleted))
    {
    }

    /// <summary>The bare call.</summary>
    [Benchmark(Baseline = true)]
    public Task<int> Baseline() => Bare.TaskCompleted(_value);

    /// <summary>The intercepted call.</summary>
    [Benchmark]
    public Task<int> Maran() => Monitored.TaskCompleted(_value);

    /// <summary>Two clock reads around the awaited call and nothing else.</summary>
    [Benchmark]
    public async Task<int> Floor()
    {
        long start = Stopwatch.GetTimestamp();
        int result = await Bare.TaskCompleted(_value);
        Sink = Stopwatch.GetTimestamp() - start;
        return result;
    }

    /// <summary>A prometheus-net histogram timer around the awaited call.</summary>
    [Benchmark]
    public async Task<int> PrometheusNet()
    {
        using (Timer.NewTimer())
        {
            return await Bare.TaskCompleted(_value);
        }
    }

    /// <summary>An OpenTelemetry span and a duration histogram around the awaited call.</summary>
    [Benchmark]
    public async Task<int> OTelTracing()
    {
        using Activity? activity = OpenTelemetryPeer.Source.StartActivity(Workload);
        long start = Stopwatch.GetTimestamp();
        int result = await Bare.TaskCompleted(_value);
        OpenTelemetryPeer.Duration.Record(SecondsSince(start), Tag);
        return result;
    }

    /// <summary>An OpenTelemetry duration histogram alone around the awaited call.</summary>
    [Benchmark]
    public async Task<int> OTelMetrics()
    {
        long start = Stopwatch.GetTimestamp();
        int result = await Bare.TaskCompleted(_value);
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
            return await Bare.TaskCompleted(_value);
        }
        finally
        {
            stopwatch.Stop();
            MethodTimeLogger.Log(BareMethod, stopwatch.Elapsed, null);
        }
    }
}
