using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>
/// 100,000 distinct operation names through the manual API (<c>profiler.Operation(name, component)</c>, one call
/// each), once with the default <c>monitoring.max_operations</c> (past it, names fold into <c>(other)</c>) and once
/// with the bound raised above the names, so every one becomes an operation. One invocation per iteration, with
/// names never seen before; after it, the managed heap and the working set it added (after a full collection) are
/// printed per registered operation: <c>// registry:</c> lines in the log. The names are alive in both readings, so the
/// figures are the registry's own. Run it with its own job, in process or not:
/// <c>-- --filter '*RegistryBenchmarks*' --inProcess --strategy ColdStart --iterationCount 3 --warmupCount 0</c>.
/// </summary>
[SimpleJob(RunStrategy.ColdStart, launchCount: 1, warmupCount: 0, iterationCount: 3)]
public class RegistryBenchmarks
{
    /// <summary>How many names each invocation registers.</summary>
    public const int Names = 100_000;

    private static int s_round;
    private readonly PerformanceProfiler _profiler = AdvancedMonitoringSystem.Default.Profiler;
    private string[] _names = [];
    private int _operationsBefore;
    private long _managedBefore;
    private long _workingSetBefore;
    private int _previousBound;

    /// <summary>The registry's bound: the default, and one above <see cref="Names"/>.</summary>
    [Params(OperationRegistry.DefaultMaxOperations, 1_000_000)]
    public int MaxOperations { get; set; }

    /// <summary>Applies the bound, as a starting monitoring system does.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _previousBound = OperationRegistry.MaxOperations;
        OperationRegistry.MaxOperations = MaxOperations;
    }

    /// <summary>Makes this iteration's fresh names and reads memory before it.</summary>
    [IterationSetup]
    public void MakeNames()
    {
        int round = Interlocked.Increment(ref s_round);
        _names = [.. Enumerable.Range(0, Names).Select(i => string.Create(CultureInfo.InvariantCulture, $"registry-{round}-{i}"))];
        (_managedBefore, _workingSetBefore) = Settled();
        _operationsBefore = OperationRegistry.Count;
    }

    /// <summary>One call of each of <see cref="Names"/> new names.</summary>
    [Benchmark]
    public int Register100000Names()
    {
        foreach (string name in _names)
        {
            using OperationHandle operation = _profiler.Operation(name, "registry");
        }

        return OperationRegistry.Count;
    }

    /// <summary>Prints what the iteration added to the heap and the working set, per operation created.</summary>
    [IterationCleanup]
    public void PrintMemory()
    {
        int created = OperationRegistry.Count - _operationsBefore;
        (long managed, long workingSet) = Settled();
        GC.KeepAlive(_names);
        _names = [];
        long managedAdded = managed - _managedBefore;
        long residentAdded = workingSet - _workingSetBefore;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// registry: max_operations {MaxOperations}: {Names:N0} names -> {created:N0} operations created ({OperationRegistry.Count:N0} in all); " +
            $"managed +{managedAdded / 1048576.0:F1} MB, working set +{residentAdded / 1048576.0:F1} MB, " +
            $"{(created > 0 ? managedAdded / created : 0):N0} managed bytes per operation created"));
    }

    /// <summary>Puts the bound back.</summary>
    [GlobalCleanup]
    public void Cleanup() => OperationRegistry.MaxOperations = _previousBound;

    private static (long Managed, long WorkingSet) Settled()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        long managed = GC.GetTotalMemory(forceFullCollection: true);
        return (managed, Environment.WorkingSet);
    }
}
