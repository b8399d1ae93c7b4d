using System.Diagnostics;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using Maran.Instrument.Benchmarks.Peers;
using Maran.Instrument.Benchmarks.Workloads;
using Maran.Instrument.Profiling;
using Prometheus;

namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>
/// One workload measured every way: <c>Baseline</c> (the bare method), <c>Maran</c> (the same call, intercepted),
/// <c>MaranSampled</c> where present (1 call in <see cref="SampledRate"/> timed, every call counted), and the
/// peers: <c>Floor</c> (two clock reads), <c>PrometheusNet</c>, <c>OTelTracing</c>, <c>OTelMetrics</c> and
/// <c>FodyStyle</c>. Subclasses hold the benchmark methods; this class sets the runtime and the peers up.
/// </summary>
public abstract class WorkloadBenchmarks
{
    /// <summary>The sampling rate of the <c>MaranSampled</c> benchmarks: <c>monitoring.sampling.rate: 16</c>.</summary>
    public const int SampledRate = 16;

    private readonly RuntimeMethodHandle _bareMethod;

    /// <summary>Sets up the benchmarks of <paramref name="workload"/>, whose bare method is <paramref name="bareMethodName"/> of <see cref="Bare"/>.</summary>
    protected WorkloadBenchmarks(string workload, string bareMethodName)
        : this(workload, typeof(Bare), bareMethodName)
    {
    }

    /// <summary>Sets up the benchmarks of <paramref name="workload"/>, whose bare method is <paramref name="bareMethodName"/> of <paramref name="bareType"/>.</summary>
    protected WorkloadBenchmarks(string workload, Type bareType, string bareMethodName)
    {
        Workload = workload;
        Tag = new KeyValuePair<string, object?>("operation", workload);
        _bareMethod = bareType.GetMethod(bareMethodName, BindingFlags.Public | BindingFlags.Static)!.MethodHandle;
        Timer = PrometheusPeer.Duration(workload);
        Errors = PrometheusPeer.Errors(workload);
    }

    /// <summary>The workload's name: its Maran operation, prometheus-net label and OpenTelemetry tag.</summary>
    public string Workload { get; }

    /// <summary>Where <c>Floor</c> leaves the elapsed ticks, so the clock reads cannot be dropped.</summary>
    protected long Sink { get; set; }

    /// <summary>The prometheus-net histogram child of this workload.</summary>
    protected Histogram.Child Timer { get; }

    /// <summary>The prometheus-net error counter child of this workload.</summary>
    protected Counter.Child Errors { get; }

    /// <summary>The OpenTelemetry tag naming this workload.</summary>
    protected KeyValuePair<string, object?> Tag { get; }

    /// <summary>What MethodTimer.Fody's woven <c>methodof(...)</c> yields: resolved from its token on every call.</summary>
    protected MethodBase BareMethod => MethodBase.GetMethodFromHandle(_bareMethod)!;

    /// <summary>Maran with its defaults: every call timed, allocations sampled 1 timed call in 16.</summary>
    [GlobalSetup]
    public void Setup() => Configure(sampleInterval: 1);

    /// <summary>Maran with sampling on: 1 call in <see cref="SampledRate"/> timed, every call counted.</summary>
    [GlobalSetup(Target = "MaranSampled")]
    public void SetupSampled() => Configure(SampledRate);

    /// <summary>Stops the OpenTelemetry providers and whatever the subclass started.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        OnCleanup();
        OpenTelemetryPeer.Stop();
    }

    /// <summary>Seconds since <paramref name="startTimestamp"/>, as OpenTelemetry's duration histograms want them.</summary>
    protected static double SecondsSince(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;

    /// <summary>Records a failed call the way OpenTelemetry's guides do: span status, exception event, <c>error.type</c>.</summary>
    protected bool RecordFailure(Activity? activity, long startTimestamp, Exception exception)
    {
        activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity?.AddException(exception);
        OpenTelemetryPeer.Duration.Record(SecondsSince(startTimestamp), Tag, new KeyValuePair<string, object?>("error.type", exception.GetType().FullName));
        return false;
    }

    /// <summary>Extra setup of a subclass; runs after the runtime and the peers are ready.</summary>
    protected virtual void OnSetup()
    {
    }

    /// <summary>Extra cleanup of a subclass.</summary>
    protected virtual void OnCleanup()
    {
    }

    private void Configure(int sampleInterval)
    {
        MonitoringRuntime.Enabled = true;
        MonitoringRuntime.SampleInterval = sampleInterval;
        MonitoringRuntime.AllocationSampleInterval = MonitoringDefaults.AllocationSampleInterval;
        MonitoringRuntime.CallTreeEnabled = false;
        MonitoringRuntime.TracingEnabled = true;
        OpenTelemetryPeer.Start();
        OnSetup();
    }
}
