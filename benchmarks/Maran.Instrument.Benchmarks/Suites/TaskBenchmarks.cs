using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Maran.Instrument.Benchmarks.Peers;
using Prometheus;

namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>An async <see cref="Task{TResult}"/> workload: its bare method, and the names the suite reports it under.</summary>
/// <remarks>Implemented by structs, for the reason <see cref="ICpuWork"/> gives.</remarks>
public interface ITaskWork
{
    /// <summary>The operation's name (see <see cref="Workloads.Workload"/>).</summary>
    static abstract string Workload { get; }

    /// <summary>The name of the bare method in <see cref="Workloads.Bare"/>.</summary>
    static abstract string BareMethodName { get; }

    /// <summary>Runs the bare method.</summary>
    static abstract Task<int> Bare(int value);
}

/// <summary>
/// The bare call, the floor and the peers around an async <see cref="Task{TResult}"/> method; the concrete suite
/// adds the intercepted call. Each peer needs an async wrapper of its own to time the task.
/// </summary>
/// <typeparam name="TWork">The workload.</typeparam>
public abstract class TaskBenchmarks<TWork> : WorkloadBenchmarks
    where TWork : struct, ITaskWork
{
    /// <summary>Creates the suite.</summary>
    protected TaskBenchmarks()
        : base(TWork.Workload, TWork.BareMethodName)
    {
    }

    /// <summary>
    /// The argument every call gets: above the small results .NET caches completed tasks for, so a wrapper that
    /// completes allocates its task.
    /// </summary>
    protected int Value { get; } = 1000;

    /// <summary>The bare call.</summary>
    [Benchmark(Baseline = true)]
    public Task<int> Baseline() => TWork.Bare(Value);

    /// <summary>Two clock reads around the awaited call and nothing else.</summary>
    [Benchmark]
    public async Task<int> Floor()
    {
        long start = Stopwatch.GetTimestamp();
        int result = await TWork.Bare(Value);
        Sink = Stopwatch.GetTimestamp() - start;
        return result;
    }

    /// <summary>A prometheus-net histogram timer around the awaited call.</summary>
    [Benchmark]
    public async Task<int> PrometheusNet()
    {
        using (Timer.NewTimer())
        {
            return await TWork.Bare(Value);
        }
    }

    /// <summary>An OpenTelemetry span and a duration histogram around the awaited call.</summary>
    [Benchmark]
    public async Task<int> OTelTracing()
    {
        using Activity? activity = OpenTelemetryPeer.Source.StartActivity(Workload);
        long start = Stopwatch.GetTimestamp();
        int result = await TWork.Bare(Value);
        OpenTelemetryPeer.Duration.Record(SecondsSince(start), Tag);
        return result;
    }

    /// <summary>An OpenTelemetry duration histogram alone around the awaited call.</summary>
    [Benchmark]
    public async Task<int> OTelMetrics()
    {
        long start = Stopwatch.GetTimestamp();
        int result = await TWork.Bare(Value);
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
            return await TWork.Bare(Value);
        }
        finally
        {
            stopwatch.Stop();
            MethodTimeLogger.Log(BareMethod, stopwatch.Elapsed, null);
        }
    }
}
