using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Maran.Instrument.Benchmarks.Peers;
using Maran.Instrument.Benchmarks.Workloads;
using Prometheus;

namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>A ValueTask method that completes synchronously: no one needs to allocate anything.</summary>
public class ValueTaskCompletedBenchmarks : WorkloadBenchmarks
{
    // Above the small results .NET caches completed tasks for: were this a Task, it would be allocated.
    private readonly int _value = 1000;

    /// <summary>Creates the suite.</summary>
    public ValueTaskCompletedBenchmarks()
        : base(Workloads.Workload.ValueTaskCompleted, nameof(Bare.ValueTaskCompleted))
    {
    }

    /// <summary>The bare call.</summary>
    [Benchmark(Baseline = true)]
    public ValueTask<int> Baseline() => Bare.ValueTaskCompleted(_value);

    /// <summary>The intercepted call.</summary>
    [Benchmark]
    public ValueTask<int> Maran() => Monitored.ValueTaskCompleted(_value);

    /// <summary>Two clock reads around the awaited call and nothing else.</summary>
    [Benchmark]
    public async ValueTask<int> Floor()
    {
        long start = Stopwatch.GetTimestamp();
        int result = await Bare.ValueTaskCompleted(_value);
        Sink = Stopwatch.GetTimestamp() - start;
        return result;
    }

    /// <summary>A prometheus-net histogram timer around the awaited call.</summary>
    [Benchmark]
    public async ValueTask<int> PrometheusNet()
    {
        using (Timer.NewTimer())
        {
            return await Bare.ValueTaskCompleted(_value);
        }
    }

    /// <summary>An OpenTelemetry span and a duration histogram around the awaited call.</summary>
    [Benchmark]
    public async ValueTask<int> OTelTracing()
    {
        using Activity? activity = OpenTelemetryPeer.Source.StartActivity(Workload);
        long start = Stopwatch.GetTimestamp();
        int result = await Bare.ValueTaskCompleted(_value);
        OpenTelemetryPeer.Duration.Record(SecondsSince(start), Tag);
        return result;
    }

    /// <summary>An OpenTelemetry duration histogram alone around the awaited call.</summary>
    [Benchmark]
    public async ValueTask<int> OTelMetrics()
    {
        long start = Stopwatch.GetTimestamp();
        int result = await Bare.ValueTaskCompleted(_value);
        OpenTelemetryPeer.Duration.Record(SecondsSince(start), Tag);
        return result;
    }

    /// <summary>What MethodTimer.Fody weaves into an async method: a Stopwatch until the task completes, then the logger.</summary>
    [Benchmark]
    public async ValueTask<int> FodyStyle()
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            return await Bare.ValueTaskCompleted(_value);
        }
        finally
        {
            stopwatch.Stop();
            MethodTimeLogger.Log(BareMethod, stopwatch.Elapsed, null);
        }
    }
}
