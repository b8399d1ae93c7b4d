namespace Maran.Instrument.Benchmarks.Report;

/// <summary>One line of the overhead table: a workload, bare and monitored, and Maran's time against each peer's.</summary>
/// <param name="Workload">What was measured, in words.</param>
/// <param name="Suite">The benchmark class.</param>
/// <param name="MaranMethod"><c>Maran</c>, or <c>MaranSampled</c> for the sampled line.</param>
/// <param name="Bare">The bare call.</param>
/// <param name="Maran">The intercepted call.</param>
/// <param name="Peers">Each peer's result, in <see cref="ReportLayout.Peers"/> order; null where it was not run.</param>
public sealed record OverheadRow(
    string Workload,
    string Suite,
    string MaranMethod,
    BenchmarkResult Bare,
    BenchmarkResult Maran,
    IReadOnlyList<BenchmarkResult?> Peers)
{
    /// <summary>Nanoseconds Maran adds to the bare call.</summary>
    public double OverheadNs => Maran.MeanNs - Bare.MeanNs;

    /// <summary>The overhead as a percentage of the bare call.</summary>
    public double OverheadPercent => OverheadNs / Bare.MeanNs * 100;

    /// <summary>Bytes Maran adds per call, or null when allocations were not measured.</summary>
    public double? AddedBytes => Maran.AllocatedBytes - Bare.AllocatedBytes;

    /// <summary>Maran's time divided by peer <paramref name="index"/>'s: below 1 means Maran is cheaper.</summary>
    public double? RatioTo(int index) => Peers[index] is { } peer ? Maran.MeanNs / peer.MeanNs : null;
}
