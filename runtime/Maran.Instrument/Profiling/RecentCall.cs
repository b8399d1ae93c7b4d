namespace Maran.Instrument.Profiling;

/// <summary>One recently completed, timed call: when it started, how long it took, how it ended.</summary>
/// <param name="StartTimestamp">The <see cref="System.Diagnostics.Stopwatch"/> timestamp at which it started.</param>
/// <param name="ElapsedTicks">Its duration in stopwatch ticks.</param>
/// <param name="Status">How it ended.</param>
internal readonly record struct RecentCall(long StartTimestamp, long ElapsedTicks, OperationStatus Status);
