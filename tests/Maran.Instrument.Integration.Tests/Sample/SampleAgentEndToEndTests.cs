using System.Diagnostics;
using Maran.Agent;
using Maran.Instrument.Configuration;
using Maran.Instrument.Costs;
using Maran.Instrument.Errors;
using Maran.Instrument.Profiling;
using Maran.Instrument.Telemetry;
using Microsoft.Data.Sqlite;

namespace Maran.Instrument.Integration.Tests.Sample;

/// <summary>
/// Runs the sample agent in-process, with the sample's own monitoring_config.yaml, for a bounded number of
/// queries, then checks what a user would: the stages in the profiler, errors grouped by category, costs that add
/// up, logs with trace ids, the seed's metric names on /metrics, and everything in the database after stop.
/// </summary>
/// <summary>
/// One run of the sample agent, in-process, with the sample's own monitoring_config.yaml, for a bounded number of
/// queries; the tests then read what a user would check.
/// </summary>
public sealed class SampleRun : IAsyncLifetime
{
    public const int Queries = 45;
    private readonly string _folder = Directory.CreateTempSubdirectory("maran-sample-").FullName;
    private readonly ActivityListener _tracing = new()
    {
        ShouldListenTo = source => source.Name == MaranTelemetry.SourceName,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    public AdvancedMonitoringSystem System { get; private set; } = null!;

    public Workload.Result Result { get; private set; } = null!;

    public string Metrics { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        MonitoringOptions options = MonitoringOptions.Load(Path.Combine(RepositoryPaths.Root, "samples", "Maran.Agent", MonitoringOptions.DefaultFileName), new System.Collections.Hashtable());
        options.Monitoring.DataDirectory = Path.Combine(_folder, "data");
        options.Monitoring.LogsDirectory = Path.Combine(_folder, "logs");
        options.Monitoring.MetricsPort = 0;
        options.Monitoring.HealthCheckInterval = 1;
        options.Alerts.Channels.Console.Enabled = false;
        ActivitySource.AddActivityListener(_tracing);

        System = new AdvancedMonitoringSystem(options);
        System.Start();
        using MonitoredMaranSystem agent = await MonitoredMaranSystem.CreateAsync(System, new AgentOptions { ErrorRate = 0.3, TokenLatency = TimeSpan.Zero });
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        Result = await Workload.RunAsync(agent, Queries, rate: 200, TextWriter.Null, timeout.Token);
        System.HealthMonitor.CheckNow();

        using var http = new HttpClient();
        Metrics = await http.GetStringAsync(System.Prometheus.EndpointUrl!);
        System.Stop();
    }

    public Task DisposeAsync()
    {
        _tracing.Dispose();
        System.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>What a user checks after running the sample: stages, errors, costs, logs, metrics, the database.</summary>
[Collection(SampleCollection.Name)]
public sealed class SampleAgentEndToEndTests(SampleRun run) : IClassFixture<SampleRun>
{
    private const int Queries = SampleRun.Queries;
    private readonly AdvancedMonitoringSystem _system = run.System;
    private readonly Workload.Result _result = run.Result;
    private readonly string _metrics = run.Metrics;

    [Fact]
    public void The_profiler_lists_every_stage_of_the_agent_with_its_calls()
    {
        PerformanceSummary summary = _system.Profiler.GetPerformanceSummary();

        Assert.Equal(Queries, _result.Answered + _result.Failed);
        Assert.Equal(Queries, summary["process_query", "agent"]!.Count);
        foreach ((string name, string component) in new[] { ("tokenize", "tokenizer"), ("retrieve", "rag"), ("rerank", "rag"), ("embed", "rag"), ("tool_call", "tools") })
        {
            Assert.True(summary[name, component]!.Count >= Queries, $"{component}/{name} ran {summary[name, component]!.Count} times");
        }

        Assert.Equal(Queries, summary["generate", "model"]!.Count + summary["stream_answer", "model"]!.Count);
        Assert.Equal(_result.Failed, summary["process_query", "agent"]!.Errors);
        Assert.Contains(summary.CallTree, e => e.ParentName == "process_query" && e.Name == "rerank");
    }

    [Fact]
    public void Errors_are_grouped_with_their_categories()
    {
        _system.ErrorTracker.Flush();
        ErrorAnalytics errors = _system.ErrorTracker.GetErrorAnalytics(1);

        Assert.True(_result.Failed > 0, "the workload's fault injection produced no failure");
        Assert.True(errors.ByCategory.Keys.Count(c => c != "unknown") >= 2, "categories: " + string.Join(", ", errors.ByCategory.Keys));
        Assert.True(errors.ByCategory.ContainsKey("rate_limited") || errors.ByCategory.ContainsKey("timeout"), string.Join(", ", errors.ByCategory.Keys));
        Assert.NotEmpty(errors.TopGroups);
        Assert.True(errors.TopGroups.Count < errors.TotalErrors, "every error became its own group");
    }

    [Fact]
    public void Costs_are_not_zero_and_their_breakdowns_add_up_to_the_total()
    {
        _system.CostTracker.Flush();
        CostSummary costs = _system.CostTracker.GetCostSummary(24);

        Assert.True(costs.TotalUsd > 0, "no cost was recorded");
        Assert.True(costs.Tokens.Input > 0 && costs.Tokens.Output > 0);
        Assert.Equal(costs.TotalUsd, costs.ByResourceType.Values.Sum());
        Assert.Equal(costs.TotalUsd, costs.ByComponent.Values.Sum());
        Assert.Contains(costs.ByModel, m => m.Model == LocalChatClient.ModelName && m.CostUsd == 0 && m.Tokens.Output > 0);
    }

    [Fact]
    public void Log_lines_carry_the_trace_and_the_operation_they_were_written_in()
    {
        var answered = _system.Logs.Recent(500).Where(e => e.Message.StartsWith("Answered", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(answered);
        Assert.All(answered, e =>
        {
            Assert.Matches("^[0-9a-f]{32}$", e.TraceId);
            Assert.Equal(("process_query", "agent"), (e.Operation, e.Component));
        });
    }

    [Fact]
    public void The_metrics_endpoint_serves_the_seeds_metric_names()
    {
        string[] seed = ["operation_duration_seconds", "memory_usage_bytes", "cpu_usage_percent", "errors_total", "system_health_score", "total_cost_usd", "tokens_total", "operation_calls_total"];

        Assert.All(seed, name => Assert.Contains($"# TYPE {name} ", _metrics, StringComparison.Ordinal));
        Assert.Contains("operation_duration_seconds_bucket{operation=\"process_query\",component=\"agent\"", _metrics, StringComparison.Ordinal);
    }

    [Fact]
    public void The_database_holds_errors_costs_and_logs_after_stop_and_passes_an_integrity_check()
    {
        string path = _system.GetDashboardData().Internal.Storage.Path;
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        connection.Open();

        long Count(string table)
        {
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {table}";
            return (long)command.ExecuteScalar()!;
        }

        Assert.True(Count("errors WHERE operation = 'generate'") >= _result.Failed, "not every failed model call was stored");
        Assert.True(Count("error_groups") > 0);
        Assert.True(Count("cost_events") > 0);
        Assert.True(Count("logs") >= _result.Answered);
        using SqliteCommand check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", check.ExecuteScalar());
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SampleCollection
{
    public const string Name = "Sample agent";
}
