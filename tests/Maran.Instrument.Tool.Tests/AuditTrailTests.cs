using System.Text;
using System.Text.Json;
using Maran.Instrument.Audit;
using Maran.Instrument.Configuration;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Profiling;
using Microsoft.Extensions.Time.Testing;

namespace Maran.Instrument.Tool.Tests;

public class AuditTrailTests
{
    private static readonly string Unique = Guid.NewGuid().ToString("N")[..8];

    private static List<JsonElement> Records(string file) =>
        [.. File.ReadAllLines(file).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    private static string Type(JsonElement record) => record.GetProperty("type").GetString()!;

    private static string? Text(JsonElement record, string name) =>
        record.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task<SecurityTestSystem> RunAuditedAsync(string operation, Action<AdvancedMonitoringSystem>? work = null)
    {
        var test = new SecurityTestSystem(o => o.Production!.Security.AuditAllOperations = true);
        test.Monitoring.Start();
        using (test.Monitoring.Profiler.Operation(operation, "audit-tests"))
        {
        }

        work?.Invoke(test.Monitoring);
        await test.Monitoring.Audit.FlushAsync();
        test.Monitoring.Stop();
        return test;
    }

    [Fact]
    public async Task A_run_writes_start_calls_failures_model_calls_dashboard_events_and_stop_that_maran_audit_verify_finds_intact()
    {
        string operation = "answer-" + Unique;
        using SecurityTestSystem test = await RunAuditedAsync(operation, monitoring =>
        {
            OperationToken failing = monitoring.Profiler.StartOperation("fail-" + Unique, "audit-tests");
            monitoring.Profiler.EndOperation(failing, OperationStatus.Error, new InvalidOperationException("the secret argument"));
            monitoring.CostTracker.RecordTokens("gpt-4o-mini", input: 1200, output: 300, component: "audit-tests", operation: operation);
            monitoring.CostTracker.FlushAsync().GetAwaiter().GetResult();
            monitoring.Audit.RecordAuthenticationFailure("192.0.2.7", "GET /api/overview", "invalid");
            monitoring.Audit.RecordDashboardWrite("ops", "POST /api/alerts/silences", "silence alertname=HighCpu", 201, "192.0.2.8");
        });

        string file = Assert.Single(test.AuditFiles);
        List<JsonElement> records = Records(file);
        ToolRun verified = SecurityTestSystem.RunTool(null, "audit", "verify", file);

        Assert.Equal("start", Type(records[0]));
        Assert.Equal(64, Text(records[0], "config_sha256")!.Length);
        Assert.Equal("stop", Type(records[^1]));
        JsonElement call = Assert.Single(records, r => Type(r) == "call" && Text(r, "operation") == operation);
        Assert.Equal("success", Text(call, "outcome"));
        Assert.Equal("operation", Text(call, "kind"));
        Assert.True(call.GetProperty("duration_ms").GetDouble() >= 0);
        JsonElement failure = Assert.Single(records, r => Type(r) == "call" && Text(r, "operation") == "fail-" + Unique);
        Assert.Equal("error", Text(failure, "outcome"));
        Assert.Equal(typeof(InvalidOperationException).FullName, Text(failure, "error_type"));
        JsonElement model = Assert.Single(records, r => Type(r) == "model" && Text(r, "operation") == operation);
        Assert.Equal("gpt-4o-mini", Text(model, "model"));
        Assert.Equal(1200, model.GetProperty("input_tokens").GetInt64());
        Assert.Equal(300, model.GetProperty("output_tokens").GetInt64());
        Assert.True(model.GetProperty("cost_usd").GetDecimal() > 0);
        JsonElement refused = Assert.Single(records, r => Type(r) == "auth_failure");
        Assert.Equal("invalid", Text(refused, "reason"));
        Assert.Equal("GET /api/overview", Text(refused, "route"));
        JsonElement write = Assert.Single(records, r => Type(r) == "dashboard_write");
        Assert.Equal("ops", Text(write, "token"));
        Assert.Equal("silence alertname=HighCpu", Text(write, "change"));
        Assert.DoesNotContain("the secret argument", File.ReadAllText(file), StringComparison.Ordinal);
        Assert.Equal(0, verified.ExitCode);
        Assert.Contains($"intact: {records.Count} records", verified.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("edit")]
    [InlineData("delete")]
    [InlineData("reorder")]
    public async Task Editing_deleting_or_reordering_a_line_is_detected_and_the_line_named(string tampering)
    {
        using SecurityTestSystem test = await RunAuditedAsync("tamper-" + Unique, monitoring =>
        {
            for (int i = 0; i < 5; i++)
            {
                monitoring.Audit.RecordAuthenticationFailure("192.0.2." + i, "GET /", "invalid");
            }
        });
        string file = Assert.Single(test.AuditFiles);
        List<string> lines = [.. File.ReadAllLines(file)];
        int target = 2;
        switch (tampering)
        {
            case "edit":
                lines[target] = lines[target].Replace("192.0.2.", "198.51.100.", StringComparison.Ordinal);
                break;
            case "delete":
                lines.RemoveAt(target);
                break;
            default:
                (lines[target], lines[target + 1]) = (lines[target + 1], lines[target]);
                break;
        }

        File.WriteAllText(file, string.Join('\n', lines) + "\n");
        ToolRun verified = SecurityTestSystem.RunTool(null, "audit", "verify", file);

        // Lines are numbered from 1: the line after the edit, the one now in the deleted line's place, the moved one.
        string named = tampering == "edit" ? $"line {target + 2}" : $"line {target + 1}";
        Assert.Equal(1, verified.ExitCode);
        Assert.Contains($"{Path.GetFileName(file)} {named}:", verified.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_utc_day_starts_a_new_file_whose_first_line_links_to_the_last_line_of_the_day_before()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 23, 59, 0, TimeSpan.Zero));
        using var test = new SecurityTestSystem(o => o.Production!.Security.AuditAllOperations = true, time);
        test.Monitoring.Start();
        test.Monitoring.Audit.RecordAuthenticationFailure("192.0.2.1", "GET /", "invalid");
        await test.Monitoring.Audit.FlushAsync();
        time.Advance(TimeSpan.FromMinutes(2));
        test.Monitoring.Audit.RecordAuthenticationFailure("192.0.2.2", "GET /", "invalid");
        test.Monitoring.Stop();

        string[] files = test.AuditFiles;
        string lastOfFirstDay = File.ReadAllLines(files[0]).Last();
        JsonElement firstOfSecondDay = Records(files[1])[0];
        ToolRun both = SecurityTestSystem.RunTool(null, ["audit", "verify", .. files]);
        ToolRun secondAlone = SecurityTestSystem.RunTool(null, "audit", "verify", files[1]);
        ToolRun secondContinuing = SecurityTestSystem.RunTool(null, "audit", "verify", "--continues", files[1]);

        Assert.Equal(["audit-20260301.jsonl", "audit-20260302.jsonl"], files.Select(Path.GetFileName));
        Assert.Equal(AuditChain.Hash(Encoding.UTF8.GetBytes(lastOfFirstDay)), Text(firstOfSecondDay, "prev"));
        Assert.Equal(0, both.ExitCode);
        Assert.Equal(1, secondAlone.ExitCode);
        Assert.Contains("not 0", secondAlone.Error, StringComparison.Ordinal);
        Assert.Equal(0, secondContinuing.ExitCode);
    }

    [Fact]
    public async Task A_restarted_system_continues_the_chain_in_the_same_file()
    {
        using var test = new SecurityTestSystem(o => o.Production!.Security.AuditAllOperations = true);
        test.Monitoring.Start();
        test.Monitoring.Stop();
        test.Monitoring.Start();
        await test.Monitoring.Audit.FlushAsync();
        test.Monitoring.Stop();

        string file = Assert.Single(test.AuditFiles);
        ToolRun verified = SecurityTestSystem.RunTool(null, "audit", "verify", file);

        Assert.Equal(2, Records(file).Count(r => Type(r) == "start"));
        Assert.Equal(0, verified.ExitCode);
    }

    [Fact]
    public void Records_a_full_queue_cannot_take_are_written_into_the_chain_as_a_gap_and_counted()
    {
        using var test = new SecurityTestSystem(o =>
        {
            o.Production!.Security.AuditAllOperations = true;
            o.Production!.Security.AuditQueueCapacity = 4;
        });
        long droppedBefore = MonitoringDiagnostics.Dropped.GetValueOrDefault(AuditTrail.QueueName);
        test.Monitoring.Start();
        for (int i = 0; i < 1000; i++)
        {
            test.Monitoring.Audit.RecordAuthenticationFailure("192.0.2.1", "GET /api/overview", "invalid " + i);
        }

        test.Monitoring.Stop();

        string file = Assert.Single(test.AuditFiles);
        List<JsonElement> records = Records(file);
        long kept = records.Count(r => Type(r) == "auth_failure");
        long gaps = records.Where(r => Type(r) == "gap" && Text(r, "reason") == "queue_full").Sum(r => r.GetProperty("dropped").GetInt64());
        ToolRun verified = SecurityTestSystem.RunTool(null, "audit", "verify", file);

        Assert.True(gaps > 0);
        Assert.Equal(1000, kept + gaps);
        Assert.True(MonitoringDiagnostics.Dropped[AuditTrail.QueueName] - droppedBefore >= gaps);
        Assert.Equal(0, verified.ExitCode);
    }

    [Fact]
    public async Task Six_hundred_calls_a_second_for_ten_seconds_from_four_threads_are_all_in_the_chain_with_no_gap()
    {
        // Each simulated second, every thread makes its 150 calls in a tight loop and the clock moves on: the trail
        // must keep up with bursts far faster than 600 a second, with no help from the scheduler.
        const int Seconds = 10, Threads = 4, PerThreadAndSecond = 150;
        string operation = "steady-" + Unique;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        using var test = new SecurityTestSystem(o => o.Production!.Security.AuditAllOperations = true, time);
        test.Monitoring.Start();
        for (int second = 0; second < Seconds; second++)
        {
            Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, _ =>
            {
                for (int i = 0; i < PerThreadAndSecond; i++)
                {
                    using (test.Monitoring.Profiler.Operation(operation, "audit-tests"))
                    {
                    }
                }
            });
            time.Advance(TimeSpan.FromSeconds(1));
        }

        await test.Monitoring.Audit.FlushAsync();
        test.Monitoring.Stop();

        string file = Assert.Single(test.AuditFiles);
        List<JsonElement> records = Records(file);
        ToolRun verified = SecurityTestSystem.RunTool(null, "audit", "verify", file);

        Assert.Equal(Seconds * Threads * PerThreadAndSecond, records.Count(r => Type(r) == "call" && Text(r, "operation") == operation));
        Assert.DoesNotContain(records, r => Type(r) == "gap");
        Assert.Equal(0, verified.ExitCode);
    }

    [Fact]
    public async Task A_tight_loop_far_longer_than_the_recent_call_ring_is_audited_call_by_call()
    {
        string operation = "busy-" + Unique;
        using SecurityTestSystem test = await RunAuditedAsync("warmup-" + Unique, monitoring =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                using (monitoring.Profiler.Operation(operation, "audit-tests"))
                {
                }
            }
        });

        List<JsonElement> records = Records(Assert.Single(test.AuditFiles));

        Assert.Equal(10_000, records.Count(r => Type(r) == "call" && Text(r, "operation") == operation));
        Assert.DoesNotContain(records, r => Type(r) == "gap");
    }

    [Fact]
    public void With_every_operation_audited_a_sampling_rate_above_one_still_times_and_audits_every_call()
    {
        string operation = "sampled-" + Unique;
        using var test = new SecurityTestSystem(o =>
        {
            o.Production!.Security.AuditAllOperations = true;
            o.Monitoring.Sampling.Rate = 16;
        });
        test.Monitoring.Start();
        for (int i = 0; i < 1_000; i++)
        {
            using (test.Monitoring.Profiler.Operation(operation, "audit-tests"))
            {
            }
        }

        test.Monitoring.Stop();

        List<JsonElement> records = Records(Assert.Single(test.AuditFiles));
        Assert.Equal(1_000, records.Count(r => Type(r) == "call" && Text(r, "operation") == operation));
        Assert.DoesNotContain(records, r => Type(r) == "gap");
    }

    [Fact]
    public void Calls_a_tiny_queue_cannot_take_are_gaps_that_with_the_calls_written_account_for_every_call()
    {
        const int Calls = 5_000;
        string operation = "tiny-" + Unique;
        using var test = new SecurityTestSystem(o =>
        {
            o.Production!.Security.AuditAllOperations = true;
            o.Production!.Security.AuditQueueCapacity = 4;
        });
        test.Monitoring.Start();
        for (int i = 0; i < Calls; i++)
        {
            using (test.Monitoring.Profiler.Operation(operation, "audit-tests"))
            {
            }
        }

        test.Monitoring.Stop();

        string file = Assert.Single(test.AuditFiles);
        List<JsonElement> records = Records(file);
        long written = records.Count(r => Type(r) == "call" && Text(r, "operation") == operation);
        long gaps = records.Where(r => Type(r) == "gap").Sum(r => r.GetProperty("dropped").GetInt64());
        ToolRun verified = SecurityTestSystem.RunTool(null, "audit", "verify", file);

        Assert.True(gaps > 0, $"{written} of {Calls} calls written and no gap: the queue was never full");
        Assert.Equal(Calls, written + gaps);
        Assert.All(records.Where(r => Type(r) == "gap"), r => Assert.Equal("queue_full", Text(r, "reason")));
        Assert.Equal(0, verified.ExitCode);
    }

    [Fact]
    public void Calls_racing_the_trails_start_are_written_call_by_call_from_the_moment_it_returns_with_no_gap()
    {
        const int Threads = 2, AfterStart = 3_000;
        string operation = "racing-start-" + Unique;
        using var test = new SecurityTestSystem(o => o.Production!.Security.AuditAllOperations = true);
        using var calling = new CountdownEvent(Threads);
        using var started = new ManualResetEventSlim();
        long total = 0;
        Thread[] threads = [.. Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            // Every thread is in a tight loop of calls, its ring filling and lapping, while the trail starts.
            long made = 0, afterStart = 0;
            while (afterStart < AfterStart)
            {
                bool seen = started.IsSet;
                using (test.Monitoring.Profiler.Operation(operation, "audit-tests"))
                {
                }

                afterStart += seen ? 1 : 0;
                if (++made == RecorderCell.RingSize * 4)
                {
                    calling.Signal();
                }
            }

            Interlocked.Add(ref total, made);
        }))];
        Array.ForEach(threads, t => t.Start());
        calling.Wait();
        test.Monitoring.Audit.Start();
        started.Set();
        Array.ForEach(threads, t => t.Join());
        test.Monitoring.Audit.Stop();

        string file = Assert.Single(test.AuditFiles);
        List<JsonElement> records = Records(file);
        long written = records.Count(r => Type(r) == "call" && Text(r, "operation") == operation);
        ToolRun verified = SecurityTestSystem.RunTool(null, "audit", "verify", file);

        Assert.DoesNotContain(records, r => Type(r) == "gap");
        Assert.InRange(written, Threads * AfterStart, total);
        Assert.Equal(0, verified.ExitCode);
    }

    [Fact]
    public void Every_call_that_ended_before_the_trails_stop_began_is_written_while_calls_race_the_stop_with_no_gap()
    {
        const int Threads = 2, BeforeStop = 3_000, DuringStop = 20_000;
        string operation = "racing-stop-" + Unique;
        using var test = new SecurityTestSystem(o => o.Production!.Security.AuditAllOperations = true);
        using var calling = new CountdownEvent(Threads);
        using var stopping = new ManualResetEventSlim();
        long total = 0, endedBeforeStop = 0;
        test.Monitoring.Audit.Start();
        Thread[] threads = [.. Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            // Each thread keeps calling, unthrottled, through the stop: its rings fill while the trail closes.
            long before = 0;
            for (int i = 0; i < BeforeStop + DuringStop; i++)
            {
                using (test.Monitoring.Profiler.Operation(operation, "audit-tests"))
                {
                }

                before += stopping.IsSet ? 0 : 1;
                if (i == BeforeStop - 1)
                {
                    calling.Signal();
                }
            }

            Interlocked.Add(ref total, BeforeStop + DuringStop);
            Interlocked.Add(ref endedBeforeStop, before);
        }))];
        Array.ForEach(threads, t => t.Start());
        calling.Wait();
        stopping.Set();
        test.Monitoring.Audit.Stop();
        Array.ForEach(threads, t => t.Join());

        string file = Assert.Single(test.AuditFiles);
        List<JsonElement> records = Records(file);
        long written = records.Count(r => Type(r) == "call" && Text(r, "operation") == operation);
        ToolRun verified = SecurityTestSystem.RunTool(null, "audit", "verify", file);

        Assert.DoesNotContain(records, r => Type(r) == "gap");
        Assert.InRange(written, endedBeforeStop, total);
        Assert.Equal("stop", Type(records[^1]));
        Assert.Equal(0, verified.ExitCode);
    }

    [Fact]
    public void Claiming_a_ring_copies_its_untaken_successful_calls_oldest_first_and_counts_those_lapped_before_it()
    {
        var cell = new RecorderCell(OperationRegistry.GetOrAdd("claim-" + Unique, "audit-tests"), Thread.CurrentThread);
        const int Written = RecorderCell.RingSize + 8;
        for (int i = 0; i < Written; i++)
        {
            OperationStatus status = i == 10 ? OperationStatus.Error : OperationStatus.Success;
            cell.Ring[i & (RecorderCell.RingSize - 1)] = new RecentCallSlot { Timestamp = 1000 + i, Packed = RecentCallSlot.Pack(i, status) };
            cell.RingHead++;
        }

        var calls = new RecentCallSlot[RecorderCell.RingSize];
        int taken = CallRingReader.Claim(cell, calls, out long lost);
        int again = CallRingReader.Claim(cell, calls, out long lostAgain);

        // The first 8 were overwritten by the last 8; of the 32 left, the failed one is the failure path's to audit.
        Assert.Equal(8, lost);
        Assert.Equal(RecorderCell.RingSize - 1, taken);
        Assert.Equal(Enumerable.Range(8, Written - 8).Where(i => i != 10).Select(i => 1000L + i), calls.Take(taken).Select(c => c.Timestamp));
        Assert.Equal(Enumerable.Range(8, Written - 8).Where(i => i != 10).Select(i => (long)i), calls.Take(taken).Select(c => RecentCallSlot.Elapsed(c.Packed)));
        Assert.Equal(0, again);
        Assert.Equal(0, lostAgain);
    }

    [Fact]
    public void Start_fails_naming_the_audit_folder_when_it_cannot_be_written()
    {
        using var test = new SecurityTestSystem(o => o.Production!.Security.AuditAllOperations = true);
        string blocker = Path.Combine(test.Folder, "blocker");
        File.WriteAllText(blocker, "a file where the folder should be");
        test.Options.Production!.Security.AuditDirectory = Path.Combine(blocker, "audit");

        var failure = Assert.Throws<MonitoringConfigurationException>(test.Monitoring.Start);

        Assert.Contains("production.security.audit_directory", failure.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be written", failure.Message, StringComparison.Ordinal);
        Assert.False(test.Monitoring.IsRunning);
    }
}
