using Maran.Instrument.Costs;
using Maran.Instrument.Profiling;
using Maran.Instrument.Telemetry;
using Maran.Instrument.Tests.Errors;
using Microsoft.ML.Tokenizers;

namespace Maran.Instrument.Tests.Costs;

/// <summary>Responses that report no usage: counted with a tokenizer when estimation is on, marked estimated; counted as calls without usage when off.</summary>
public class TokenEstimationTests
{
    private const string Answer = "The capital of France is Paris. It has been the capital since the tenth century.";

    [Fact]
    public async Task With_estimation_on_the_output_of_an_unreported_response_is_counted_with_its_model_tokenizer_and_marked()
    {
        using var harness = new TrackerHarness(o => o.Costs.EstimateTokens = true).Start();
        IUsageListener listener = harness.Costs;
        Assert.True(listener.WantsText);

        listener.OnUsage(OperationRegistry.GetOrAdd("answer", "costs_estimated"), TokenUsage.Unreported("gpt-4o", Answer));

        harness.Costs.Flush();
        ModelCost model = Assert.Single(harness.Costs.GetCostSummary().ByModel);
        int expected = TiktokenTokenizer.CreateForModel("gpt-4o").CountTokens(Answer);
        Assert.Equal((1L, 0L, (long)expected), (model.Tokens.EstimatedCalls, model.Tokens.Input, model.Tokens.Output));
        Assert.Equal(expected * 10.00m / 1_000_000m, model.CostUsd);
        await harness.FlushAsync();
        Assert.Equal(1, harness.Scalar("SELECT COUNT(*) FROM cost_events WHERE estimated = 1"));
    }

    [Fact]
    public void A_model_the_tokenizer_does_not_know_is_counted_with_the_configured_encoding()
    {
        using var harness = new TrackerHarness(o => o.Costs.EstimateTokens = true).Start();
        IUsageListener listener = harness.Costs;

        listener.OnUsage(OperationRegistry.GetOrAdd("answer", "costs_estimated_local"), TokenUsage.Unreported("llama3.1:8b", Answer));

        int expected = TiktokenTokenizer.CreateForEncoding("o200k_base").CountTokens(Answer);
        harness.Costs.Flush();
        Assert.Equal(expected, Assert.Single(harness.Costs.GetCostSummary().ByModel).Tokens.Output);
    }

    [Fact]
    public void With_estimation_off_an_unreported_response_is_a_call_without_usage()
    {
        using var harness = new TrackerHarness().Start();
        IUsageListener listener = harness.Costs;
        Assert.False(listener.WantsText);

        listener.OnUsage(OperationRegistry.GetOrAdd("answer", "costs_unreported"), TokenUsage.Unreported("gpt-4o"));

        harness.Costs.Flush();
        ModelCost model = Assert.Single(harness.Costs.GetCostSummary().ByModel);
        Assert.Equal((1L, 1L, 0L, 0L), (model.Tokens.Calls, model.Tokens.CallsWithoutUsage, model.Tokens.EstimatedCalls, model.Tokens.Output));
        Assert.Empty(harness.Costs.Warnings);
    }

    [Fact]
    public void Tokens_recorded_by_hand_as_estimated_are_marked_so()
    {
        using var harness = new TrackerHarness().Start();

        harness.Costs.RecordTokens("gpt-4o", 120, 40, estimated: true);

        harness.Costs.Flush();
        Assert.Equal(1, harness.Costs.GetCostSummary().Tokens.EstimatedCalls);
    }
}
