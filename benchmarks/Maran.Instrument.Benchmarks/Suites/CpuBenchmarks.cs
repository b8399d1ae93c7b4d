using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Maran.Instrument.Benchmarks.Peers;
using Prometheus;

namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>A CPU-bound workload: its bare method, and the names the suite reports it under.</summary>
/// <remarks>
/// Implemented by structs, so that each suite's code is compiled for its workload and the bare call is a direct
/// call, as it would be written by hand. The monitored call stays in the concrete suite: the generator intercepts
/// a call where it is written, and a call through a type parameter is not one it can see.
/// </remarks>
public interface ICpuWork
{
    /// <summary>The operation's name (see <see cref="Workloads.Workload"/>).</summary>
    static abstract string Workload { get; }

    /// <summary>The name of the bare method in <see cref="Workloads.Bare"/>.</summary>
    static abstract string BareMethodName { get; }

    /// <summary>Runs the bare method.</summary>
    static abstract ulong Bare(ulong seed);
}

/// <summary>
/// The bare call, the floor and the peers around a CPU-bound method; the concrete suite adds the intercepted call.
/// </summary>
/// <typeparam name="TWork">The workload.</typeparam>
public abstract class CpuBenchmarks<TWork> : WorkloadBenchmarks
    where TWork : struct, ICpuWork
{
    /// <summary>Creates the suite.</summary>
    protected CpuBenchmarks()
        : base(TWork.Workload, TWork.BareMethodName)
    {
    }

    /// <summary>The argument every call gets.</summary>
    protected ulong Seed { get; } = 0x9E3779B97F4A7C15;

    /// <summary>The bare call.</summary>
    [Benchmark(Baseline = true)]
    public ulong Baseline() => TWork.Bare(Seed);

    /// <summary>Two clock reads around the call and nothing else.</summary>
    [Benchmark]
    public ulong Floor()
    {
        long start = Stopwatch.GetTimestamp();
        ulong result = TWork.Bare(Seed);
        Sink = Stopwatch.GetTimestamp() - start;
        return result;
    }

    /// <summary>A prometheus-net histogram timer.</summary>
    [Benchmark]
    public ulong PrometheusNet()
    {
        using (Timer.NewTimer())
        {
            return TWork.Bare(Seed);
        }
    }

    /// <summary>An OpenTelemetry span and a duration histogram.</summary>
    [Benchmark]
    public ulong OTelTracing()
    {
        using Activity? activity = OpenTelemetryPeer.Source.StartActivity(Workload);
        long start = Stopwatch.GetTimestamp();
        ulong result = TWork.Bare(Seed);
        OpenTelemetryPeer.Duration.Record(SecondsSince(start), Tag);
        return result;
    }

    /// <summary>An OpenTelemetry duration histogram alone.</summary>
    [Benchmark]
    public ulong OTelMetrics()
    {
        long start = Stopwatch.GetTimestamp();
        ulong result = TWork.Bare(Seed);
        OpenTelemetryPeer.Duration.Record(SecondsSince(start), Tag);
        return result;
    }

    /// <summary>What MethodTimer.Fody weaves: a Stopwatch in try/finally and a static logger callback.</summary>
    [Benchmark]
    public ulong FodyStyle()
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            return TWork.Bare(Seed);
        }
        finally
        {
            stopwatch.Stop();
            MethodTimeLogger.Log(BareMethod, stopwatch.Elapsed, null);
        }
    }
}
