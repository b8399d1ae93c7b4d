using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Maran.Instrument.Configuration;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>
/// The calling thread's cost of <c>production.security.audit_all_operations</c>: a thread records calls into its
/// recent-call ring, and every 32nd call hands the full ring to the audit trail. Each invocation is one ring's worth
/// of calls, so the figure per operation is one call with its share of the hand-off; <see cref="Audit"/> false is the
/// same ring with no listener, the cost of the call alone.
/// </summary>
/// <remarks>
/// Every iteration first waits until the trail has written what the last one handed over, and one iteration hands
/// over fewer calls than the queue holds, so no call is dropped: the figure is the cost of a hand-off that is taken,
/// never of a refusal.
/// </remarks>
[InvocationCount(InvocationsPerIteration)]
public class AuditHandOffBenchmarks
{
    private const int InvocationsPerIteration = 1024;
    private const int Calls = RecorderCell.RingSize;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "maran-audit-bench-" + Guid.NewGuid().ToString("N"));
    private AdvancedMonitoringSystem? _monitoring;
    private RecorderCell? _cell;

    /// <summary>Whether the audit trail is on (the ring is handed over when full) or off (it is only folded).</summary>
    [Params(false, true)]
    public bool Audit { get; set; }

    /// <summary>Starts a monitoring system writing its audit trail into a folder of its own.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var options = new MonitoringOptions();
        options.Monitoring.MetricsPort = 0;
        options.Monitoring.LogsDirectory = Path.Combine(_folder, "logs");
        options.Monitoring.DataDirectory = Path.Combine(_folder, "data");
        options.Logging.Console = false;
        options.Storage.Enabled = false;
        options.Production = new ProductionSettings();
        options.Production.Security.AuditAllOperations = Audit;
        options.Production.Security.AuditDirectory = Path.Combine(_folder, "audit");
        options.Production.Security.AuditQueueCapacity = InvocationsPerIteration * Calls * 2;
        _monitoring = new AdvancedMonitoringSystem(options) { StopOnProcessExit = false };
        _monitoring.Start();
        _cell = OperationRegistry.GetOrAdd("audit_hand_off", "benchmarks").ThreadCell;
    }

    /// <summary>Waits until the trail wrote everything the last iteration handed over.</summary>
    [IterationSetup]
    public void Drain() => _monitoring!.Audit.FlushAsync().GetAwaiter().GetResult();

    /// <summary>One ring of successful calls on this thread; the last one fills the ring.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public void RingOfCalls()
    {
        RecorderCell cell = _cell!;
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < Calls; i++)
        {
            cell.RecordTimed(start + i, 100, OperationStatus.Success);
        }
    }

    /// <summary>Stops the system and removes its folder.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _monitoring?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
