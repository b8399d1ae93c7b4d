using System.Runtime.CompilerServices;
using Maran.Instrument.Costs;
using Maran.Instrument.Profiling;
using Maran.Instrument.Telemetry;
using Maran.Instrument.Tests.Errors;

namespace Maran.Instrument.Tests.Costs;

/// <summary>
/// What the money figures count: a response the application's cache served is a cache hit, counted and never billed;
/// a stream that failed before it reported anything is no model call of its own.
/// </summary>
[Collection(TrackerCollection.Name)]
public class CostTruthTests
{
    private const string Model = "gpt-4o-mini";
    private static readonly decimal Billed = ((1000 * 0.15m) + (200 * 0.60m)) / 1_000_000m;

    [Fact]
    public async Task A_cached_response_is_a_cache_hit_per_model_and_operation_with_its_tokens_and_no_cost()
    {
        using var harness = new TrackerHarness().Start();
        IUsageListener listener = harness.Costs;
        OperationRecorder answer = OperationRegistry.GetOrAdd("answer", "costs_cache_" + Guid.NewGuid().ToString("N")[..8]);

        listener.OnUsage(answer, new TokenUsage(1000, 200, model: Model));
        listener.OnUsage(answer, new TokenUsage(1000, 200, model: Model).AsCacheHit());
        listener.OnUsage(answer, new TokenUsage(1000, 200, model: Model).AsCacheHit());

        harness.Costs.Flush();
        CostSummary summary = harness.Costs.GetCostSummary();
        ModelCost model = Assert.Single(summary.ByModel);
        Assert.Equal((3L, 2L, 2400L, 1000L, 200L), (model.Tokens.Calls, model.Tokens.CacheHits, model.Tokens.CacheHitTokens, model.Tokens.Input, model.Tokens.Output));
        Assert.Equal(Billed, model.CostUsd);
        Assert.Equal(Billed, summary.TotalUsd);
        OperationCost operation = Assert.Single(summary.ByOperation, o => o.Component == answer.Component);
        Assert.Equal((3L, 1200L, 2L, 2400L, Billed), (operation.Calls, operation.Tokens, operation.CacheHits, operation.CacheHitTokens, operation.CostUsd));
        Assert.Empty(summary.UnpricedModels);

        await harness.FlushAsync();
        harness.Restart();
        harness.Costs.Flush();
        ModelCost reloaded = Assert.Single(harness.Costs.GetCostSummary().ByModel);
        Assert.Equal((2L, 2400L, Billed), (reloaded.Tokens.CacheHits, reloaded.Tokens.CacheHitTokens, reloaded.CostUsd));
    }

    [Fact]
    public async Task A_stream_that_fails_before_reporting_usage_creates_no_model_row_and_one_that_reported_some_keeps_it()
    {
        using var harness = new TrackerHarness().Start();
        string component = "costs_stream_" + Guid.NewGuid().ToString("N")[..8];
        OperationRecorder failedEarly = OperationRegistry.GetOrAdd("stream_early", component);
        OperationRecorder failedLate = OperationRegistry.GetOrAdd("stream_late", component);

        await Assert.ThrowsAsync<HttpRequestException>(() => Drain(OperationScope.Start(failedEarly).Track(Updates(usageFirst: false), ReadUsage)));
        await Assert.ThrowsAsync<HttpRequestException>(() => Drain(OperationScope.Start(failedLate).Track(Updates(usageFirst: true), ReadUsage)));

        harness.Costs.Flush();
        CostSummary summary = harness.Costs.GetCostSummary();
        Assert.DoesNotContain(summary.ByOperation, o => o.Component == component && o.Operation == "stream_early");
        OperationCost late = Assert.Single(summary.ByOperation, o => o.Component == component);
        Assert.Equal(("stream_late", 1L, 1200L, Billed), (late.Operation, late.Calls, late.Tokens, late.CostUsd));
        Assert.DoesNotContain(summary.ByModel, m => m.Model == "(unknown)");
    }

    [Fact]
    public void A_model_call_made_inside_another_by_the_applications_middleware_adds_no_row_of_its_own()
    {
        using var harness = new TrackerHarness().Start();
        string component = "costs_nested_" + Guid.NewGuid().ToString("N")[..8];
        OperationRecorder chat = OperationRegistry.GetOrAddCall(OperationKind.ModelCall, "IChatClient.GetResponseAsync", component, null, null, "chat");
        Task<TokenUsage> response = Task.FromResult(new TokenUsage(1000, 200, model: Model));

        // The outer call reaches a middleware whose own call of the inner client is intercepted too: that inner call
        // reads nothing, since the outer one reports the same response.
        OperationScope outer = OperationScope.StartCall(chat, null);
        OperationScope inner = OperationScope.StartCall(chat, null);
        Task<TokenUsage> innerTask = inner.Track(response, static (usage, _) => usage);
        inner.Detach();
        outer.Track(innerTask, static (usage, _) => usage);
        outer.Detach();

        harness.Costs.Flush();
        CostSummary summary = harness.Costs.GetCostSummary();
        OperationCost calls = Assert.Single(summary.ByOperation, o => o.Component == component);
        Assert.Equal((1L, 1200L, Billed), (calls.Calls, calls.Tokens, calls.CostUsd));
        Assert.DoesNotContain(summary.ByModel, m => m.Model == "(unknown)");
    }

    private static TokenUsage ReadUsage(Update update, bool includeText) => update.Usage;

    private static async Task Drain(IAsyncEnumerable<Update> stream)
    {
        await foreach (Update update in stream)
        {
            _ = update;
        }
    }

    // A model stream that breaks with a 500: after a usage update, or after text that carries none.
    private static async IAsyncEnumerable<Update> Updates(bool usageFirst, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        yield return new Update(usageFirst ? new TokenUsage(1000, 200, model: Model) : default);
        throw new HttpRequestException("the stream broke", null, System.Net.HttpStatusCode.InternalServerError);
    }

    private sealed record Update(TokenUsage Usage);
}
