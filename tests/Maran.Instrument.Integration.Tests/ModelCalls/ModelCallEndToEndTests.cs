using System.ClientModel;
using System.Diagnostics;
using System.Reflection;
using Maran.Instrument.Configuration;
using Maran.Instrument.Costs;
using Maran.Instrument.Export;
using Maran.Instrument.Generator.Tests;
using Maran.Instrument.Profiling;
using Maran.Instrument.Telemetry;
using Microsoft.CodeAnalysis;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using OperationKind = Maran.Instrument.Profiling.OperationKind;

namespace Maran.Instrument.Integration.Tests.ModelCalls;

/// <summary>
/// An application written without wrappers (Application/Program.cs), compiled with the generator as its build would
/// compile it, drives the real OpenAI SDK, the Microsoft.Extensions.AI OpenAI adapter and an Agent Framework
/// ChatClientAgent with a tool against an OpenAI-compatible server on 127.0.0.1, with retries off: the tokens the
/// cost tracker records are the tokens the server reported, per model, and each tool execution and failure is counted.
/// </summary>
public sealed class ModelCallEndToEndTests : IAsyncLifetime
{
    private static readonly Lazy<Assembly> s_application = new(() =>
    {
        string source = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ModelCalls", "Application", "Program.cs"));
        MetadataReference[] sdk =
        [
            .. new[]
            {
                typeof(ChatResponse), typeof(ChatClientBuilder), typeof(OpenAIClientExtensions), typeof(OpenAI.OpenAIClient), typeof(ClientResult),
                typeof(Microsoft.Agents.AI.AIAgent), typeof(Microsoft.Agents.AI.ChatClientAgent), typeof(Microsoft.Extensions.Logging.ILogger),
                typeof(Microsoft.Extensions.Compliance.Classification.DataClassificationAttribute),
            }.Select(t => t.Assembly.Location).Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)),
        ];
        var compilation = GeneratorHarness.CreateCompilation([("/app/Program.cs", source)], sdk, assemblyName: "ModelApp");
        return GeneratorHarness.Generate(compilation).Load();
    });

    private readonly string _folder = Directory.CreateTempSubdirectory("maran-e2e-calls-").FullName;
    private OpenAICompatibleServer _server = null!;
    private AdvancedMonitoringSystem _system = null!;

    public async Task InitializeAsync()
    {
        _server = await OpenAICompatibleServer.StartAsync();
        var options = new MonitoringOptions();
        options.Monitoring.DataDirectory = _folder;
        options.Monitoring.MetricsPort = 0;
        options.Logging.Console = false;
        options.Logging.File = false;
        _system = new AdvancedMonitoringSystem(options);
        _system.Start();
    }

    public async Task DisposeAsync()
    {
        _system.Dispose();
        await _server.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Tokens_recorded_for_every_model_equal_the_tokens_the_server_reported()
    {
        Assert.Equal("It is sunny in Oslo today", await RunAsync<string>("AskAsync", _server.Endpoint, "gpt-4o-mini", "How is the weather?"));
        Assert.Equal("It is sunny in Oslo today ", await RunAsync<string>("StreamAsync", _server.Endpoint, "gpt-4.1-mini"));
        Assert.True(await RunAsync<long>("CompleteWithTheSdkAsync", _server.Endpoint, "gpt-4o") > 0);
        Assert.Equal(4, (await RunAsync<float[]>("EmbedAsync", _server.Endpoint, "text-embedding-3-small")).Length);
        Assert.Equal("It is sunny in Oslo today", await RunAsync<string>("AskTheAgentAsync", _server.Endpoint, "gpt-4.1"));
        Assert.Equal("It is sunny in Oslo today", await RunAsync<string>("RouteQuestionAsync", _server.Endpoint, "gpt-4.1-nano"));

        await _system.CostTracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _system.CostTracker.Flush();
        IReadOnlyList<UsageTotal> usage = _system.CostTracker.GetTotals().Usage;
        var recorded = usage.GroupBy(u => u.Model).ToDictionary(g => g.Key, g => (g.Sum(u => u.Tokens.Input), g.Sum(u => u.Tokens.Output)));
        Assert.Equal(_server.Reported.OrderBy(r => r.Key), recorded.OrderBy(r => r.Key));

        // Each call belongs where it was made: to the monitored operation around it, else to the model call itself.
        Assert.Contains(usage, u => (u.Component, u.Operation, u.Model) == ("support", "stream_answer", "gpt-4.1-mini"));
        Assert.Contains(usage, u => (u.Component, u.Operation, u.Model) == ("support", "weather_question", "gpt-4.1"));

        // Made two methods down, with call trees off: the operation the model call runs inside is still its owner.
        Assert.Equal(("support", "answer_handler"), Assert.Single(usage, u => u.Model == "gpt-4.1-nano") is var nano ? (nano.Component, nano.Operation) : default);
        Assert.Contains(usage, u => (u.Component, u.Operation, u.Model) == ("openai", "IChatClient.GetResponseAsync", "gpt-4o-mini"));
        Assert.Contains(usage, u => (u.Component, u.Operation, u.Model) == ("openai", "ChatClient.CompleteChatAsync", "gpt-4o"));
        Assert.Contains(usage, u => (u.Component, u.Operation, u.Model) == ("openai", "IEmbeddingGenerator.GenerateAsync", "text-embedding-3-small"));
    }

    [Fact]
    public async Task The_agent_run_and_each_tool_execution_it_asked_for_are_counted()
    {
        OperationRecorder? tool = OperationRegistry.Find("weather", "tools");
        long toolsBefore = tool?.Snapshot().Succeeded ?? 0;
        int requestsBefore = _server.Requests;

        await RunAsync<string>("AskTheAgentAsync", _server.Endpoint, "gpt-4.1");

        Assert.Equal(2, _server.Requests - requestsBefore);
        Assert.Equal(toolsBefore + 1, OperationRegistry.Find("weather", "tools")!.Snapshot().Succeeded);
        OperationRecorder agent = OperationRegistry.Find("weather_agent", "agents")!;
        Assert.Equal((OperationKind.Agent, "invoke_agent"), (agent.Kind, agent.GenAIOperation));
        Assert.True(agent.Snapshot().Succeeded >= 1);
    }

    [Theory]
    [InlineData("fail-429", 429)]
    [InlineData("fail-500", 500)]
    public async Task An_injected_failure_reaches_the_caller_unchanged_and_fails_the_model_call_once(string model, int status)
    {
        OperationRecorder? call = OperationRegistry.Find("IChatClient.GetResponseAsync", "openai");
        long failedBefore = call?.Snapshot().Failed ?? 0;

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => RunAsync<string>("AskAsync", _server.Endpoint, model, "hello"));

        Assert.Equal(status, failure.Status);
        Assert.Equal(failedBefore + 1, OperationRegistry.Find("IChatClient.GetResponseAsync", "openai")!.Snapshot().Failed);
    }

    [Fact]
    public async Task Model_tool_and_agent_calls_are_spans_and_metrics_of_the_GenAI_conventions_with_the_servers_token_counts()
    {
        string run = Guid.NewGuid().ToString("N")[..6];
        string chatModel = "gpt-chat-" + run, streamModel = "gpt-stream-" + run, embeddingModel = "embed-" + run, agentModel = "gpt-agent-" + run;
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        using TracerProvider tracing = Sdk.CreateTracerProviderBuilder().AddMaranInstrumentation().AddInMemoryExporter(spans).Build()!;
        using MeterProvider meters = Sdk.CreateMeterProviderBuilder().AddMaranInstrumentation().AddInMemoryExporter(metrics).Build()!;

        await RunAsync<string>("AskAsync", _server.Endpoint, chatModel, "How is the weather?");
        await RunAsync<string>("StreamAsync", _server.Endpoint, streamModel);
        await RunAsync<float[]>("EmbedAsync", _server.Endpoint, embeddingModel);
        await RunAsync<string>("AskTheAgentAsync", _server.Endpoint, agentModel);
        tracing.ForceFlush();
        meters.ForceFlush();

        Activity chat = Assert.Single(spans, s => s.DisplayName == $"chat {chatModel}");
        Assert.Equal(ActivityKind.Client, chat.Kind);
        Assert.Equal(MaranTelemetry.SourceName, chat.Source.Name);
        Assert.Equal("chat", chat.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("openai", chat.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(chatModel, chat.GetTagItem("gen_ai.request.model"));
        Assert.Equal(chatModel, chat.GetTagItem("gen_ai.response.model"));
        Assert.Equal(_server.Reported[chatModel].Input, chat.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(_server.Reported[chatModel].Output, chat.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.DoesNotContain(spans, s => s.Tags.Any(t => t.Key is "gen_ai.input.messages" or "gen_ai.output.messages" or "gen_ai.tool.call.arguments"));

        Activity stream = Assert.Single(spans, s => s.DisplayName == $"chat {streamModel}");
        Assert.Equal(_server.Reported[streamModel].Input, stream.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(_server.Reported[streamModel].Output, stream.GetTagItem("gen_ai.usage.output_tokens"));

        Activity embeddings = Assert.Single(spans, s => s.DisplayName == $"embeddings {embeddingModel}");
        Assert.Equal(ActivityKind.Client, embeddings.Kind);
        Assert.Equal("embeddings", embeddings.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(_server.Reported[embeddingModel].Input, embeddings.GetTagItem("gen_ai.usage.input_tokens"));

        Activity agent = Assert.Single(spans, s => s.DisplayName == "invoke_agent weather_agent");
        Assert.Equal(ActivityKind.Internal, agent.Kind);
        Assert.Equal("invoke_agent", agent.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("weather_agent", agent.GetTagItem("gen_ai.agent.name"));
        Assert.Equal(_server.Reported[agentModel].Input, agent.GetTagItem("gen_ai.usage.input_tokens"));
        // The agent's function invocation (Microsoft.Extensions.AI) starts the execute_tool span, with the tool call's id, on the
        // source of the agent run's span; the tool runs inside it and starts no second one.
        Activity tool = Assert.Single(spans, s => s.DisplayName == "execute_tool weather" && s.TraceId == agent.TraceId);
        Assert.Equal(ActivityKind.Internal, tool.Kind);
        Assert.Equal("execute_tool", tool.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("weather", tool.GetTagItem("gen_ai.tool.name"));
        Assert.Equal("call_1", tool.GetTagItem("gen_ai.tool.call.id"));
        Assert.Equal(agent.SpanId, tool.ParentSpanId);

        double[] durationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
        MetricPoint duration = Assert.Single(Points(metrics, "gen_ai.client.operation.duration", "s", "gen_ai.request.model", chatModel));
        Assert.Equal(1, duration.GetHistogramCount());
        Assert.Equal(durationBuckets, Boundaries(duration));
        Assert.Equal("openai", Tag(duration, "gen_ai.provider.name"));
        Assert.Equal(chatModel, Tag(duration, "gen_ai.response.model"));

        List<MetricPoint> tokens = Points(metrics, "gen_ai.client.token.usage", "{token}", "gen_ai.request.model", chatModel);
        Assert.Equal(_server.Reported[chatModel].Input, Assert.Single(tokens, p => Tag(p, "gen_ai.token.type") == "input").GetHistogramSum());
        Assert.Equal(_server.Reported[chatModel].Output, Assert.Single(tokens, p => Tag(p, "gen_ai.token.type") == "output").GetHistogramSum());
        Assert.Equal([1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864], Boundaries(tokens[0]));

        // The server streams six words, a finishing chunk and a usage chunk: eight chunks, one first and seven after it.
        MetricPoint first = Assert.Single(Points(metrics, "gen_ai.client.operation.time_to_first_chunk", "s", "gen_ai.request.model", streamModel));
        Assert.Equal(1, first.GetHistogramCount());
        Assert.Equal(durationBuckets, Boundaries(first));
        MetricPoint perChunk = Assert.Single(Points(metrics, "gen_ai.client.operation.time_per_output_chunk", "s", "gen_ai.request.model", streamModel));
        Assert.Equal(7, perChunk.GetHistogramCount());
        Assert.Empty(Points(metrics, "gen_ai.client.operation.time_to_first_chunk", "s", "gen_ai.request.model", chatModel));

        Assert.Contains(Points(metrics, "gen_ai.invoke_agent.duration", "s", "gen_ai.agent.name", "weather_agent"), p => Boundaries(p).SequenceEqual(durationBuckets));
        MetricPoint toolDuration = Assert.Single(Points(metrics, "gen_ai.execute_tool.duration", "s", "gen_ai.tool.name", "weather"));
        Assert.True(toolDuration.GetHistogramCount() >= 1);
        Assert.Equal("execute_tool", Tag(toolDuration, "gen_ai.operation.name"));
    }

    [Fact]
    public async Task A_chat_call_whose_options_name_a_conversation_carries_it_on_its_span()
    {
        string model = "gpt-conversation-" + Guid.NewGuid().ToString("N")[..6];
        var spans = new List<Activity>();
        using TracerProvider tracing = Sdk.CreateTracerProviderBuilder().AddMaranInstrumentation().AddInMemoryExporter(spans).Build()!;

        await RunAsync<string>("AskInConversationAsync", _server.Endpoint, model, "hello", "conv-42");
        await RunAsync<string>("AskAsync", _server.Endpoint, model, "hello");
        tracing.ForceFlush();

        Activity[] chats = [.. spans.Where(s => s.DisplayName == $"chat {model}")];
        Assert.Equal(2, chats.Length);
        Assert.Equal(["conv-42", null], chats.Select(s => s.GetTagItem("gen_ai.conversation.id")));
    }

    [Fact]
    public async Task A_call_through_UseOpenTelemetry_is_reported_once_by_that_pipeline_and_still_counted_and_priced()
    {
        string model = "gpt-pipeline-" + Guid.NewGuid().ToString("N")[..6];
        string pipelineSource = "ModelApp.AI." + model;
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        using TracerProvider tracing = Sdk.CreateTracerProviderBuilder().AddMaranInstrumentation().AddSource(pipelineSource).AddInMemoryExporter(spans).Build()!;
        using MeterProvider meters = Sdk.CreateMeterProviderBuilder().AddMaranInstrumentation().AddMeter(pipelineSource).AddInMemoryExporter(metrics).Build()!;
        long callsBefore = OperationRegistry.Find("IChatClient.GetResponseAsync", "openai")?.Snapshot().Succeeded ?? 0;

        Assert.Equal("It is sunny in Oslo today", await RunAsync<string>("AskThroughTheTelemetryPipelineAsync", _server.Endpoint, model, "hello", pipelineSource));
        tracing.ForceFlush();
        meters.ForceFlush();

        Activity span = Assert.Single(spans, s => s.GetTagItem("gen_ai.request.model") as string == model);
        Assert.Equal(pipelineSource, span.Source.Name);
        Assert.Single(Points(metrics, "gen_ai.client.operation.duration", "s", "gen_ai.request.model", model));
        Assert.Equal(callsBefore + 1, OperationRegistry.Find("IChatClient.GetResponseAsync", "openai")!.Snapshot().Succeeded);
        await _system.CostTracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _system.CostTracker.Flush();
        UsageTotal usage = Assert.Single(_system.CostTracker.GetTotals().Usage, u => u.Model == model);
        Assert.Equal(_server.Reported[model], (usage.Tokens.Input, usage.Tokens.Output));
    }

    [Fact]
    public async Task An_agent_run_through_the_Agent_Frameworks_UseOpenTelemetry_is_one_invoke_agent_span_and_still_counted()
    {
        string model = "gpt-traced-" + Guid.NewGuid().ToString("N")[..6];
        string pipelineSource = "ModelApp.Agents." + model;
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        using TracerProvider tracing = Sdk.CreateTracerProviderBuilder().AddMaranInstrumentation().AddSource(pipelineSource).AddInMemoryExporter(spans).Build()!;
        using MeterProvider meters = Sdk.CreateMeterProviderBuilder().AddMaranInstrumentation().AddMeter(pipelineSource).AddInMemoryExporter(metrics).Build()!;
        long runsBefore = OperationRegistry.Find("traced_agent", "agents")?.Snapshot().Succeeded ?? 0;
        long toolsBefore = OperationRegistry.Find("weather", "tools")?.Snapshot().Succeeded ?? 0;

        Assert.Equal("It is sunny in Oslo today", await RunAsync<string>("AskTheTracedAgentAsync", _server.Endpoint, model, pipelineSource));
        tracing.ForceFlush();
        meters.ForceFlush();

        Activity run = Assert.Single(spans, s => s.DisplayName.StartsWith("invoke_agent", StringComparison.Ordinal));
        Assert.Equal(pipelineSource, run.Source.Name);
        Assert.Single(spans, s => s.DisplayName == "execute_tool weather" && s.TraceId == run.TraceId);
        Assert.Empty(Points(metrics, "gen_ai.invoke_agent.duration", "s", "gen_ai.agent.name", "traced_agent"));
        Assert.Equal(runsBefore + 1, OperationRegistry.Find("traced_agent", "agents")!.Snapshot().Succeeded);
        Assert.Equal(toolsBefore + 1, OperationRegistry.Find("weather", "tools")!.Snapshot().Succeeded);
    }

    [Fact]
    public async Task With_content_capture_on_messages_and_tool_calls_are_recorded_redacted_on_spans_and_in_the_log_store()
    {
        string model = "gpt-content-" + Guid.NewGuid().ToString("N")[..6];
        var spans = new List<Activity>();
        using TracerProvider tracing = Sdk.CreateTracerProviderBuilder().AddMaranInstrumentation().AddInMemoryExporter(spans).Build()!;
        GenAIContent.Configure(captureContent: true, _system.Logs);
        try
        {
            await RunAsync<string>("AskAsync", _server.Endpoint, model, "Is my key sk-proj-abcdefghijklmnopqrstuvwx safe?");
            await RunAsync<string>("AskTheResidentAgentAsync", _server.Endpoint, model);
            await RunAsync<string>("StreamAsync", _server.Endpoint, model);
        }
        finally
        {
            GenAIContent.Configure(captureContent: false, null);
        }

        tracing.ForceFlush();

        Activity chat = Assert.Single(spans, s => s.DisplayName == $"chat {model}" && s.GetTagItem("maran.operation") as string == "IChatClient.GetResponseAsync");
        string input = (string)chat.GetTagItem("gen_ai.input.messages")!;
        Assert.Equal("""[{"role":"user","parts":[{"type":"text","content":"Is my key [REDACTED] safe?"}]}]""", input);
        Assert.Equal("""[{"role":"assistant","parts":[{"type":"text","content":"It is sunny in Oslo today"}],"finish_reason":"stop"}]""",
            chat.GetTagItem("gen_ai.output.messages"));

        // A stream's updates, read to the end, are recorded as the one response they make up.
        Activity streamed = Assert.Single(spans, s => s.DisplayName == $"chat {model}" && s.GetTagItem("maran.operation") as string == "IChatClient.GetStreamingResponseAsync");
        Assert.Equal("""[{"role":"user","parts":[{"type":"text","content":"tell me"}]}]""", streamed.GetTagItem("gen_ai.input.messages"));
        Assert.Equal("""[{"role":"assistant","parts":[{"type":"text","content":"It is sunny in Oslo today "}],"finish_reason":"stop"}]""",
            streamed.GetTagItem("gen_ai.output.messages"));

        // The classified argument is erased (no redactor is configured for its classification), the key in the result masked.
        Activity tool = Assert.Single(spans, s => s.DisplayName == "execute_tool resident");
        Assert.Equal("""{"city":""}""", tool.GetTagItem("gen_ai.tool.call.arguments"));
        Assert.Equal("\"registry key [REDACTED] for Oslo\"", tool.GetTagItem("gen_ai.tool.call.result"));

        List<string> logged = [.. _system.Logs.Recent(1000).Select(e => e.Properties)];
        Assert.Contains(logged, p => p.Contains("Is my key [REDACTED] safe?", StringComparison.Ordinal));
        string arguments = Assert.Single(logged, p => p.Contains("gen_ai.tool.call.arguments", StringComparison.Ordinal) && p.Contains("resident", StringComparison.Ordinal));
        Assert.DoesNotContain("Oslo", arguments, StringComparison.Ordinal);
        Assert.DoesNotContain(logged, p => p.Contains("sk-proj-", StringComparison.Ordinal));
        Assert.DoesNotContain(spans, s => s.Tags.Any(t => t.Value?.Contains("sk-proj-", StringComparison.Ordinal) == true));
    }

    // The points of one metric, the toolkit's or an application pipeline's, checked for its unit, whose tag has the value given
    // (other tests' calls carry other values).
    private static List<MetricPoint> Points(List<Metric> metrics, string name, string unit, string key, string value)
    {
        var points = new List<MetricPoint>();
        foreach (Metric metric in metrics.Where(m => m.Name == name && (m.MeterName == MaranTelemetry.SourceName || m.MeterName.StartsWith("ModelApp.AI.", StringComparison.Ordinal))))
        {
            Assert.Equal(unit, metric.Unit);
            foreach (ref readonly MetricPoint point in metric.GetMetricPoints())
            {
                if (Tag(point, key) == value)
                {
                    points.Add(point);
                }
            }
        }

        return points;
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (KeyValuePair<string, object?> tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }

    private static double[] Boundaries(MetricPoint point)
    {
        var bounds = new List<double>();
        foreach (HistogramBucket bucket in point.GetHistogramBuckets())
        {
            if (!double.IsPositiveInfinity(bucket.ExplicitBound))
            {
                bounds.Add(bucket.ExplicitBound);
            }
        }

        return [.. bounds];
    }

    [Fact]
    public async Task A_stream_read_with_the_OpenAI_SDK_itself_records_the_tokens_the_server_reported_in_its_last_chunk()
    {
        OperationRecorder? call = OperationRegistry.Find("ChatClient.CompleteChatStreamingAsync", "openai");
        long streamsBefore = call?.Snapshot().Streams ?? 0;

        Assert.Equal("It is sunny in Oslo today ", await RunAsync<string>("StreamWithTheSdkAsync", _server.Endpoint, "gpt-4.1-nano"));

        await _system.CostTracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _system.CostTracker.Flush();
        UsageTotal usage = _system.CostTracker.GetTotals().Usage.Single(u => u.Model == "gpt-4.1-nano");
        Assert.Equal(("support", "sdk_stream"), (usage.Component, usage.Operation));
        Assert.Equal(_server.Reported["gpt-4.1-nano"], (usage.Tokens.Input, usage.Tokens.Output));
        OperationSnapshot stream = OperationRegistry.Find("ChatClient.CompleteChatStreamingAsync", "openai")!.Snapshot();
        Assert.Equal(streamsBefore + 1, stream.Streams);
        Assert.True(stream.FirstItems >= 1);
    }

    [Fact]
    public async Task A_stream_read_with_the_OpenAI_SDK_whose_request_is_rejected_fails_the_model_call_once()
    {
        long failedBefore = OperationRegistry.Find("ChatClient.CompleteChatStreamingAsync", "openai")?.Snapshot().Failed ?? 0;

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => RunAsync<string>("StreamWithTheSdkAsync", _server.Endpoint, "fail-429"));

        Assert.Equal(429, failure.Status);
        Assert.Equal(failedBefore + 1, OperationRegistry.Find("ChatClient.CompleteChatStreamingAsync", "openai")!.Snapshot().Failed);
    }

    private static async Task<T> RunAsync<T>(string method, params object?[] arguments)
    {
        MethodInfo target = s_application.Value.GetType("ModelApp.App", throwOnError: true)!.GetMethod(method)!;
        var task = (Task)target.Invoke(null, arguments)!;
        await task;
        return (T)task.GetType().GetProperty("Result")!.GetValue(task)!;
    }
}
