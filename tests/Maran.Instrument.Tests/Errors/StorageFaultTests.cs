using System.Diagnostics;
using System.Runtime.Versioning;
using Maran.Instrument.Configuration;
using Maran.Instrument.Errors;
using Maran.Instrument.Storage;
using Microsoft.Data.Sqlite;

namespace Maran.Instrument.Tests.Errors;

/// <summary>What the trackers leave behind when their process dies, and how they live with a database they cannot write (Unix: SIGKILL, mounts).</summary>
[Collection(TrackerCollection.Name)]
[UnsupportedOSPlatform("windows")]
public class StorageFaultTests
{
    [Fact]
    public async Task A_writer_killed_with_SIGKILL_mid_write_leaves_a_database_that_opens_passes_integrity_check_and_keeps_its_history()
    {
        using var harness = new TrackerHarness(now: DateTimeOffset.UtcNow);
        string writer = Path.Combine(AppContext.BaseDirectory, "Maran.Instrument.CrashWriter.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(writer);
        start.ArgumentList.Add(harness.Folder);

        long flushed = 0;
        var errors = new System.Text.StringBuilder();
        using (Process process = Process.Start(start)!)
        {
            process.ErrorDataReceived += (_, e) =>
            {
                lock (errors)
                {
                    errors.AppendLine(e.Data);
                }
            };
            process.BeginErrorReadLine();
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
                int batches = 0;
                while (batches < 3)
                {
                    string? line = await process.StandardOutput.ReadLineAsync(timeout.Token);
                    Assert.True(line is not null, "the writer exited early: " + errors);
                    if (line.StartsWith("flushed ", StringComparison.Ordinal))
                    {
                        flushed = long.Parse(line["flushed ".Length..], System.Globalization.CultureInfo.InvariantCulture);
                        batches++;
                    }
                }
            }
            finally
            {
                // Process.Kill sends SIGKILL on Unix: no handler, no flush, the next batch is cut wherever it is.
                process.Kill();
                await process.WaitForExitAsync();
            }

            Assert.Equal(137, process.ExitCode);
        }

        Assert.Equal("ok", IntegrityCheck(harness.DatabasePath));
        Assert.True(harness.Scalar("SELECT COUNT(*) FROM errors") >= flushed);
        Assert.True(harness.Scalar("SELECT COUNT(*) FROM cost_events") >= flushed);

        harness.Start();
        harness.Errors.Flush();
        ErrorAnalytics analytics = harness.Errors.GetErrorAnalytics();
        Assert.True(analytics.ByComponent["crash_writer"] >= flushed);
        harness.Errors.TrackError(new TimeoutException("after the crash"), component: "crash_writer");
        await harness.FlushAsync();
        Assert.Equal("ok", IntegrityCheck(harness.DatabasePath));
    }

    [SkippableFact]
    public async Task A_read_only_data_directory_leaves_the_program_running_on_memory_with_the_fault_reported()
    {
        string folder = Path.Combine(Path.GetTempPath(), "maran-readonly-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var options = new MonitoringOptions();
        options.Monitoring.DataDirectory = folder;
        options.Monitoring.MetricsPort = 0;
        options.Logging.Console = false;
        options.Logging.File = false;
        options.Storage.StopTimeout = TimeSpan.FromMilliseconds(500);
        try
        {
            using (var first = new AdvancedMonitoringSystem(options))
            {
                first.Start();
                first.ErrorTracker.TrackError(new TimeoutException("before the disk went read-only"), component: "readonly");
                await first.ErrorTracker.FlushAsync().WaitAsync(TrackerHarness.Patience);
            }

            SqliteConnection.ClearAllPools();
            using (new ReadOnlyFolder(folder))
            using (var system = new AdvancedMonitoringSystem(options))
            {
                system.Start();

                Assert.Throws<KeyNotFoundException>(() => Intercepted.CallLookup(77));
                system.ErrorTracker.TrackError(new TimeoutException("while the disk is read-only"), component: "readonly");
                Assert.Equal(0.00375m, system.CostTracker.RecordTokens("gpt-4o", 1000, 125, component: "readonly"));
                Task flushed = system.ErrorTracker.FlushAsync();
                await WaitUntil(() => system.Database.GetStatus().Fault is not null);

                // The first run's history is read from the read-only file; what happens now is counted in memory.
                system.ErrorTracker.Flush();
                ErrorAnalytics analytics = system.ErrorTracker.GetErrorAnalytics();
                Assert.Equal(2, analytics.ByComponent["readonly"]);
                Assert.Contains(analytics.ErrorRates, r => r.Operation == "lookup");
                system.CostTracker.Flush();
                Assert.Equal(0.00375m, system.CostTracker.GetCostSummary().ByComponent["readonly"]);
                StorageStatus status = system.Database.GetStatus();
                Assert.False(status.Available);
                Assert.Contains(folder, status.Fault, StringComparison.Ordinal);
                Assert.False(flushed.IsCompleted);
                Assert.NotNull(system.GetDashboardData());

                // Stop gives up on an unwritable database once its stop timeout has passed, counting what it could not write.
                system.Stop();
                Assert.True(system.Database.GetStatus().Lost > 0);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string IntegrityCheck(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TrackerHarness.Patience);
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
