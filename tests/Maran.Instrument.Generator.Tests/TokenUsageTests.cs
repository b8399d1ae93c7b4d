using System.ClientModel;
using System.Reflection;
using Maran.Instrument.Configuration;
using Maran.Instrument.Costs;
using Microsoft.CodeAnalysis;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;

namespace Maran.Instrument.Generator.Tests;

/// <summary>
/// Token usage read at compile time: the generator emits a reader for each usage-bearing return type, the scenario
/// runs against the real Microsoft.Extensions.AI and OpenAI SDK types, and the tokens arrive, priced, in the cost
/// tracker of a running system and in its SQLite file.
/// </summary>
public sealed class TokenUsageTests : IDisposable
{
    private static readonly Lazy<(GeneratorRun Run, Assembly Assembly)> s_scenario = new(() =>
    {
        MetadataReference[] sdk =
        [
            MetadataReference.CreateFromFile(typeof(ChatResponse).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(ChatResponse<>).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(OpenAI.Chat.ChatCompletion).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(ClientResult).Assembly.Location),
        ];
        var compilation = GeneratorHarness.CreateCompilation(
            [("/src/TokenUsage.cs", GeneratorHarness.ScenarioSource("TokenUsage"))],
            sdk,
            assemblyName: "TokenUsage");
        GeneratorRun run = GeneratorHarness.Generate(compilation);
        return (run, run.Load());
    });

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "maran-usage-" + Guid.NewGuid().ToString("N"));
    private readonly AdvancedMonitoringSystem _system;

    public TokenUsageTests()
    {
        var options = new MonitoringOptions();
        options.Monitoring.DataDirectory = _folder;
        options.Monitoring.MetricsPort = 0;
        options.Logging.Console = false;
        options.Logging.File = false;
        _system = new AdvancedMonitoringSystem(options);
        _system.Start();
    }

    public void Dispose()
    {
        _system.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static UsageTotal Usage(CostTotals totals, string component, string operation) =>
        totals.Usage.Single(u => u.Component == component && u.Operation == operation);

    [Fact]
    public void Readers_are_emitted_for_usage_bearing_results_only_and_match_the_baseline()
    {
        var (run, _) = s_scenario.Value;

        Baseline.Verify("TokenUsage", run);
        Assert.Contains("__scope.Complete(__result, global::Maran.Instrument.Generated.MaranInterceptorHelpers.ReadChatResponse);", run.GeneratedText, StringComparison.Ordinal);
        Assert.Contains("__scope.Track(__stream, global::Maran.Instrument.Generated.MaranInterceptorHelpers.ReadChatResponseUpdate);", run.GeneratedText, StringComparison.Ordinal);
        Assert.Contains("__scope.Complete(__result, global::Maran.Instrument.Telemetry.TokenUsage.Read);", run.GeneratedText, StringComparison.Ordinal);
        string plain = run.GeneratedText[run.GeneratedText.IndexOf("Intercepts calls of Model.Plain(string)", StringComparison.Ordinal)..];
        plain = plain[..plain.IndexOf("finally", StringComparison.Ordinal)];
        Assert.Contains("__scope.Complete();", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("Read", plain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_of_every_response_type_reach_the_cost_tracker_priced_by_model()
    {
        var (_, assembly) = s_scenario.Value;

        object? result = await InvokeAsync(assembly);

        Assert.Equal("answer to q|async|42|no usage here|4|1|gpt-4.1-2025-04-14|gpt-4.1-2025-04-14|hello|plain", result);
        await _system.CostTracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _system.CostTracker.Flush();
        CostTotals totals = _system.CostTracker.GetTotals();

        UsageTotal chat = Usage(totals, "usage_chat", "chat");
        Assert.Equal(("gpt-4o-mini-2024-07-18", 1200L, 300L, 1000L), (chat.Model, chat.Tokens.Input, chat.Tokens.Output, chat.Tokens.CachedInput));
        Assert.Equal(((200 * 0.15m) + (1000 * 0.075m) + (300 * 0.60m)) / 1_000_000m, chat.CostUsd);

        UsageTotal fromAttribute = Usage(totals, "usage_chat", "chat_async");
        Assert.Equal("gpt-4o", fromAttribute.Model);
        Assert.Equal(((2000 * 2.50m) + (1000 * 10.00m)) / 1_000_000m, fromAttribute.CostUsd);

        UsageTotal reasoning = Usage(totals, "usage_chat", "reason");
        Assert.Equal(("o4-mini", 800L), (reasoning.Model, reasoning.Tokens.Reasoning));
        Assert.Equal(((100 * 1.10m) + (900 * 4.40m)) / 1_000_000m, reasoning.CostUsd);

        UsageTotal unreported = Usage(totals, "usage_chat", "unreported");
        Assert.Equal((1L, 1L, 0L), (unreported.Tokens.Calls, unreported.Tokens.CallsWithoutUsage, unreported.Tokens.Input));

        UsageTotal stream = Usage(totals, "usage_stream", "stream");
        Assert.Equal(("gpt-4.1-mini", 1L, 50L, 4L), (stream.Model, stream.Tokens.Calls, stream.Tokens.Input, stream.Tokens.Output));

        UsageTotal embed = Usage(totals, "usage_embed", "embed");
        Assert.Equal(("text-embedding-3-small", 500_000L, 0.01m), (embed.Model, embed.Tokens.Input, embed.CostUsd));

        UsageTotal completion = Usage(totals, "usage_openai", "complete");
        UsageTotal wrapped = Usage(totals, "usage_openai", "complete_result");
        decimal openAiCost = ((1000 * 2.00m) + (2000 * 0.50m) + (200 * 8.00m)) / 1_000_000m;
        Assert.Equal(("gpt-4.1-2025-04-14", 3000L, 2000L, openAiCost), (completion.Model, completion.Tokens.Input, completion.Tokens.CachedInput, completion.CostUsd));
        Assert.Equal(completion.Tokens, wrapped.Tokens);
        UsageTotal streamed = Usage(totals, "usage_openai", "complete_stream");
        Assert.Equal(("gpt-4o-mini", 1L, 400L, 20L), (streamed.Model, streamed.Tokens.Calls, streamed.Tokens.Input, streamed.Tokens.Output));

        UsageTotal local = Usage(totals, "usage_local", "local");
        Assert.Equal(("my-local-model", 5L, 7L, (decimal?)null), (local.Model, local.Tokens.Input, local.Tokens.Output, local.CostUsd));

        Assert.DoesNotContain(totals.Usage, u => u.Component == "usage_plain");
    }

    [Fact]
    public async Task Tokens_read_by_interceptors_are_stored_in_the_database()
    {
        var (_, assembly) = s_scenario.Value;

        await InvokeAsync(assembly);
        await _system.CostTracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        using var connection = new SqliteConnection($"Data Source={_system.Database.Path};Mode=ReadOnly");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT subject, input_tokens, output_tokens, cost_usd FROM cost_events WHERE component = 'usage_openai' AND operation = 'complete'";
        using SqliteDataReader reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(("gpt-4.1-2025-04-14", 3000L, 200L, "0.0046"), (reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3)));
    }

    [Fact]
    public async Task Reading_usage_from_a_result_allocates_nothing_with_a_cost_tracker_listening()
    {
        var (_, assembly) = s_scenario.Value;

        // The first calls grow the tracker's queue buffer; once it has room for a burst, a call allocates nothing.
        for (int round = 0; round < 3; round++)
        {
            GeneratorHarness.Invoke(assembly, "Scenarios.TokenUsage.Program", "AllocatedByCachedCalls", 2_000);
            await _system.CostTracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        long allocated = (long)GeneratorHarness.Invoke(assembly, "Scenarios.TokenUsage.Program", "AllocatedByCachedCalls", 1_000)!;
        await _system.CostTracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, allocated);
        _system.CostTracker.Flush();
        Assert.Equal(((3 * (2_000 + 100)) + 1_000 + 100) * 10L, _system.CostTracker.GetTotals().Usage.Where(u => u.Component == "usage_alloc").Sum(u => u.Tokens.Input));
    }

    private static async Task<object?> InvokeAsync(Assembly assembly)
    {
        var task = (Task)GeneratorHarness.Invoke(assembly, "Scenarios.TokenUsage.Program", "RunAsync")!;
        await task;
        return task.GetType().GetProperty("Result")!.GetValue(task);
    }
}
