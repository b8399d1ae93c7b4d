using System.Diagnostics;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Costs;

/// <summary>Seconds of one compute resource in one interval, attributed to one operation.</summary>
/// <param name="ResourceType"><c>cpu</c> or <c>gpu</c>.</param>
/// <param name="Subject">The GPU's name for <c>gpu</c>, else empty.</param>
/// <param name="Component">The component it is attributed to (<c>process</c> when no monitored call ran).</param>
/// <param name="Operation">The operation it is attributed to, or empty.</param>
/// <param name="Seconds">CPU-seconds, or busy GPU-seconds.</param>
internal readonly record struct ComputeUsage(string ResourceType, string Subject, string Component, string Operation, double Seconds);

/// <summary>
/// Measures compute for pricing: the process's CPU time and, through <see cref="Gpu"/>, each GPU's busy time
/// (utilisation x interval) since the last sample, split over the monitored operations by their share of the
/// time spent in monitored calls in that interval. Time in no monitored call is attributed to <c>process</c>.
/// </summary>
internal sealed class ComputeMeter(Func<TimeSpan>? cpuTime = null)
{
    private readonly Func<TimeSpan> _cpuTime = cpuTime ?? ProcessCpuTime;
    private readonly Dictionary<OperationRecorder, double> _busy = [];
    private TimeSpan _lastCpu;
    private long _lastAt = -1;

    /// <summary>The health monitor's per-device GPU view; null when there is none.</summary>
    public IGpuUtilizationSource? Gpu { get; init; }

    /// <summary>Starts measuring from now.</summary>
    public void Reset(long nowMs)
    {
        _lastAt = nowMs;
        _lastCpu = _cpuTime();
        foreach (OperationRecorder recorder in OperationRegistry.All)
        {
            _busy[recorder] = BusyTicks(recorder.Snapshot());
        }
    }

    /// <summary>What was used since the last sample, attributed; empty on the first call.</summary>
    public List<ComputeUsage> Sample(long nowMs)
    {
        var usage = new List<ComputeUsage>();
        if (_lastAt < 0)
        {
            Reset(nowMs);
            return usage;
        }

        double seconds = Math.Max(0, (nowMs - _lastAt) / 1000.0);
        TimeSpan cpu = _cpuTime();
        double cpuSeconds = Math.Max(0, (cpu - _lastCpu).TotalSeconds);
        _lastAt = nowMs;
        _lastCpu = cpu;

        List<(string Component, string Operation, double Share)> shares = Shares();
        if (cpuSeconds > 0)
        {
            Split(usage, "cpu", string.Empty, cpuSeconds, shares);
        }

        IReadOnlyList<GpuUtilization> gpus = [];
        try
        {
            gpus = Gpu?.ReadGpuUtilization() ?? [];
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("gpu utilization for costs", ex);
        }

        foreach (GpuUtilization gpu in gpus)
        {
            double busy = Math.Clamp(gpu.UtilizationPercent, 0, 100) / 100 * seconds;
            if (busy > 0)
            {
                Split(usage, "gpu", gpu.Name ?? $"GPU {gpu.Index}", busy, shares);
            }
        }

        return usage;
    }

    private static void Split(List<ComputeUsage> into, string type, string subject, double seconds, List<(string Component, string Operation, double Share)> shares)
    {
        if (shares.Count == 0)
        {
            into.Add(new ComputeUsage(type, subject, "process", string.Empty, seconds));
            return;
        }

        foreach ((string component, string operation, double share) in shares)
        {
            into.Add(new ComputeUsage(type, subject, component, operation, seconds * share));
        }
    }

    // Each operation's share of the time spent in monitored calls since the last sample (sampled calls scaled up).
    private List<(string Component, string Operation, double Share)> Shares()
    {
        var deltas = new List<(string Component, string Operation, double Ticks)>();
        foreach (OperationRecorder recorder in OperationRegistry.All)
        {
            double busy = BusyTicks(recorder.Snapshot());
            double delta = busy - _busy.GetValueOrDefault(recorder);
            _busy[recorder] = busy;
            if (delta > 0)
            {
                deltas.Add((recorder.Component, recorder.Name, delta));
            }
        }

        double total = deltas.Sum(d => d.Ticks);
        return total > 0 ? [.. deltas.Select(d => (d.Component, d.Operation, d.Ticks / total))] : [];
    }

    private static TimeSpan ProcessCpuTime()
    {
        using Process process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static double BusyTicks(OperationSnapshot snapshot) =>
        snapshot.Timed > 0 ? snapshot.TotalTicks * ((double)snapshot.Started / snapshot.Timed) : 0;
}
