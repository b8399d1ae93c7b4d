using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Maran.Instrument.Benchmarks.Peers;
using Maran.Instrument.Benchmarks.Workloads;
using Maran.Instrument.Profiling;
using Prometheus;

namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>
/// An empty method: what is left is each tool's own cost. The disassembly of <c>Maran</c> shows the generated
/// interceptor and the inlined <see cref="OperationScope"/> as the JIT compiled them.
/// </summary>
[DisassemblyDiagnoser(maxDepth: 3, printSource: false, exportCombinedDisassemblyReport: true)]
public class EmptyBenchmarks : WorkloadBenchmarks
{
    /// <summary>Creates the suite.</summary>
    public EmptyBenchmarks()
        : base(Workloads.Workload.Empty, nameof(Bare.Empty))
    {
    }

    /// <summary>The bare call.</summary>
    [Benchmark(Baseline = true)]
    public void Baseline() => Bare.Empty();

    /// <summary>The intercepted call.</summary>
    [Benchmark]
    public void Maran() => Monitored.Empty();

    /// <summary>The intercepted call, 1 in <see cref="WorkloadBenchmarks.SampledRate"/> timed.</summary>
    [Benchmark]
    public void MaranSampled() => Monitored.Empty();

    /// <summary>Two clock reads around the call and nothing else.</summary>
    [Benchmark]
    public void Floor()
    {
        long start = Stopwatch.GetTimestamp();
        Bare.Empty();
        Sink = Stopwatch.GetTimestamp() - start;
    }

    /// <summary>A prometheus-net histogram timer.</summary>
    [Benchmark]
    public void PrometheusNet()
    {
        using (Timer.NewTimer())
        {
            Bare.Empty();
        }
    }

    /// <summary>An OpenTelemetry span and a duration histogram.</summary>
    [Benchmark]
    public void OTelTracing()
    {
        using Activity? activity = OpenTelemetryPeer.Source.StartActivity(Workload);
        long start = Stopwatch.GetTimestamp();
        Bare.Empty();
        OpenTelemetryPeer.Duration.Record(SecondsSince(start), Tag);
    }

    /// <summary>An OpenTelemetry duration histogram alone.</summary>
    [Benchmark]
    public void OTelMetrics()
    {
        long start = Stopwatch.GetTimestamp();
        Bare.Empty();
        OpenTelemetryPeer.Duration.Record(SecondsSince(start), Tag);
    }

    /// <summary>What MethodTimer.Fody weaves: a Stopwatch in try/finally and a static logger callback.</summary>
    [Benchmark]
    public void FodyStyle()
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            Bare.Empty();
        }
        finally
        {
            stopwatch.Stop();
            MethodTimeLogger.Log(BareMethod, stopwatch.Elapsed, null);
        }
    }
}
