using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Maran.Instrument.Benchmarks.Peers;
using Maran.Instrument.Benchmarks.Workloads;
using Prometheus;

namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>
/// An async stream of 100 items, enumerated to the end. The interceptor wraps the stream in one object (its own
/// enumerator too), so each stream costs one allocation and each item none; the peers time the enumeration.
/// </summary>
public class StreamBenchmarks : WorkloadBenchmarks
{
    private readonly int _items = Workloads.Workload.StreamItems;

    /// <summary>Creates the suite.</summary>
    public StreamBenchmarks()
        : base(Workloads.Workload.Stream, nameof(Bare.Stream))
    {
    }

    /// <summary>The bare stream.</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> Baseline()
    {
        int sum = 0;
        await foreach (int item in Bare.Stream(_items))
        {
            sum += item;
        }

        return sum;
    }

    /// <summary>The intercepted stream.</summary>
    [Benchmark]
    public async Task<int> Maran()
    {
        int sum = 0;
        await foreach (int item in Monitored.Stream(_items))
        {
            sum += item;
        }

        return sum;
    }

    /// <summary>Two clock reads around the enumeration and nothing else.</summary>
    [Benchmark]
    public async Task<int> Floor()
    {
        long start = Stopwatch.GetTimestamp();
        int sum = 0;
        await foreach (int item in Bare.Stream(_items))
        {
            sum += item;
        }

        Sink = Stopwatch.GetTimestamp() - start;
        return sum;
    }

    /// <summary>A prometheus-net histogram timer around the enumeration.</summary>
    [Benchmark]
    public async Task<int> PrometheusNet()
    {
        using (Timer.NewTimer())
        {
            int sum = 0;
            await foreach (int item in Bare.Stream(_items))
            {
                sum += item;
            }

            return sum;
        }
    }

    /// <summary>An OpenTelemetry span and a duration histogram around the enumeration.</summary>
    [Benchmark]
    public async Task<int> OTelTracing()
    {
        using Activity? activity = OpenTelemetryPeer.Source.StartActivity(Workload);
        long start = Stopwatch.GetTimestamp();
        int sum = 0;
        await foreach (int item in Bare.Stream(_items))
        {
            sum += item;
        }

        OpenTelemetryPeer.Duration.Record(SecondsSince(start), Tag);
        return sum;
    }

    /// <summary>An OpenTelemetry duration histogram alone around the enumeration.</summary>
    [Benchmark]
    public async Task<int> OTelMetrics()
    {
        long start = Stopwatch.GetTimestamp();
        int sum = 0;
        await foreach (int item in Bare.Stream(_items))
        {
            sum += item;
        }

        OpenTelemetryPeer.Duration.Record(SecondsSince(start), Tag);
        return sum;
    }

    /// <summary>A Stopwatch in try/finally around the enumeration and a static logger callback.</summary>
    [Benchmark]
    public async Task<int> FodyStyle()
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            int sum = 0;
            await foreach (int item in Bare.Stream(_items))
            {
                sum += item;
            }

            return sum;
        }
        finally
        {
            stopwatch.Stop();
            MethodTimeLogger.Log(BareMethod, stopwatch.Elapsed, null);
        }
    }
}
