using System.ClientModel;
using System.Reflection;
using Maran.Instrument.Configuration;
using Maran.Instrument.Costs;
using Maran.Instrument.Profiling;
using Maran.Instrument.Telemetry;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using OperationKind = Maran.Instrument.Profiling.OperationKind;

namespace Maran.Instrument.Generator.Tests;

/// <summary>
/// Model, tool and agent calls measured where they are made: the scenario calls the real Microsoft.Extensions.AI and
/// Agent Framework APIs on fake clients from methods returning Task, void, string and vectors, with and without a
/// monitored operation around them, and the tokens the clients returned arrive in the cost tracker of a running system.
/// </summary>
[Collection(RuntimeSwitches.Name)]
public sealed class ModelCallTests : IDisposable
{
    private const string Program = "Scenarios.ModelCalls.Program";

    private static readonly Lazy<(GeneratorRun Run, Assembly Assembly)> s_scenario = new(() =>
    {
        var compilation = GeneratorHarness.CreateCompilation(
            [("/src/ModelCalls.cs", GeneratorHarness.ScenarioSource("ModelCalls"))],
            SdkReferences(),
            assemblyName: "ModelCalls");
        GeneratorRun run = GeneratorHarness.Generate(compilation);
        return (run, run.Load());
    });

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "maran-calls-" + Guid.NewGuid().ToString("N"));
    private readonly AdvancedMonitoringSystem _system;

    public ModelCallTests()
    {
        var options = new MonitoringOptions();
        options.Monitoring.DataDirectory = _folder;
        options.Monitoring.MetricsPort = 0;
        options.Logging.Console = false;
        options.Logging.File = false;
        _system = new AdvancedMonitoringSystem(options);
        _system.Start();
    }

    /// <summary>The model SDKs the scenarios compile against: Microsoft.Extensions.AI, the Agent Framework and the OpenAI SDK.</summary>
    internal static MetadataReference[] SdkReferences() =>
    [
        MetadataReference.CreateFromFile(typeof(ChatResponse).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(ChatClientBuilder).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Agents.AI.AIAgent).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Agents.AI.ChatClientAgent).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(OpenAI.Chat.ChatCompletion).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(ClientResult).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(System.Text.Json.JsonSerializer).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Caching.Distributed.IDistributedCache).Assembly.Location),
    ];

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

    [Fact]
    public void Model_tool_and_agent_calls_are_intercepted_where_they_are_made_and_match_the_baseline()
    {
        var (run, _) = s_scenario.Value;

        Baseline.Verify("ModelCalls", run);
        Assert.Empty(run.Problems);
        Assert.DoesNotContain("ModelCalls.cs(118,", run.GeneratedText, StringComparison.Ordinal);
        string reply = run.GeneratedText[run.GeneratedText.IndexOf("Intercepts calls of Program.ReplyAsync(IChatClient)", StringComparison.Ordinal)..];
        Assert.Contains("return __scope.Track(__task);", reply[..reply.IndexOf("// Intercepts", 10, StringComparison.Ordinal)], StringComparison.Ordinal);
    }

    [Fact]
    public void With_model_calls_switched_off_only_monitored_methods_are_intercepted_and_read_their_results_again()
    {
        var compilation = GeneratorHarness.CreateCompilation(
            [("/src/ModelCalls.cs", GeneratorHarness.ScenarioSource("ModelCalls"))], SdkReferences(), assemblyName: "ModelCallsOff");
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new InterceptorGenerator().AsSourceGenerator()],
            parseOptions: GeneratorHarness.ParseOptions(),
            optionsProvider: new BuildProperties(("build_property.MaranInstrumentModelCalls", "false")));

        GeneratorRun run = GeneratorHarness.Generate(compilation, driver);

        Assert.Empty(run.Problems);
        Assert.DoesNotContain("StartCall", run.GeneratedText, StringComparison.Ordinal);
        Assert.DoesNotContain("AIFunctionFactory", run.GeneratedText, StringComparison.Ordinal);
        Assert.Contains("Intercepts calls of Program.ReplyAsync(IChatClient)", run.GeneratedText, StringComparison.Ordinal);
        Assert.Contains("return __scope.Track(__task, global::Maran.Instrument.Generated.MaranInterceptorHelpers.ReadChatResponse);", run.GeneratedText, StringComparison.Ordinal);
    }

    [Fact]
    public void An_operation_whose_model_call_is_made_in_the_methods_it_calls_is_made_their_ambient_parent_and_no_other_is()
    {
        const string Source = """
            using System.Threading.Tasks;
            using Maran.Instrument;
            using Microsoft.Extensions.AI;

            public static class Program
            {
                public static Task<string> Route(IChatClient chat) => Handle(chat);

                public static int RouteSum(int[] values) => Sum(values);

                public static Task<string> RouteOuter(IChatClient chat) => Outer(chat);

                [MonitorOperation("outer", "app")]
                public static async Task<string> Outer(IChatClient chat) => await Handle(chat);

                [MonitorOperation("handle", "app")]
                public static async Task<string> Handle(IChatClient chat) => await Service.Answer(chat);

                [MonitorOperation("sum", "app")]
                public static int Sum(int[] values) => Arithmetic.Total(values);
            }

            public static class Service
            {
                public static Task<string> Answer(IChatClient chat) => Prompts.Complete(chat);
            }

            public static class Prompts
            {
                public static async Task<string> Complete(IChatClient chat) => (await chat.GetResponseAsync("hi")).Text;
            }

            public static class Arithmetic
            {
                public static int Total(int[] values) => System.Linq.Enumerable.Sum(values);
            }
            """;
        var compilation = GeneratorHarness.CreateCompilation([("/src/Ambient.cs", Source)], SdkReferences(), assemblyName: "Ambient");

        GeneratorRun run = GeneratorHarness.Generate(compilation);

        Assert.Empty(run.Problems);
        string[] interceptors = run.GeneratedText.Split("// Intercepts ");
        Assert.Contains("OperationScope.StartAmbient(", Assert.Single(interceptors, i => i.StartsWith("calls of Program.Handle(", StringComparison.Ordinal)), StringComparison.Ordinal);
        string sum = Assert.Single(interceptors, i => i.StartsWith("calls of Program.Sum(", StringComparison.Ordinal));
        Assert.Contains("OperationScope.Start(", sum, StringComparison.Ordinal);
        Assert.DoesNotContain("StartAmbient", sum, StringComparison.Ordinal);

        // An operation that reaches the model only through another monitored operation leaves it the parent.
        Assert.DoesNotContain("StartAmbient", Assert.Single(interceptors, i => i.StartsWith("calls of Program.Outer(", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_of_a_model_call_in_a_monitored_method_returning_a_string_belong_to_that_operation()
    {
        var (_, assembly) = s_scenario.Value;
        var chat = NewChat("gpt-4o-mini", 100, 20);

        Assert.Equal("answer: why?", await InvokeAsync<string>(assembly, "AnswerAsync", chat, "why?"));

        UsageTotal answer = await UsageAsync("model_calls", "answer");
        Assert.Equal(("gpt-4o-mini", 1L, 100L, 20L), (answer.Model, answer.Tokens.Calls, answer.Tokens.Input, answer.Tokens.Output));
        Assert.Equal(((100 * 0.15m) + (20 * 0.60m)) / 1_000_000m, answer.CostUsd);
    }

    [Fact]
    public async Task A_program_without_any_attribute_gets_the_tokens_of_its_model_calls()
    {
        var (_, assembly) = s_scenario.Value;
        OperationRecorder call = OperationRegistry.Find("IChatClient.GetResponseAsync", "microsoft.extensions.ai")!;
        long before = call.Snapshot().Succeeded;

        await InvokeAsync<string>(assembly, "AskAsync", NewChat("gpt-4o", 1000, 10), "hello");

        Assert.Equal((OperationKind.ModelCall, "chat"), (call.Kind, call.GenAIOperation));
        Assert.Equal(before + 1, call.Snapshot().Succeeded);
        UsageTotal usage = await UsageAsync("microsoft.extensions.ai", "IChatClient.GetResponseAsync", "gpt-4o");
        Assert.Equal((1000L, 10L), (usage.Tokens.Input, usage.Tokens.Output));
    }

    [Fact]
    public async Task A_chat_client_that_names_its_provider_has_its_calls_recorded_under_that_provider()
    {
        var (_, assembly) = s_scenario.Value;
        object chat = NewChat("gpt-4o", 10, 1);
        chat.GetType().GetProperty("Provider")!.SetValue(chat, "fakeai");

        await InvokeAsync<string>(assembly, "AskAsync", chat, "hello");
        await InvokeAsync<string>(assembly, "AskAsync", chat, "again");

        OperationRecorder call = OperationRegistry.Find("IChatClient.GetResponseAsync", "fakeai")!;
        Assert.Equal((OperationKind.ModelCall, "fakeai", "chat", 2L), (call.Kind, call.Provider, call.GenAIOperation, call.Snapshot().Succeeded));
        UsageTotal usage = await UsageAsync("fakeai", "IChatClient.GetResponseAsync");
        Assert.Equal((2L, 20L, 2L), (usage.Tokens.Calls, usage.Tokens.Input, usage.Tokens.Output));
    }

    [Fact]
    public async Task A_response_served_by_the_caching_middleware_is_marked_as_a_cache_hit_and_a_fresh_one_is_not()
    {
        var (_, assembly) = s_scenario.Value;
        var usages = new UsageRecorder();
        OperationEvents.SubscribeUsage(usages);
        try
        {
            Assert.Equal("answer: same question|answer: same question", await InvokeAsync<string>(assembly, "AskTwiceThroughCacheAsync", NewChat("gpt-4o-mini", 500, 50)));
        }
        finally
        {
            OperationEvents.UnsubscribeUsage(usages);
        }

        var cached = usages.Of("model_calls", "cached");
        Assert.Equal(2, cached.Count);
        Assert.Equal([(false, 500L, 50L), (true, 500L, 50L)], cached.Select(u => (u.IsCacheHit, u.InputTokens, u.OutputTokens)));
    }

    [Fact]
    public async Task A_model_call_in_a_void_method_through_a_lambda_belongs_to_the_method()
    {
        var (_, assembly) = s_scenario.Value;

        GeneratorHarness.Invoke(assembly, Program, "AnswerSynchronously", NewChat("gpt-4o-mini", 40, 4));

        UsageTotal usage = await UsageAsync("model_calls", "answer_sync");
        Assert.Equal((1L, 40L, 4L), (usage.Tokens.Calls, usage.Tokens.Input, usage.Tokens.Output));
    }

    [Fact]
    public async Task A_monitored_method_returning_the_response_of_a_model_call_counts_its_tokens_once()
    {
        var (_, assembly) = s_scenario.Value;

        await InvokeAsync<ChatResponse>(assembly, "CallReplyAsync", NewChat("gpt-4o-mini", 300, 30));

        UsageTotal usage = await UsageAsync("model_calls", "reply");
        Assert.Equal((1L, 300L, 30L), (usage.Tokens.Calls, usage.Tokens.Input, usage.Tokens.Output));
    }

    [Fact]
    public async Task A_stream_consumed_inside_the_method_gives_its_first_chunk_time_and_the_usage_of_its_last_update()
    {
        var (_, assembly) = s_scenario.Value;
        OperationRecorder call = OperationRegistry.Find("IChatClient.GetStreamingResponseAsync", "microsoft.extensions.ai")!;

        Assert.Equal("stream", await InvokeAsync<string>(assembly, "StreamAsync", NewChat("gpt-4.1-mini", 50, 4)));

        UsageTotal usage = await UsageAsync("model_calls", "stream");
        Assert.Equal(("gpt-4.1-mini", 1L, 50L, 4L), (usage.Model, usage.Tokens.Calls, usage.Tokens.Input, usage.Tokens.Output));
        OperationSnapshot stream = call.Snapshot();
        Assert.True(stream.Streams >= 1);
        Assert.True(stream.FirstItems >= 1);
    }

    [Fact]
    public async Task Embeddings_of_a_method_returning_a_vector_are_recorded_with_their_tokens()
    {
        var (_, assembly) = s_scenario.Value;
        var generator = Activator.CreateInstance(assembly.GetType("Scenarios.ModelCalls.FakeEmbeddings")!, "text-embedding-3-small", 7L)!;

        Assert.Equal(new[] { 0.5f, 0.25f }, await InvokeAsync<float[]>(assembly, "EmbedAsync", generator));

        // Two requests of 7 tokens: the batch's usage comes back in its result, the vector's only through the request
        // the extension method makes, which the call's tap reads.
        UsageTotal usage = await UsageAsync("model_calls", "embed");
        Assert.Equal(("text-embedding-3-small", 2L, 14L), (usage.Model, usage.Tokens.Calls, usage.Tokens.Input));
        Assert.Equal(OperationKind.ModelCall, OperationRegistry.Find("IEmbeddingGenerator.GenerateVectorAsync", "microsoft.extensions.ai")!.Kind);
        Assert.Equal("embeddings", OperationRegistry.Find("IEmbeddingGenerator.GenerateAsync", "microsoft.extensions.ai")!.GenAIOperation);
    }

    [Fact]
    public async Task Tools_from_method_groups_and_lambdas_keep_their_schema_and_count_each_invocation()
    {
        var (_, assembly) = s_scenario.Value;
        var weather = (AIFunction)GeneratorHarness.Invoke(assembly, Program, "WeatherTool")!;
        var add = (AIFunction)GeneratorHarness.Invoke(assembly, Program, "AddTool")!;
        OperationRecorder weatherCalls = OperationRegistry.Find("weather", "tools")!;
        long before = weatherCalls.Snapshot().Succeeded;

        Assert.Equal("sunny in Oslo", (await weather.InvokeAsync(new AIFunctionArguments { ["city"] = "Oslo" }))?.ToString());
        Assert.Equal("5", (await add.InvokeAsync(new AIFunctionArguments { ["a"] = 2, ["b"] = 3 }))?.ToString());

        Assert.Equal(("weather", true), (weather.Name, weather.JsonSchema.ToString().Contains("city", StringComparison.Ordinal)));
        Assert.Equal((OperationKind.Tool, "execute_tool"), (weatherCalls.Kind, weatherCalls.GenAIOperation));
        Assert.Equal(before + 1, weatherCalls.Snapshot().Succeeded);
        Assert.True(OperationRegistry.Find("add", "tools")!.Snapshot().Succeeded >= 1);
    }

    [Fact]
    public async Task An_agent_run_is_recorded_by_name_with_its_tools_as_children_and_its_tokens_in_the_enclosing_operation()
    {
        var (_, assembly) = s_scenario.Value;
        MonitoringRuntime.CallTreeEnabled = true;
        try
        {
            Assert.Equal("answer: weather in Oslo?", await InvokeAsync<string>(assembly, "RunAgentAsync", NewChat("gpt-4o-mini", 100, 10)));
        }
        finally
        {
            MonitoringRuntime.CallTreeEnabled = false;
        }

        OperationRecorder agent = OperationRegistry.Find("helper", "agents")!;
        OperationRecorder tool = OperationRegistry.Find("weather", "tools")!;
        Assert.Equal((OperationKind.Agent, "invoke_agent", 1L), (agent.Kind, agent.GenAIOperation, agent.Snapshot().Succeeded));
        Assert.Contains(CallTree.Edges(), e => e.Parent == agent.Id && e.Child == tool.Id && e.Count == 1);

        // Two model requests in the run (the tool call, then the answer): the run's usage adds them up.
        UsageTotal usage = await UsageAsync("model_calls", "agent");
        Assert.Equal((1L, 200L, 20L), (usage.Tokens.Calls, usage.Tokens.Input, usage.Tokens.Output));
    }

    [Fact]
    public async Task A_streamed_agent_run_is_recorded_with_the_usage_of_its_updates()
    {
        var (_, assembly) = s_scenario.Value;

        Assert.True(await InvokeAsync<int>(assembly, "StreamAgentAsync", NewChat("gpt-4o-mini", 60, 6)) >= 3);

        OperationRecorder agent = OperationRegistry.Find("streamer", "agents")!;
        Assert.Equal(1L, agent.Snapshot().Succeeded);
        UsageTotal usage = await UsageAsync("agents", "streamer");
        Assert.Equal((60L, 6L), (usage.Tokens.Input, usage.Tokens.Output));
    }

    [Fact]
    public async Task An_OpenAI_SDK_stream_is_measured_through_its_enumeration_with_the_usage_of_its_last_update()
    {
        var (_, assembly) = s_scenario.Value;
        var server = new StreamingServer("gpt-4o-mini", ["Hel", "lo"], input: 31, output: 2);
        OperationSnapshot? before = OperationRegistry.Find("ChatClient.CompleteChatStreamingAsync", "openai")?.Snapshot();

        Assert.Equal("Hello", await InvokeAsync<string>(assembly, "Scenarios.ModelCalls.OpenAICalls", "StreamAsync", server.Client()));

        OperationSnapshot after = OperationRegistry.Find("ChatClient.CompleteChatStreamingAsync", "openai")!.Snapshot();
        Assert.Equal((1L, 1L, 1L), (after.Succeeded - (before?.Succeeded ?? 0), after.Streams - (before?.Streams ?? 0), after.FirstItems - (before?.FirstItems ?? 0)));
        Assert.Equal(3L, after.StreamItems - (before?.StreamItems ?? 0));
        Assert.Contains("\"include_usage\":true", server.LastRequest, StringComparison.Ordinal);
        UsageTotal usage = await UsageAsync("model_calls", "openai_stream");
        Assert.Equal(("gpt-4o-mini", 1L, 31L, 2L), (usage.Model, usage.Tokens.Calls, usage.Tokens.Input, usage.Tokens.Output));
    }

    [Fact]
    public async Task A_synchronous_OpenAI_SDK_stream_in_a_method_without_any_attribute_is_one_model_call_with_its_tokens()
    {
        var (_, assembly) = s_scenario.Value;
        var server = new StreamingServer("gpt-4.1-nano", ["sy", "nc"], input: 17, output: 5);
        long before = OperationRegistry.Find("ChatClient.CompleteChatStreaming", "openai")?.Snapshot().Succeeded ?? 0;

        Assert.Equal("sync", GeneratorHarness.Invoke(assembly, "Scenarios.ModelCalls.OpenAICalls", "Stream", server.Client()));

        Assert.Equal(before + 1, OperationRegistry.Find("ChatClient.CompleteChatStreaming", "openai")!.Snapshot().Succeeded);
        UsageTotal usage = await UsageAsync("openai", "ChatClient.CompleteChatStreaming", "gpt-4.1-nano");
        Assert.Equal((1L, 17L, 5L), (usage.Tokens.Calls, usage.Tokens.Input, usage.Tokens.Output));
    }

    [Theory]
    [InlineData("StreamAsync", "ChatClient.CompleteChatStreamingAsync")]
    [InlineData("Stream", "ChatClient.CompleteChatStreaming")]
    public async Task An_OpenAI_SDK_stream_whose_request_fails_is_one_failed_model_call_and_the_caller_gets_the_failure(string method, string api)
    {
        var (_, assembly) = s_scenario.Value;
        var server = new StreamingServer("gpt-4o-mini", ["never"], input: 1, output: 1) { Status = System.Net.HttpStatusCode.TooManyRequests };
        OperationSnapshot? before = OperationRegistry.Find(api, "openai")?.Snapshot();

        var failure = await Assert.ThrowsAsync<ClientResultException>(async () =>
        {
            object? result = GeneratorHarness.Invoke(assembly, "Scenarios.ModelCalls.OpenAICalls", method, server.Client());
            if (result is Task task)
            {
                await task;
            }
        });

        Assert.Equal(429, failure.Status);
        OperationSnapshot after = OperationRegistry.Find(api, "openai")!.Snapshot();
        Assert.Equal((1L, 0L), (after.Failed - (before?.Failed ?? 0), after.Succeeded - (before?.Succeeded ?? 0)));
        Assert.Equal(0L, after.InFlight);
    }

    private static object NewChat(string model, long input, long output)
    {
        var (_, assembly) = s_scenario.Value;
        return Activator.CreateInstance(assembly.GetType("Scenarios.ModelCalls.FakeChatClient")!, model, input, output)!;
    }

    private static Task<T> InvokeAsync<T>(Assembly assembly, string method, params object?[] arguments) =>
        InvokeAsync<T>(assembly, Program, method, arguments);

    private static async Task<T> InvokeAsync<T>(Assembly assembly, string type, string method, params object?[] arguments)
    {
        var task = (Task)GeneratorHarness.Invoke(assembly, type, method, arguments)!;
        await task;
        return (T)task.GetType().GetProperty("Result")!.GetValue(task)!;
    }

    private async Task<UsageTotal> UsageAsync(string component, string operation, string? model = null)
    {
        await _system.CostTracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _system.CostTracker.Flush();
        return _system.CostTracker.GetTotals().Usage.Single(u => u.Component == component && u.Operation == operation && (model is null || u.Model == model));
    }

    [Fact]
    public void An_assembly_that_sees_the_internals_of_another_gets_helpers_of_its_own_without_a_conflict()
    {
        const string Chat = """
            using Microsoft.Extensions.AI;
            public static class Chat
            {
                public static async System.Threading.Tasks.Task<string> AskAsync(IChatClient client) => (await client.GetResponseAsync("hi")).Text;
            }
            """;
        GeneratorRun library = GeneratorHarness.Generate(GeneratorHarness.CreateCompilation(
            [("/lib/Chat.cs", "namespace Library\n{\n" + Chat + "}\n"), ("/lib/Visibility.cs", "[assembly: System.Runtime.CompilerServices.InternalsVisibleTo(\"App\")]\n")],
            SdkReferences(),
            assemblyName: "Library"));
        Assert.Empty(library.Problems);
        using var image = new MemoryStream();
        Assert.True(library.Output.Emit(image).Success);

        GeneratorRun app = GeneratorHarness.Generate(GeneratorHarness.CreateCompilation(
            [("/src/App.cs", "namespace App\n{\n" + Chat + "}\n")],
            [.. SdkReferences(), MetadataReference.CreateFromImage(image.ToArray())],
            assemblyName: "App"));

        Assert.Empty(app.Problems);
        Assert.Contains("internal static class MaranInterceptorHelpers", library.GeneratedText, StringComparison.Ordinal);
        Assert.Contains("internal static class MaranInterceptorHelpers", app.GeneratedText, StringComparison.Ordinal);
    }
}

/// <summary>
/// The chat completions endpoint of an OpenAI-compatible server, in process: every request is answered with a
/// server-sent event stream of <paramref name="chunks"/>, then a final chunk with the usage, as the API does with
/// <c>stream_options.include_usage</c>.
/// </summary>
internal sealed class StreamingServer(string model, string[] chunks, long input, long output) : HttpMessageHandler
{
    public string LastRequest { get; private set; } = string.Empty;

    /// <summary>The status every response has; an error status answers with the API's error body.</summary>
    public System.Net.HttpStatusCode Status { get; init; } = System.Net.HttpStatusCode.OK;

    public OpenAI.Chat.ChatClient Client() =>
        new(model, new ApiKeyCredential("test-key"), new OpenAI.OpenAIClientOptions
        {
            Endpoint = new Uri("http://127.0.0.1/v1"),
            Transport = new System.ClientModel.Primitives.HttpClientPipelineTransport(new HttpClient(this)),
            RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
        });

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        SendAsync(request, cancellationToken).GetAwaiter().GetResult();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        LastRequest = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        if (Status != System.Net.HttpStatusCode.OK)
        {
            return new HttpResponseMessage(Status)
            {
                Content = new StringContent("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit_error\"}}", System.Text.Encoding.UTF8, "application/json"),
            };
        }

        var events = new System.Text.StringBuilder();
        foreach (string chunk in chunks)
        {
            events.Append("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"").Append(model)
                .Append("\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").Append(chunk).Append("\"},\"finish_reason\":null}]}\n\n");
        }

        events.Append("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"").Append(model)
            .Append("\",\"choices\":[],\"usage\":{\"prompt_tokens\":").Append(input).Append(",\"completion_tokens\":").Append(output)
            .Append(",\"total_tokens\":").Append(input + output).Append("}}\n\ndata: [DONE]\n\n");
        return new HttpResponseMessage(System.Net.HttpStatusCode.OK)
        {
            Content = new StringContent(events.ToString(), System.Text.Encoding.UTF8, "text/event-stream"),
        };
    }
}

/// <summary>Build properties as the SDK hands them to generators (<c>build_property.*</c> global options).</summary>
internal sealed class BuildProperties(params (string Key, string Value)[] properties) : AnalyzerConfigOptionsProvider
{
    private readonly Options _global = new(properties.ToDictionary(p => p.Key, p => p.Value));

    public override AnalyzerConfigOptions GlobalOptions => _global;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static readonly Options Empty = new([]);

        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}

/// <summary>Keeps the usage events the cost tracker would receive, with the operation each is attributed to.</summary>
internal sealed class UsageRecorder : IUsageListener
{
    private readonly List<(OperationRecorder Owner, TokenUsage Usage)> _events = [];

    public bool WantsText => false;

    public void OnUsage(OperationRecorder recorder, in TokenUsage usage)
    {
        lock (_events)
        {
            _events.Add((recorder, usage));
        }
    }

    public List<TokenUsage> Of(string component, string operation)
    {
        lock (_events)
        {
            return [.. _events.Where(e => e.Owner.Component == component && e.Owner.Name == operation).Select(e => e.Usage)];
        }
    }
}

/// <summary>Tests that turn process-wide runtime switches on (call trees) run alone, so no other test's calls see them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RuntimeSwitches
{
    public const string Name = "Runtime switches";
}

/// <summary>
/// The other catalog families: Semantic Kernel's chat service (one content, a list, a stream), a prompt through the
/// kernel, and OllamaSharp's chat, generate and embed calls, compiled against the real packages and run where a fake can.
/// </summary>
[Collection(RuntimeSwitches.Name)]
public sealed class ModelCallFamilyTests : IDisposable
{
    private static readonly Lazy<(GeneratorRun Run, System.Reflection.Assembly Assembly)> s_scenario = new(() =>
    {
        MetadataReference[] references =
        [
            .. ModelCallTests.SdkReferences(),
            .. new[] { typeof(Microsoft.SemanticKernel.Kernel), typeof(Microsoft.SemanticKernel.KernelExtensions), typeof(OllamaSharp.IOllamaApiClient), typeof(LLama.InteractiveExecutor), typeof(Microsoft.ML.OnnxRuntime.InferenceSession) }
                .Select(t => t.Assembly.Location).Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)),
        ];
        var compilation = GeneratorHarness.CreateCompilation(
            [("/src/ModelCallFamilies.cs", GeneratorHarness.ScenarioSource("ModelCallFamilies"))], references, assemblyName: "ModelCallFamilies");

        // Semantic Kernel was built against an older Microsoft.Extensions.AI; the SDK's default NoWarn accepts that unification.
        compilation = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(
            new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress }));
        GeneratorRun run = GeneratorHarness.Generate(compilation);
        return (run, run.Load());
    });

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "maran-families-" + Guid.NewGuid().ToString("N"));
    private readonly AdvancedMonitoringSystem _system;

    public ModelCallFamilyTests()
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

    [Fact]
    public void Semantic_Kernel_and_OllamaSharp_calls_are_intercepted_with_their_readers_and_match_the_baseline()
    {
        var (run, _) = s_scenario.Value;

        Baseline.Verify("ModelCallFamilies", run);
        Assert.Empty(run.Problems);
        foreach (string reader in new[] { "ReadKernelContent)", "ReadKernelContents)", "ReadKernelStreamingContent)", "ReadKernelFunctionResult)", "ReadOllamaChatStream)", "ReadOllamaGenerateStream)", "ReadOllamaEmbed)" })
        {
            Assert.Contains(reader, run.GeneratedText, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("KernelChatAsync", "kernel_chat")]
    [InlineData("KernelContentsAsync", "kernel_contents")]
    [InlineData("KernelStreamAsync", "kernel_stream")]
    public async Task Tokens_a_Semantic_Kernel_connector_reports_in_metadata_belong_to_the_enclosing_operation(string method, string operation)
    {
        var (_, assembly) = s_scenario.Value;
        object service = Activator.CreateInstance(assembly.GetType("Scenarios.ModelCallFamilies.FakeChatService")!, 70L, 7L)!;

        var task = (Task)GeneratorHarness.Invoke(assembly, "Scenarios.ModelCallFamilies.Program", method, service)!;
        await task;

        await _system.CostTracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _system.CostTracker.Flush();
        UsageTotal usage = _system.CostTracker.GetTotals().Usage.Single(u => u.Component == "families" && u.Operation == operation);
        Assert.Equal(("gpt-4o-mini", 1L, 70L, 7L), (usage.Model, usage.Tokens.Calls, usage.Tokens.Input, usage.Tokens.Output));
    }
}
