using Maran.Instrument.Configuration;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Tests.Profiling;

/// <summary>
/// The process-wide registry: registration that stays cheap as it grows, views readers take without a lock, and the
/// bound on names made up at run time. Tests that lower the bound run alone (the registry is shared by every test).
/// </summary>
[Collection(RuntimeSwitches.Name)]
public class OperationRegistryTests
{
    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public void Names_past_the_bound_are_folded_into_their_components_other_operation_and_each_is_counted_once()
    {
        string component = Unique("fold");
        PerformanceProfiler profiler = AdvancedMonitoringSystem.Default.Profiler;
        using (Bound(OperationRegistry.CreatedByName + 2))
        {
            long foldedBefore = OperationRegistry.FoldedNames;
            long droppedBefore = MonitoringDiagnostics.Dropped.GetValueOrDefault(OperationRegistry.FoldedQueue);
            for (int round = 0; round < 2; round++)
            {
                foreach (string name in (string[])["a", "b", "c", "d", "e"])
                {
                    using OperationHandle call = profiler.Operation(name, component);
                }
            }

            OperationRecorder? overflow = OperationRegistry.Find(OperationRegistry.OverflowName, component);
            Assert.NotNull(OperationRegistry.Find("a", component));
            Assert.NotNull(OperationRegistry.Find("b", component));
            Assert.Null(OperationRegistry.Find("c", component));
            Assert.NotNull(overflow);
            Assert.Equal(6, overflow.Snapshot().Succeeded);
            Assert.Equal(3, OperationRegistry.FoldedNames - foldedBefore);
            Assert.Equal(3, MonitoringDiagnostics.Dropped[OperationRegistry.FoldedQueue] - droppedBefore);
        }
    }

    [Fact]
    public void Past_the_bound_a_name_of_an_unknown_component_is_folded_into_the_shared_other_operation()
    {
        string component = Unique("unknown");
        OperationRegistry.GetOrAddByName("filler", Unique("filler"));
        using (Bound(OperationRegistry.CreatedByName))
        {
            OperationToken token = AdvancedMonitoringSystem.Default.Profiler.StartOperation("step", component);
            AdvancedMonitoringSystem.Default.Profiler.EndOperation(token);

            Assert.Null(OperationRegistry.Find("step", component));
            Assert.Null(OperationRegistry.Find(OperationRegistry.OverflowName, component));
            Assert.Same(OperationRegistry.Find(OperationRegistry.OverflowName, OperationRegistry.OverflowName), token.Operation);
        }
    }

    [Fact]
    public void Operations_of_the_source_code_are_admitted_past_the_bound()
    {
        string component = Unique("generated");
        OperationRegistry.GetOrAddByName("filler", Unique("filler"));
        using (Bound(OperationRegistry.CreatedByName))
        {
            OperationRecorder recorder = OperationRegistry.GetOrAdd("answer", component, "Agent.Answer(string)");

            Assert.Equal("answer", recorder.Name);
            Assert.Same(recorder, OperationRegistry.Find("answer", component));
            Assert.Same(recorder, AdvancedMonitoringSystem.Default.Profiler.StartOperation("answer", component).Operation);
        }
    }

    [Fact]
    public void Operations_of_the_source_code_leave_the_manual_APIs_room_untouched()
    {
        string component = Unique("room");
        using (Bound(OperationRegistry.CreatedByName + 1))
        {
            for (int i = 0; i < 20; i++)
            {
                OperationRegistry.GetOrAdd($"generated-{i}", component);
            }

            OperationToken token = AdvancedMonitoringSystem.Default.Profiler.StartOperation("by-name", component);
            AdvancedMonitoringSystem.Default.Profiler.EndOperation(token);

            Assert.Equal("by-name", token.Operation!.Name);
        }
    }

    [Fact]
    public void Names_registered_from_many_threads_are_each_registered_once_and_readers_never_see_a_gap()
    {
        string component = Unique("many");
        int first = OperationRegistry.Count;
        using var done = new CancellationTokenSource();
        Task reader = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                IReadOnlyList<OperationRecorder> all = OperationRegistry.All;
                for (int i = 0; i < all.Count; i++)
                {
                    Assert.Equal(i, all[i].Id);
                }
            }
        });

        OperationRecorder[][] registered = new OperationRecorder[4][];
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, t =>
            registered[t] = [.. Enumerable.Range(0, 1_000).Select(i => OperationRegistry.GetOrAdd($"op-{i % 500}-{t % 2}", component))]);
        done.Cancel();
        reader.GetAwaiter().GetResult();

        Assert.Equal(1_000, OperationRegistry.All.Count(r => r.Component == component));
        Assert.Equal(registered[0], registered[2]);
        Assert.Equal(registered[1], registered[3]);
        Assert.All(OperationRegistry.All.Skip(first).Where(r => r.Component == component), r => Assert.Same(r, OperationRegistry.ById(r.Id)));
        Assert.Equal(OperationRegistry.Count, OperationRegistry.All.Count());
    }

    [Fact]
    public void The_bound_is_applied_when_a_monitoring_system_starts_and_validated()
    {
        var options = new MonitoringOptions();
        options.Monitoring.MetricsPort = 0;
        options.Monitoring.MaxOperations = 20_000;
        options.Logging.Console = false;
        options.Logging.File = false;
        options.Storage.Enabled = false;
        using (Bound(OperationRegistry.DefaultMaxOperations))
        using (var system = new AdvancedMonitoringSystem(options))
        {
            system.Start();
            Assert.Equal(20_000, OperationRegistry.MaxOperations);
            system.Stop();
        }

        var invalid = new MonitoringOptions();
        invalid.Monitoring.MaxOperations = 8;
        ConfigurationError error = Assert.Single(invalid.Validate());
        Assert.Equal("monitoring.max_operations", error.Key);
    }

    private static Restore Bound(int max)
    {
        var restore = new Restore(OperationRegistry.MaxOperations);
        OperationRegistry.MaxOperations = max;
        return restore;
    }

    private sealed class Restore(int previous) : IDisposable
    {
        public void Dispose() => OperationRegistry.MaxOperations = previous;
    }
}
