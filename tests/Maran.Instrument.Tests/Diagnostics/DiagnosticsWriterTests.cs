using System.Collections.Concurrent;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Tests.Alerts;

namespace Maran.Instrument.Tests.Diagnostics;

/// <summary>Reports go through one bounded queue to one writer thread: the thread that warns never waits for the sink.</summary>
[Collection(DiagnosticsReport.Name)]
public sealed class DiagnosticsWriterTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_warning_thread_never_blocks_while_the_sink_is_blocked_and_what_the_full_queue_drops_is_counted()
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var written = new ConcurrentQueue<string>();
        Action<string> previous = MonitoringDiagnostics.Report;
        MonitoringDiagnostics.Report = message =>
        {
            entered.Set();
            release.Wait(Patience);
            written.Enqueue(message);
        };
        try
        {
            MonitoringDiagnostics.Warn("[maran] the report the sink holds on to");
            Assert.True(entered.Wait(Patience));
            long droppedBefore = MonitoringDiagnostics.Dropped.GetValueOrDefault(DiagnosticsWriter.QueueName);
            var warner = new Thread(() =>
            {
                for (int i = 0; i < DiagnosticsWriter.Capacity + 10; i++)
                {
                    MonitoringDiagnostics.Warn($"[maran] report {i} while the sink is blocked");
                }
            });

            warner.Start();
            bool returned = warner.Join(Patience);
            bool sinkStillBlocked = !release.IsSet && written.IsEmpty;
            long dropped = MonitoringDiagnostics.Dropped.GetValueOrDefault(DiagnosticsWriter.QueueName) - droppedBefore;
            release.Set();

            Assert.True(returned);
            Assert.True(sinkStillBlocked);
            Assert.True(dropped >= 10, $"{dropped} reports dropped");
            Assert.True(MonitoringDiagnostics.Flush(Patience));
            Assert.Contains("[maran] report 0 while the sink is blocked", written);
        }
        finally
        {
            release.Set();
            MonitoringDiagnostics.Report = previous;
        }
    }

    [Fact]
    public void Reports_made_before_the_sink_is_replaced_reach_the_sink_that_was_current_when_they_were_made()
    {
        var first = new ConcurrentQueue<string>();
        var second = new ConcurrentQueue<string>();
        Action<string> previous = MonitoringDiagnostics.Report;
        try
        {
            MonitoringDiagnostics.Report = first.Enqueue;
            MonitoringDiagnostics.Warn("[maran] made for the first sink");
            MonitoringDiagnostics.Report = second.Enqueue;
            MonitoringDiagnostics.Warn("[maran] made for the second sink");
            Assert.True(MonitoringDiagnostics.Flush(Patience));

            Assert.Equal(["[maran] made for the first sink"], first);
            Assert.Equal(["[maran] made for the second sink"], second);
        }
        finally
        {
            MonitoringDiagnostics.Report = previous;
        }
    }
}
