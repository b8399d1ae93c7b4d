using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Maran.Instrument.Benchmarks.Workloads;
using Maran.Instrument.Telemetry;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

// The calls measured are model calls on their own, outside any monitored operation, as MARAN001 reports: that is the point.
#pragma warning disable MARAN001

namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>
/// One Microsoft.Extensions.AI chat call on a client whose response is already there (a completed
/// <c>Task&lt;ChatResponse&gt;</c> with usage), measured three ways: <c>Bare</c> (the call, left alone with
/// <c>[DoNotMonitor]</c>), <c>Maran</c> (the same call, intercepted: timed, counted, its usage read and priced by the
/// running system's cost tracker) and <c>UseOpenTelemetry</c> (the call through Microsoft.Extensions.AI's
/// <c>OpenTelemetryChatClient</c>, left alone by the toolkit). With <see cref="Listening"/>, the OpenTelemetry SDK
/// records both sources' spans and metrics (exported nowhere); without, nothing listens to either.
/// </summary>
[MemoryDiagnoser]
public class ModelCallBenchmarks
{
    private const string PipelineSource = "Maran.Instrument.Benchmarks.ChatPipeline";

    private readonly List<ChatMessage> _messages = [new(ChatRole.User, "How is the weather in Oslo?")];
    private InMemorySystem? _system;
    private IChatClient _client = null!;
    private IChatClient _pipeline = null!;
    private TracerProvider? _tracing;
    private MeterProvider? _metrics;

    /// <summary>Whether an OpenTelemetry SDK listens to the toolkit's and the pipeline's sources.</summary>
    [Params(false, true)]
    public bool Listening { get; set; }

    /// <summary>Starts a monitoring system (its cost tracker reads and prices usage, storage off) and, when listening, the OpenTelemetry providers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _system = InMemorySystem.Start("model");
        _client = new CompletedChatClient();
        _pipeline = new ChatClientBuilder(new CompletedChatClient()).UseOpenTelemetry(sourceName: PipelineSource).Build();
        if (Listening)
        {
            _tracing = Sdk.CreateTracerProviderBuilder()
                .AddSource(MaranTelemetry.SourceName, PipelineSource)
                .AddProcessor(new BatchActivityExportProcessor(new Discarding<Activity>()))
                .Build();
            _metrics = Sdk.CreateMeterProviderBuilder()
                .AddMeter(MaranTelemetry.SourceName, PipelineSource)
                .AddReader(new PeriodicExportingMetricReader(new Discarding<Metric>(), exportIntervalMilliseconds: 60_000))
                .Build();
        }
    }

    /// <summary>Stops the providers and the system.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _tracing?.Dispose();
        _metrics?.Dispose();
        _system?.Dispose();
        _pipeline.Dispose();
    }

    /// <summary>The call, not intercepted.</summary>
    [Benchmark(Baseline = true)]
    [DoNotMonitor]
    public Task<ChatResponse> Bare() => _client.GetResponseAsync(_messages);

    /// <summary>The same call, intercepted by the generator.</summary>
    [Benchmark]
    public Task<ChatResponse> Maran() => _client.GetResponseAsync(_messages);

    /// <summary>The call through <c>UseOpenTelemetry()</c>, not intercepted.</summary>
    [Benchmark]
    [DoNotMonitor]
    public Task<ChatResponse> UseOpenTelemetry() => _pipeline.GetResponseAsync(_messages);

    // A chat client whose response is already there: the same completed task every call, so only the wrappers cost.
    private sealed class CompletedChatClient : IChatClient
    {
        private static readonly ChatClientMetadata s_metadata = new("openai", new Uri("http://127.0.0.1/v1"), "gpt-4o-mini");

        private readonly Task<ChatResponse> _response = Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "It is sunny in Oslo today"))
        {
            ModelId = "gpt-4o-mini",
            Usage = new UsageDetails { InputTokenCount = 12, OutputTokenCount = 7, TotalTokenCount = 19 },
            FinishReason = ChatFinishReason.Stop,
        });

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => _response;

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceKey is null && serviceType == typeof(ChatClientMetadata) ? s_metadata : serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

        public void Dispose()
        {
        }
    }

    private sealed class Discarding<T> : BaseExporter<T>
        where T : class
    {
        public override ExportResult Export(in Batch<T> batch) => ExportResult.Success;
    }
}
