namespace Maran.Instrument.Profiling;

/// <summary>
/// GPU utilisation over the moments some calls ran, for the profiler's per-operation GPU figure. The health
/// monitor, a higher layer, provides it; the profiler knows only this.
/// </summary>
internal interface IGpuTimeline
{
    /// <summary>The mean GPU utilisation while <paramref name="calls"/> ran and the samples it is from; null when there are none.</summary>
    (double Percent, int Samples)? GpuUtilizationDuring(IReadOnlyList<RecentCall> calls);
}
