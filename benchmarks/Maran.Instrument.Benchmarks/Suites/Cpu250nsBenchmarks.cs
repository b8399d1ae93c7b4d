using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Maran.Instrument.Benchmarks.Peers;
using Maran.Instrument.Benchmarks.Workloads;
using Prometheus;

namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>
/// About 250 ns of arithmetic. Two clock reads are a fifth of that, so timing every call cannot stay under 5%:
/// <c>MaranSampled</c> times 1 call in 16 and counts them all.
/// </summary>
public class Cpu250nsBenchmarks : WorkloadBenchmarks
{
    private readonly ulong _seed = 0x9E3779B97F4A7C15;

    /// <summary>Creates the suite.</summary>
    public Cpu250nsBenchmarks()
        : base(Workloads.Workload.Cpu250ns, nameof(Bare.Cpu250ns))
    {
    }

    /// <summary>The bare call.</summary>
    [Benchmark(Baseline = true)]
    public ulong Baseline() => Bare.Cpu250ns(_seed);

    /// <summary>The intercepted call.</summary>
    [Benchmark]
    public ulong Maran() => Monitored.Cpu250ns(_seed);

    /// <summary>The intercepted call, 1 in <see cref="WorkloadBenchmarks.SampledRate"/> timed.</summary>
    [Benchmark]
    public ulong MaranSampled() => Monitored.Cpu250ns(_seed);

    /// <summary>Two clock reads around the call and nothing else.</summary>
    [Benchmark]
    public ulong Floor()
    {
        long start = Stopwatch.GetTimestamp();
        ulong result = Bare.Cpu250ns(_seed);
        Sink = Stopwatch.GetTimestamp() - start;
        return result;
    }

    /// <summary>A prometheus-net histogram timer.</summary>
    [Benchmark]
    public ulong PrometheusNet()
    {
        using (Timer.NewTimer())
        {
            return Bare.Cpu250ns(_seed);
        }
    }

    /// <summary>An OpenTelemetry span and a duration histogram.</summary>
    [Benchmark]
    public ulong OTelTracing()
    {
        using Activity? activity = OpenTelemetryPeer.Source.StartActivity(Workload);
        long start = Stopwatch.GetTimestamp();
        ulong result = Bare.Cpu250ns(_seed);
        OpenTelemetryPeer.Duration.Record(SecondsSince(start), Tag);
        return result;
    }

    /// <summary>An OpenTelemetry duration histogram alone.</summary>
    [Benchmark]
    public ulong OTelMetrics()
    {
        long start = Stopwatch.GetTimestamp();
        ulong result = Bare.Cpu250ns(_seed);
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
            return Bare.Cpu250ns(_seed);
        }
        finally
        {
            stopwatch.Stop();
            MethodTimeLogger.Log(BareMethod, stopwatch.Elapsed, null);
        }
    }
}
