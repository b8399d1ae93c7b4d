using System.Reflection;
using BenchmarkDotNet.Attributes;
using Maran.Instrument.Benchmarks.Suites;

namespace Maran.Instrument.Benchmarks.Tests;

/// <summary>The benchmark classes of the suite, found the way BenchmarkDotNet finds them.</summary>
internal static class Suites
{
    private static readonly Type[] s_benchmarkClasses =
    [
        .. typeof(WorkloadBenchmarks).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsPublic: true } && t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            .OrderBy(t => t.Name, StringComparer.Ordinal),
    ];

    /// <summary>The workload suites: one workload measured every way, read by the overhead report.</summary>
    public static IReadOnlyList<Type> All { get; } = [.. s_benchmarkClasses.Where(typeof(WorkloadBenchmarks).IsAssignableFrom)];

    /// <summary>The benchmarks that are not workload suites (one-shot measurements such as the registry's).</summary>
    public static IReadOnlyList<Type> Others { get; } = [.. s_benchmarkClasses.Where(t => !typeof(WorkloadBenchmarks).IsAssignableFrom(t))];

    public static IEnumerable<MethodInfo> Benchmarks(Type suite) =>
        suite.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null);

    /// <summary>Calls of the suite's monitored operation started so far: ended ones and those still in flight.</summary>
    public static long CallsOf(WorkloadBenchmarks suite) =>
        AdvancedMonitoringSystem.Default.Profiler.GetOperationSummary(suite.Workload, Workloads.Workload.Component) is { } summary
            ? summary.Count + summary.InFlight
            : 0;

    /// <summary>Runs one benchmark method once the way BenchmarkDotNet would: awaiting what it returns.</summary>
    public static void Invoke(object suite, MethodInfo benchmark)
    {
        object? result = benchmark.Invoke(suite, null);
        switch (result)
        {
            case Task task:
                task.GetAwaiter().GetResult();
                break;
            case ValueTask<int> valueTask:
                valueTask.AsTask().GetAwaiter().GetResult();
                break;
        }
    }
}
