using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Maran.Instrument.Benchmarks.Peers;
using Maran.Instrument.Benchmarks.Workloads;
using Prometheus;

namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>
/// A method that throws, caught by its caller. The interceptor records the failure in an exception filter and
/// lets the exception pass untouched; the peers use filters too, so no one pays for a rethrow. <c>MaranTracked</c> is
/// the same call while a monitoring system runs, so its error tracker hears every failure, as in a deployed service.
/// </summary>
public class FailureBenchmarks : WorkloadBenchmarks
{
    private InMemorySystem? _system;

    /// <summary>Creates the suite.</summary>
    public FailureBenchmarks()
        : base(Workloads.Workload.Failure, nameof(Bare.Failure))
    {
    }

    /// <summary>Starts a monitoring system with storage off (the error tracker keeps its errors in memory), then the suite's settings.</summary>
    [GlobalSetup(Target = nameof(MaranTracked))]
    public void SetupTracked()
    {
        _system = InMemorySystem.Start("failure");
        Setup();
    }

    /// <summary>The bare call, caught.</summary>
    [Benchmark(Baseline = true)]
    public int Baseline()
    {
        try
        {
            Bare.Failure();
            return 0;
        }
        catch (InvalidOperationException)
        {
            return 1;
        }
    }

    /// <summary>The intercepted call, caught.</summary>
    [Benchmark]
    public int Maran()
    {
        try
        {
            Monitored.Failure();
            return 0;
        }
        catch (InvalidOperationException)
        {
            return 1;
        }
    }

    /// <summary>The intercepted call, caught, while the error tracker listens.</summary>
    [Benchmark]
    public int MaranTracked()
    {
        try
        {
            Monitored.Failure();
            return 0;
        }
        catch (InvalidOperationException)
        {
            return 1;
        }
    }

    /// <summary>Two clock reads around the call (the second in a finally) and nothing else.</summary>
    [Benchmark]
    public int Floor()
    {
        try
        {
            long start = Stopwatch.GetTimestamp();
            try
            {
                Bare.Failure();
            }
            finally
            {
                Sink = Stopwatch.GetTimestamp() - start;
            }

            return 0;
        }
        catch (InvalidOperationException)
        {
            return 1;
        }
    }

    /// <summary>A prometheus-net histogram timer, and its error counter incremented by the caller.</summary>
    [Benchmark]
    public int PrometheusNet()
    {
        try
        {
            using (Timer.NewTimer())
            {
                Bare.Failure();
            }

            return 0;
        }
        catch (InvalidOperationException)
        {
            Errors.Inc();
            return 1;
        }
    }

    /// <summary>An OpenTelemetry span marked as failed with the exception, and the duration tagged with <c>error.type</c>.</summary>
    [Benchmark]
    public int OTelTracing()
    {
        try
        {
            using Activity? activity = OpenTelemetryPeer.Source.StartActivity(Workload);
            long start = Stopwatch.GetTimestamp();
            try
            {
                Bare.Failure();
            }
            catch (Exception exception) when (RecordFailure(activity, start, exception))
            {
                throw;
            }

            OpenTelemetryPeer.Duration.Record(SecondsSince(start), Tag);
            return 0;
        }
        catch (InvalidOperationException)
        {
            return 1;
        }
    }

    /// <summary>An OpenTelemetry duration histogram alone, tagged with <c>error.type</c>.</summary>
    [Benchmark]
    public int OTelMetrics()
    {
        try
        {
            long start = Stopwatch.GetTimestamp();
            try
            {
                Bare.Failure();
            }
            catch (Exception exception) when (RecordFailure(null, start, exception))
            {
                throw;
            }

            OpenTelemetryPeer.Duration.Record(SecondsSince(start), Tag);
            return 0;
        }
        catch (InvalidOperationException)
        {
            return 1;
        }
    }

    /// <summary>What MethodTimer.Fody weaves: a Stopwatch in try/finally and a static logger callback.</summary>
    [Benchmark]
    public int FodyStyle()
    {
        try
        {
            var stopwatch = Stopwatch.StartNew();
            try
            {
                Bare.Failure();
            }
            finally
            {
                stopwatch.Stop();
                MethodTimeLogger.Log(BareMethod, stopwatch.Elapsed, null);
            }

            return 0;
        }
        catch (InvalidOperationException)
        {
            return 1;
        }
    }

    /// <inheritdoc/>
    protected override void OnCleanup()
    {
        _system?.Dispose();
        _system = null;
    }
}
