using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Maran.Instrument.Benchmarks.Peers;
using Prometheus;

namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>A synchronous workload: its bare method, its input, and the names the suite reports it under.</summary>
/// <typeparam name="TInput">What every call is given.</typeparam>
/// <typeparam name="TResult">What it returns.</typeparam>
/// <remarks>
/// Implemented by structs, so that each suite's code is compiled for its workload and the bare call is a direct
/// call, as it would be written by hand. The monitored call stays in the concrete suite: the generator intercepts
/// a call where it is written, and a call through a type parameter is not one it can see.
/// </remarks>
public interface ISynchronousWork<TInput, TResult>
{
    /// <summary>The operation's name (see <see cref="Workloads.Workload"/>).</summary>
    static abstract string Workload { get; }

    /// <summary>The type that declares the bare method.</summary>
    static abstract Type BareType { get; }

    /// <summary>The name of the bare method in <see cref="BareType"/>.</summary>
    static abstract string BareMethodName { get; }

    /// <summary>Runs the bare method.</summary>
    static abstract TResult Bare(TInput input);
}

/// <summary>
/// The bare call, the floor and the peers around a synchronous method; the concrete suite adds the intercepted call.
/// </summary>
/// <typeparam name="TWork">The workload.</typeparam>
/// <typeparam name="TInput">What every call is given.</typeparam>
/// <typeparam name="TResult">What it returns.</typeparam>
public abstract class SynchronousBenchmarks<TWork, TInput, TResult> : WorkloadBenchmarks
    where TWork : struct, ISynchronousWork<TInput, TResult>
{
    /// <summary>Creates the suite, calling the workload with <paramref name="input"/>.</summary>
    protected SynchronousBenchmarks(TInput input)
        : base(TWork.Workload, TWork.BareType, TWork.BareMethodName)
    {
        Input = input;
    }

    /// <summary>The argument every call gets.</summary>
    protected TInput Input { get; }

    /// <summary>The bare call.</summary>
    [Benchmark(Baseline = true)]
    public TResult Baseline() => TWork.Bare(Input);

    /// <summary>Two clock reads around the call and nothing else: a timer written by hand.</summary>
    [Benchmark]
    public TResult Floor()
    {
        long start = Stopwatch.GetTimestamp();
        TResult result = TWork.Bare(Input);
        Sink = Stopwatch.GetTimestamp() - start;
        return result;
    }

    /// <summary>A prometheus-net histogram timer.</summary>
    [Benchmark]
    public TResult PrometheusNet()
    {
        using (Timer.NewTimer())
        {
            return TWork.Bare(Input);
        }
    }

    /// <summary>An OpenTelemetry span and a duration histogram.</summary>
    [Benchmark]
    public TResult OTelTracing()
    {
        using Activity? activity = OpenTelemetryPeer.Source.StartActivity(Workload);
        long start = Stopwatch.GetTimestamp();
        TResult result = TWork.Bare(Input);
        OpenTelemetryPeer.Duration.Record(SecondsSince(start), Tag);
        return result;
    }

    /// <summary>An OpenTelemetry duration histogram alone.</summary>
    [Benchmark]
    public TResult OTelMetrics()
    {
        long start = Stopwatch.GetTimestamp();
        TResult result = TWork.Bare(Input);
        OpenTelemetryPeer.Duration.Record(SecondsSince(start), Tag);
        return result;
    }

    /// <summary>What MethodTimer.Fody weaves: a Stopwatch in try/finally and a static logger callback.</summary>
    [Benchmark]
    public TResult FodyStyle()
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            return TWork.Bare(Input);
        }
        finally
        {
            stopwatch.Stop();
            MethodTimeLogger.Log(BareMethod, stopwatch.Elapsed, null);
        }
    }
}
