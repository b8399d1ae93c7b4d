using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Maran.Instrument.Benchmarks.Peers;
using Maran.Instrument.Benchmarks.Workloads;
using Prometheus;

namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>
/// Two threads calling the same monitored (empty) operation as fast as they can: shared counters would bounce
/// their cache line between the cores; Maran's per-thread cells should not. Times are per call, per thread.
/// </summary>
public class ContentionBenchmarks : WorkloadBenchmarks
{
    /// <summary>Calls each thread makes per invocation.</summary>
    public const int CallsPerThread = 10_000;

    private readonly Action _prometheusNet;
    private readonly Action _otelTracing;
    private readonly Action _otelMetrics;
    private readonly Action _fodyStyle;
    private ParallelPair? _pair;

    /// <summary>Creates the suite.</summary>
    public ContentionBenchmarks()
        : base(Workloads.Workload.Contended, nameof(Bare.Contended))
    {
        _prometheusNet = PrometheusNetLoop;
        _otelTracing = OTelTracingLoop;
        _otelMetrics = OTelMetricsLoop;
        _fodyStyle = FodyStyleLoop;
    }

    /// <summary>The bare calls.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = CallsPerThread)]
    public void Baseline() => _pair!.Run(BaselineLoop);

    /// <summary>The intercepted calls.</summary>
    [Benchmark(OperationsPerInvoke = CallsPerThread)]
    public void Maran() => _pair!.Run(MaranLoop);

    /// <summary>Two clock reads around each call.</summary>
    [Benchmark(OperationsPerInvoke = CallsPerThread)]
    public void Floor() => _pair!.Run(FloorLoop);

    /// <summary>A prometheus-net histogram timer around each call.</summary>
    [Benchmark(OperationsPerInvoke = CallsPerThread)]
    public void PrometheusNet() => _pair!.Run(_prometheusNet);

    /// <summary>An OpenTelemetry span and a duration histogram around each call.</summary>
    [Benchmark(OperationsPerInvoke = CallsPerThread)]
    public void OTelTracing() => _pair!.Run(_otelTracing);

    /// <summary>An OpenTelemetry duration histogram around each call.</summary>
    [Benchmark(OperationsPerInvoke = CallsPerThread)]
    public void OTelMetrics() => _pair!.Run(_otelMetrics);

    /// <summary>A Stopwatch and a static logger callback around each call.</summary>
    [Benchmark(OperationsPerInvoke = CallsPerThread)]
    public void FodyStyle() => _pair!.Run(_fodyStyle);

    /// <inheritdoc/>
    protected override void OnSetup() => _pair ??= new ParallelPair();

    /// <inheritdoc/>
    protected override void OnCleanup()
    {
        _pair?.Dispose();
        _pair = null;
    }

    private static void BaselineLoop()
    {
        for (int i = 0; i < CallsPerThread; i++)
        {
            Bare.Contended();
        }
    }

    private static void MaranLoop()
    {
        for (int i = 0; i < CallsPerThread; i++)
        {
            Monitored.Contended();
        }
    }

    private static void FloorLoop()
    {
        long elapsed = 0;
        for (int i = 0; i < CallsPerThread; i++)
        {
            long start = Stopwatch.GetTimestamp();
            Bare.Contended();
            elapsed += Stopwatch.GetTimestamp() - start;
        }

        GC.KeepAlive(elapsed);
    }

    private void PrometheusNetLoop()
    {
        for (int i = 0; i < CallsPerThread; i++)
        {
            using (Timer.NewTimer())
            {
                Bare.Contended();
            }
        }
    }

    private void OTelTracingLoop()
    {
        for (int i = 0; i < CallsPerThread; i++)
        {
            using Activity? activity = OpenTelemetryPeer.Source.StartActivity(Workload);
            long start = Stopwatch.GetTimestamp();
            Bare.Contended();
            OpenTelemetryPeer.Duration.Record(SecondsSince(start), Tag);
        }
    }

    private void OTelMetricsLoop()
    {
        for (int i = 0; i < CallsPerThread; i++)
        {
            long start = Stopwatch.GetTimestamp();
            Bare.Contended();
            OpenTelemetryPeer.Duration.Record(SecondsSince(start), Tag);
        }
    }

    private void FodyStyleLoop()
    {
        for (int i = 0; i < CallsPerThread; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            try
            {
                Bare.Contended();
            }
            finally
            {
                stopwatch.Stop();
                MethodTimeLogger.Log(BareMethod, stopwatch.Elapsed, null);
            }
        }
    }
}
