using Maran.Instrument.Benchmarks.Suites;

namespace Maran.Instrument.Benchmarks.Report;

/// <summary>The table's lines and columns: which benchmark class is which workload, and who the peers are.</summary>
public static class ReportLayout
{
    /// <summary>The peers, as (benchmark method, column title).</summary>
    public static IReadOnlyList<(string Method, string Title)> Peers { get; } =
    [
        ("Floor", "floor"),
        ("PrometheusNet", "prometheus-net"),
        ("OTelTracing", "OTel span+histogram"),
        ("OTelMetrics", "OTel histogram"),
        ("FodyStyle", "Fody-style"),
    ];

    /// <summary>The table's lines, in order.</summary>
    public static IReadOnlyList<WorkloadLine> Lines { get; } =
    [
        new(nameof(EmptyBenchmarks), "empty method", "Maran", ZeroAddedPath: "synchronous"),
        new(nameof(EmptyBenchmarks), $"empty method, sampled 1/{WorkloadBenchmarks.SampledRate}", "MaranSampled", ZeroAddedPath: null),
        new(nameof(Cpu250nsBenchmarks), "250 ns CPU", "Maran", ZeroAddedPath: "synchronous"),
        new(nameof(Cpu250nsBenchmarks), $"250 ns CPU, sampled 1/{WorkloadBenchmarks.SampledRate}", "MaranSampled", ZeroAddedPath: null),
        new(nameof(Cpu2usBenchmarks), "2 µs CPU", "Maran", ZeroAddedPath: "synchronous"),
        new(nameof(Cpu2usBenchmarks), $"2 µs CPU, sampled 1/{WorkloadBenchmarks.SampledRate}", "MaranSampled", ZeroAddedPath: null),
        new(nameof(Cpu100usBenchmarks), "100 µs CPU", "Maran", ZeroAddedPath: "synchronous"),
        new(nameof(UserFloatBenchmarks), "2 µs floating-point loop, as written", "Maran", ZeroAddedPath: "synchronous"),
        new(nameof(UserIntegerBenchmarks), "2 µs integer loop, as written", "Maran", ZeroAddedPath: "synchronous"),
        new(nameof(UserMemoryBenchmarks), "memory-bound pass, 256 KiB array", "Maran", ZeroAddedPath: "synchronous"),
        new(nameof(UserAllocatingBenchmarks), "allocating method", "Maran", ZeroAddedPath: null),
        new(nameof(UserCallsAnotherBenchmarks), "method that calls another", "Maran", ZeroAddedPath: "synchronous"),
        new(nameof(TaskCompletedBenchmarks), "Task<T>, completed synchronously", "Maran", ZeroAddedPath: "completed Task"),
        new(nameof(TaskYieldingBenchmarks), "Task<T>, yields", "Maran", ZeroAddedPath: null),
        new(nameof(ValueTaskCompletedBenchmarks), "ValueTask<T>, completed synchronously", "Maran", ZeroAddedPath: "ValueTask"),
        new(nameof(StreamBenchmarks), "IAsyncEnumerable<T>, 100 items", "Maran", ZeroAddedPath: "stream"),
        new(nameof(FailureBenchmarks), "throws, caller catches", "Maran", ZeroAddedPath: null),
        new(nameof(FailureBenchmarks), "throws, caller catches, error tracker on", "MaranTracked", ZeroAddedPath: null),
        new(nameof(ContentionBenchmarks), "empty method, 2 threads (per call)", "Maran", ZeroAddedPath: null),
    ];

    /// <summary>A line of the table.</summary>
    /// <param name="Suite">The benchmark class.</param>
    /// <param name="Workload">The workload, in words.</param>
    /// <param name="MaranMethod">The benchmark method of the monitored call.</param>
    /// <param name="ZeroAddedPath">The path this line proves allocation-free, or null when it is under no such budget.</param>
    public sealed record WorkloadLine(string Suite, string Workload, string MaranMethod, string? ZeroAddedPath);
}
