using Maran.Instrument;
using Maran.Instrument.Costs;
using Maran.Instrument.Profiling;
using Microsoft.Extensions.AI;

namespace Maran.Examples;

/// <summary>
/// Example 2, wrapping an existing model: a chat client from a library cannot carry the attribute, so either a thin
/// wrapper of your own carries it, or a block of code is timed with <see cref="PerformanceProfiler.Operation"/>.
/// </summary>
public static class WrapExistingModel
{
    public static async Task<int> RunAsync()
    {
        using var monitoring = new AdvancedMonitoringSystem(options => options.Monitoring.MetricsPort = 0);
        monitoring.Start();
        IChatClient existing = new EchoChatClient();

        // 1. A wrapper whose method carries the attribute: every call of it is intercepted, tokens and all.
        var model = new MonitoredChatModel(existing);
        for (int i = 0; i < 5; i++)
        {
            await model.AskAsync($"question {i}");
        }

        // 2. Code that cannot be changed at all: time the block.
        for (int i = 0; i < 5; i++)
        {
            using OperationHandle op = monitoring.Profiler.Operation("ask_block", "wrapped");
            await existing.GetResponseAsync($"question {i}");
        }

        foreach (OperationSummary op in monitoring.Profiler.GetPerformanceSummary().Operations.Where(o => o.Component == "wrapped"))
        {
            Console.WriteLine($"{op.Name}: {op.Count} calls, mean {op.MeanMs:F3} ms");
        }

        monitoring.Stop();
        ModelCost echo = monitoring.CostTracker.GetCostSummary(1).ByModel.Single(m => m.Model == EchoChatClient.ModelName);
        Console.WriteLine($"tokens the interceptor read from the wrapper's responses: {echo.Tokens.Input} in, {echo.Tokens.Output} out; cost {(echo.CostUsd is { } usd ? $"${usd}" : "not priced (echo-1 has no price)")}");
        return 0;
    }

    /// <summary>The thin wrapper: one monitored method in front of the library's client.</summary>
    public sealed class MonitoredChatModel(IChatClient client)
    {
        [MonitorOperation("ask", "wrapped", Model = EchoChatClient.ModelName)]
        public Task<ChatResponse> AskAsync(string question) => client.GetResponseAsync(question);
    }

    /// <summary>Stands in for a library's client: answers by echoing, and reports its token usage.</summary>
    public sealed class EchoChatClient : IChatClient
    {
        public const string ModelName = "echo-1";

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            await Task.Delay(2, cancellationToken);
            string text = string.Join(' ', messages.Select(m => m.Text));
            int words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
            {
                ModelId = ModelName,
                Usage = new UsageDetails { InputTokenCount = words, OutputTokenCount = words, TotalTokenCount = 2 * words },
            };
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The echo client does not stream.");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
