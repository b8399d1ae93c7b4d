using Maran.Instrument;
using Maran.Instrument.Profiling;
using Microsoft.Extensions.AI;

// Two ways to call the same model. The build warns (MARAN001) about the first: nothing times it.
var monitoring = AdvancedMonitoringSystem.Default;
monitoring.Start();

IChatClient model = new EchoChatClient();
var assistant = new Assistant(model);
Console.WriteLine(await assistant.AskUnmonitoredAsync("What is an interceptor?"));
Console.WriteLine(await assistant.AskAsync("What does MARAN001 mean?"));

foreach (OperationSummary op in monitoring.Profiler.GetPerformanceSummary().Operations)
{
    Console.WriteLine($"{op.Component}/{op.Name}: {op.Count} call(s), p50 {op.P50Ms:F3} ms");
}

monitoring.Stop();

/// <summary>An assistant that asks a chat model, once without monitoring and once with it.</summary>
internal sealed class Assistant(IChatClient model)
{
    // warning MARAN001: 'IChatClient.GetResponseAsync' calls a model outside any monitored operation.
    public async Task<string> AskUnmonitoredAsync(string question) =>
        (await model.GetResponseAsync([new ChatMessage(ChatRole.User, question)])).Text;

    // Monitored: every call of AskAsync is timed and counted as operation "ask" of component "assistant".
    [MonitorOperation("ask", "assistant")]
    public async Task<string> AskAsync(string question) =>
        (await model.GetResponseAsync([new ChatMessage(ChatRole.User, question)])).Text;
}

/// <summary>A stand-in model that answers by echoing, so the sample runs without a model server.</summary>
internal sealed class EchoChatClient : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "echo: " + messages.Last().Text)));

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ChatResponse response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (ChatResponseUpdate update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
