using System.Runtime.CompilerServices;
using Maran.Instrument.Configuration;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Profiling;
using Maran.Instrument.Tests.Export;

namespace Maran.Instrument.Tests.Errors;

/// <summary>
/// <c>errors_total</c> is a count of failed calls, exact like the call counts: a full error queue drops the details
/// of an error (counted in <c>maran_dropped_total</c>), never its count.
/// </summary>
[Collection(TrackerCollection.Name)]
public class ExactErrorCountTests
{
    private const string Component = "exact_errors_agent";
    private const int Threads = 4;
    private const int CallsPerThread = 14_000;
    private static readonly OperationRecorder Lookup = OperationRegistry.GetOrAdd("lookup", Component, "Agent.Lookup(int)");

    [Fact]
    public async Task Errors_total_equals_the_failures_made_by_four_threads_while_the_error_queue_drops_details()
    {
        string folder = Path.Combine(Path.GetTempPath(), "maran-exact-" + Guid.NewGuid().ToString("N"));
        var options = new MonitoringOptions();
        options.Monitoring.DataDirectory = folder;
        options.Monitoring.MetricsPort = 0;
        options.Logging.Console = false;
        options.Logging.File = false;
        options.Errors.QueueCapacity = 1;
        try
        {
            using var system = new AdvancedMonitoringSystem(options);
            system.Start();
            long droppedBefore = MonitoringDiagnostics.Dropped.GetValueOrDefault("errors");
            long[] failures = new long[Threads];
            using var start = new Barrier(Threads);
            Thread[] threads = [.. Enumerable.Range(0, Threads).Select(t => new Thread(() =>
            {
                start.SignalAndWait();
                for (int i = 0; i < CallsPerThread; i++)
                {
                    try
                    {
                        CallLookup(i);
                    }
                    catch (KeyNotFoundException)
                    {
                        failures[t]++;
                    }
                }
            }))];
            Array.ForEach(threads, t => t.Start());
            Array.ForEach(threads, t => t.Join());

            // The loop counts the failures the queue took: waiting for it makes them visible, as a reader that needs its own writes does.
            await system.ErrorTracker.FlushAsync();
            Exposition scrape = await Exposition.ScrapeAsync(system.Prometheus.Registry);
            system.Stop();

            double errorsTotal = scrape.Samples.Where(s => s.Key.StartsWith("errors_total{", StringComparison.Ordinal) && s.Key.Contains($"component=\"{Component}\"", StringComparison.Ordinal)).Sum(s => s.Value);
            Assert.Equal(Threads * (CallsPerThread / 7), failures.Sum());
            Assert.Equal(failures.Sum(), errorsTotal);
            Assert.True(MonitoringDiagnostics.Dropped.GetValueOrDefault("errors") > droppedBefore, "the one-place queue dropped no detail: the test proved nothing");
            Assert.True(scrape.Value("maran_dropped_total{queue=\"errors\"}") > 0);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // The interceptor's shape, around a lookup that fails one call in seven.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string CallLookup(int id)
    {
        var scope = OperationScope.Start(Lookup);
        try
        {
            string result = id % 7 == 0 ? throw new KeyNotFoundException($"user {id} not found") : "found";
            scope.Complete();
            return result;
        }
        catch (Exception exception) when (scope.Fail(exception))
        {
            throw;
        }
        finally
        {
            scope.Detach();
        }
    }
}
