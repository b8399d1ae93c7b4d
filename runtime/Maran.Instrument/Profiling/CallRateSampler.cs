using System.Diagnostics;
using Maran.Instrument.Diagnostics;

namespace Maran.Instrument.Profiling;

/// <summary>Samples every operation's count once a second while the system runs: what the profiler's calls per second are computed from.</summary>
internal sealed class CallRateSampler(PerformanceProfiler profiler, TimeProvider time) : IMonitoringService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly object _gate = new();
    private ITimer? _timer;

    public string Name => "call rate sampler";

    public void Start()
    {
        lock (_gate)
        {
            _timer ??= time.CreateTimer(static state => ((CallRateSampler)state!).Sample(), this, TimeSpan.Zero, Interval);
        }
    }

    public void Stop()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void Sample()
    {
        try
        {
            profiler.SampleRates(Stopwatch.GetTimestamp());
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("call rate sampler", ex);
        }
    }
}
