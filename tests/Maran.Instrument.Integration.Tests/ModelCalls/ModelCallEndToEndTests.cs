using System.ClientModel;
using System.Reflection;
using Maran.Instrument.Generator.Tests;
using Microsoft.CodeAnalysis;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;

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

        await _system.CostTracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        IReadOnlyList<UsageTotal> usage = _system.CostTracker.GetTotals().Usage;
        var recorded = usage.GroupBy(u => u.Model).ToDictionary(g => g.Key, g => (g.Sum(u => u.Tokens.Input), g.Sum(u => u.Tokens.Output)));
        Assert.Equal(_server.Reported.OrderBy(r => r.Key), recorded.OrderBy(r => r.Key));

        // Each call belongs where it was made: to the monitored operation around it, else to the model call itself.
        Assert.Contains(usage, u => (u.Component, u.Operation, u.Model) == ("support", "stream_answer", "gpt-4.1-mini"));
        Assert.Contains(usage, u => (u.Component, u.Operation, u.Model) == ("support", "weather_question", "gpt-4.1"));
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
    public async Task A_stream_read_with_the_OpenAI_SDK_itself_records_the_tokens_the_server_reported_in_its_last_chunk()
    {
        OperationRecorder? call = OperationRegistry.Find("ChatClient.CompleteChatStreamingAsync", "openai");
        long streamsBefore = call?.Snapshot().Streams ?? 0;

        Assert.Equal("It is sunny in Oslo today ", await RunAsync<string>("StreamWithTheSdkAsync", _server.Endpoint, "gpt-4.1-nano"));

        await _system.CostTracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
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
