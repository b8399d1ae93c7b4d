using System.Collections;
using System.Diagnostics;
using System.Text.Json;
using Maran.Instrument.Configuration;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Export;
using Maran.Instrument.Logging;
using Maran.Instrument.Telemetry;
using Microsoft.Extensions.Logging;

namespace Maran.Instrument.Tests.Logging;

[Collection(RuntimeSwitches.Name)]
public class StructuredLoggingTests
{
    private static string? Text(JsonElement line, string property) =>
        line.TryGetProperty(property, out JsonElement value) ? value.ToString() : null;

    private static JsonElement Line(List<JsonElement> lines, string message) =>
        Assert.Single(lines, l => Text(l, "@m") == message);

    [Fact]
    public void An_event_logged_in_a_monitored_call_is_a_json_line_with_its_trace_span_operation_and_component()
    {
        using var test = new LoggingTestSystem(o => o.Monitoring.CallTree = true);
        test.Monitoring.Start();
        using var request = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
        using (test.Monitoring.Profiler.Operation("retrieve", "rag"))
        {
            test.Monitoring.Logger.Information("found {Count} passages", 3);
        }

        request.Stop();
        JsonElement line = Line(test.StopAndReadLines(), "found 3 passages");

        Assert.Equal(request.TraceId.ToHexString(), Text(line, "trace_id"));
        Assert.Equal(request.SpanId.ToHexString(), Text(line, "span_id"));
        Assert.Equal("retrieve", Text(line, "operation"));
        Assert.Equal("rag", Text(line, "component"));
        Assert.Equal("3", Text(line, "Count"));
        Assert.NotNull(Text(line, "@t"));
    }

    [Fact]
    public void Every_json_line_names_the_service_and_instance_that_wrote_it()
    {
        using var test = new LoggingTestSystem(o =>
        {
            o.Monitoring.Service = "support-agent";
            o.Monitoring.Instance = "replica-2";
            o.Monitoring.Environment = "staging";
        });
        test.Monitoring.Start();
        ServiceIdentity identity = test.Monitoring.Identity;
        test.Monitoring.Logger.Information("outside any call");

        JsonElement line = Line(test.StopAndReadLines(), "outside any call");

        Assert.Equal(identity.ServiceName, Text(line, "service_name"));
        Assert.Equal(identity.InstanceId, Text(line, "service_instance_id"));
        Assert.Equal(identity.Environment, Text(line, "deployment_environment"));
    }

    [Fact]
    public void With_tracing_on_and_no_call_tree_the_operation_comes_from_the_monitored_calls_span()
    {
        using var test = new LoggingTestSystem();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == MaranTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        test.Monitoring.Start();
        string? spanTrace;
        using (test.Monitoring.Profiler.Operation("rerank", "rag"))
        {
            spanTrace = Activity.Current?.TraceId.ToHexString();
            test.Monitoring.Logger.Information("reranked");
        }

        JsonElement line = Line(test.StopAndReadLines(), "reranked");

        Assert.NotNull(spanTrace);
        Assert.Equal(spanTrace, Text(line, "trace_id"));
        Assert.Equal("rerank", Text(line, "operation"));
        Assert.Equal("rag", Text(line, "component"));
    }

    [Fact]
    public void Levels_map_from_DEBUG_to_CRITICAL_and_the_configured_level_filters()
    {
        var environment = new Hashtable { ["MARAN_LOG_LEVEL"] = "WARNING" };
        MonitoringOptions loaded = MonitoringOptions.Load(path: null, environment);
        using var test = new LoggingTestSystem(o => o.Monitoring.LogLevel = loaded.Monitoring.LogLevel);
        test.Monitoring.Start();

        test.Monitoring.Logger.Information("routine");
        test.Monitoring.Logger.Warning("odd");
        test.Monitoring.Logger.Fatal("down");
        List<JsonElement> lines = test.StopAndReadLines();

        Assert.Equal(MonitoringLogLevel.Warning, loaded.Monitoring.LogLevel);
        Assert.DoesNotContain(lines, l => Text(l, "@m") == "routine");
        Assert.Equal("Warning", Text(Line(lines, "odd"), "@l"));
        Assert.Equal("Fatal", Text(Line(lines, "down"), "@l"));
        Assert.Equal(Serilog.Events.LogEventLevel.Fatal, SerilogLevels.ToSerilog(MonitoringLogLevel.Critical));
        Assert.Equal(Serilog.Events.LogEventLevel.Debug, SerilogLevels.ToSerilog(MonitoringLogLevel.Debug));
    }

    [Fact]
    public void An_apps_ILogger_events_get_the_same_enrichment_and_their_category()
    {
        using var test = new LoggingTestSystem(o => o.Monitoring.CallTree = true);
        test.Monitoring.Start();
        using (ILoggerFactory factory = LoggerFactory.Create(b => b.AddMaranLogging(test.Monitoring)))
        {
            ILogger logger = factory.CreateLogger("Agent.Planner");
            using (test.Monitoring.Profiler.Operation("plan", "agent"))
            {
                logger.LogWarning("plan has {Steps} steps", 4);
            }
        }

        JsonElement line = Line(test.StopAndReadLines(), "plan has 4 steps");

        Assert.Equal("plan", Text(line, "operation"));
        Assert.Equal("agent", Text(line, "component"));
        Assert.Equal("Agent.Planner", Text(line, "SourceContext"));
    }

    [Fact]
    public void Secrets_never_reach_the_log_file()
    {
        using var test = new LoggingTestSystem();
        test.Monitoring.Start();

        test.Monitoring.Logger.Information("calling the model with Authorization: Bearer sk-proj-abcdefghijklmnop1234567890");
        test.Monitoring.Logger.Information("configured {ApiKey} for {Provider}", "my-plain-secret", "openai");
        test.Monitoring.Logger.Error(new InvalidOperationException("rejected key AKIAIOSFODNN7EXAMPLE"), "upload failed");
        string text = test.StopAndReadText();

        Assert.DoesNotContain("sk-proj-abcdefghijklmnop", text, StringComparison.Ordinal);
        Assert.DoesNotContain("my-plain-secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIAIOSFODNN7EXAMPLE", text, StringComparison.Ordinal);
        Assert.Contains("upload failed", text, StringComparison.Ordinal);
        Assert.Contains(SecretRedactor.Mask, text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_monitorings_own_reports_go_to_the_log_while_it_runs()
    {
        using var test = new LoggingTestSystem();
        Action<string> before = MonitoringDiagnostics.Report;
        test.Monitoring.Start();

        MonitoringDiagnostics.Warn("[maran] the test queue is full");
        List<JsonElement> lines = test.StopAndReadLines();

        Assert.Equal("Warning", Text(Line(lines, "[maran] the test queue is full"), "@l"));
        Assert.Same(before, MonitoringDiagnostics.Report);
    }

    [Fact]
    public void A_report_sink_installed_before_start_keeps_receiving_reports_that_also_reach_the_log()
    {
        var received = new List<string>();
        Action<string> before = MonitoringDiagnostics.Report;
        MonitoringDiagnostics.Report = received.Add;
        try
        {
            using var test = new LoggingTestSystem();
            test.Monitoring.Start();

            MonitoringDiagnostics.Warn("[maran] the shared queue is full");
            List<JsonElement> lines = test.StopAndReadLines();

            Assert.Equal(["[maran] the shared queue is full"], received);
            Line(lines, "[maran] the shared queue is full");
        }
        finally
        {
            MonitoringDiagnostics.Report = before;
        }
    }

    [Fact]
    public void A_log_folder_that_cannot_be_written_is_reported_with_its_path_and_setting_and_logging_carries_on()
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
            string blocker = Path.Combine(Path.GetTempPath(), "maran-not-a-folder-" + Guid.NewGuid().ToString("N"));
            File.WriteAllText(blocker, "a file where the log folder should be");
            using var test = new LoggingTestSystem(o => o.Monitoring.LogsDirectory = Path.Combine(blocker, "logs"));
            test.Monitoring.Start();

            test.Monitoring.Logger.Information("still logged");

            Assert.True(test.Monitoring.IsRunning);
            Assert.Contains(test.Monitoring.Logs.Recent(10), e => e.Message == "still logged");
            Assert.True(MonitoringDiagnostics.Flush());
            lock (received)
            {
                string report = Assert.Single(received, r => r.Contains("log folder", StringComparison.Ordinal));
                Assert.Contains(Path.Combine(blocker, "logs"), report, StringComparison.Ordinal);
                Assert.Contains("MARAN_LOGS_DIR", report, StringComparison.Ordinal);
            }

            test.Monitoring.Stop();
            File.Delete(blocker);
        }
        finally
        {
            MonitoringDiagnostics.Report = before;
        }
    }

    [Fact]
    public void The_rolling_file_rolls_over_at_the_size_limit()
    {
        using var test = new LoggingTestSystem(o => o.Logging.FileSizeLimitMegabytes = 0.001);
        test.Monitoring.Start();

        for (int i = 0; i < 40; i++)
        {
            test.Monitoring.Logger.Information("line {Index} with some padding to fill the file", i);
        }

        test.Monitoring.Stop();
        Assert.True(Directory.GetFiles(Path.Combine(test.Folder, "logs"), "maran-*.jsonl").Length > 1);
    }

    [Fact]
    public void Invalid_logging_settings_are_configuration_errors_naming_their_keys()
    {
        var options = new MonitoringOptions();
        options.Logging.FileSizeLimitMegabytes = 0;
        options.Logging.RetainedDays = -1;
        options.Logging.RetainedFiles = 0;

        IReadOnlyList<ConfigurationError> errors = options.Validate();

        Assert.Equal(["logging.file_size_limit_mb", "logging.retained_days", "logging.retained_files"], errors.Select(e => e.Key));
    }
}
