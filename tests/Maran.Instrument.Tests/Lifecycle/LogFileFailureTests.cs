using System.Runtime.Versioning;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Tests.Logging;
using Maran.Instrument.Tests.Storage;

namespace Maran.Instrument.Tests.Lifecycle;

[Collection(RuntimeSwitches.Name)]
[UnsupportedOSPlatform("windows")]
public class LogFileFailureTests
{
    [SkippableFact]
    public void A_log_file_on_a_full_disk_is_reported_once_while_the_program_runs_and_the_events_still_reach_the_log_store()
    {
        var received = new List<string>();
        Action<string> before = MonitoringDiagnostics.Report;
        MonitoringDiagnostics.Report = message =>
        {
            lock (received)
            {
                received.Add(message);
            }
        };
        try
        {
            using var test = new LoggingTestSystem();
            string logs = Path.Combine(test.Folder, "logs");
            using var disk = new SmallDisk(logs, megabytes: 8);
            disk.Fill(Path.Combine(logs, "filler"));
            string kind = MaranLogging.LogFileKind(Path.GetFullPath(logs));
            long failedBefore = MonitoringDiagnostics.InternalErrors.GetValueOrDefault(kind);
            test.Monitoring.Start();

            for (int i = 0; i < 20; i++)
            {
                test.Monitoring.Logger.Information("event {Number} on a full disk", i);
            }

            Assert.True(test.Monitoring.IsRunning);
            Assert.True(MonitoringDiagnostics.InternalErrors[kind] - failedBefore >= 20);
            Assert.Equal(20, test.Monitoring.Logs.Recent(100).Count(e => e.Message.EndsWith("on a full disk", StringComparison.Ordinal)));
            Assert.True(MonitoringDiagnostics.Flush());
            lock (received)
            {
                string report = Assert.Single(received, r => r.Contains(kind, StringComparison.Ordinal));
                Assert.Contains("IOException", report, StringComparison.Ordinal);
            }

            test.Monitoring.Stop();
        }
        finally
        {
            MonitoringDiagnostics.Report = before;
        }
    }
}
