namespace Maran.Instrument.Benchmarks.Report;

/// <summary>One benchmark's outcome as BenchmarkDotNet exported it.</summary>
/// <param name="Suite">The benchmark class, for example <c>EmptyBenchmarks</c>.</param>
/// <param name="Method">The benchmark method, for example <c>Maran</c>.</param>
/// <param name="MeanNs">Mean time per operation, in nanoseconds.</param>
/// <param name="MarginNs">Half the 99.9% confidence interval of the mean, in nanoseconds (NaN when unknown).</param>
/// <param name="AllocatedBytes">Bytes allocated per operation, or null when the memory diagnoser was off.</param>
public sealed record BenchmarkResult(string Suite, string Method, double MeanNs, double MarginNs, double? AllocatedBytes);
