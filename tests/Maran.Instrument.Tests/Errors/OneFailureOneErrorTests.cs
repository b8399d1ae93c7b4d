using Maran.Instrument.Errors;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Tests.Errors;

/// <summary>
/// A failure is one error, recorded where it was raised; each monitored call it passes through still counts that it
/// failed, in the profiler and in its error rate.
/// </summary>
[Collection(TrackerCollection.Name)]
public class OneFailureOneErrorTests
{
    private static long ErrorsTotal(TrackerHarness harness) =>
        harness.Errors.GetErrorCounts().Where(c => c.Component == Nested.Component).Sum(c => c.Count);

    private static long FailedCalls(OperationRecorder recorder) => recorder.Snapshot().Failed;

    [Fact]
    public async Task A_failure_passing_through_an_enclosing_call_is_one_error_and_both_calls_count_it_failed()
    {
        using var harness = new TrackerHarness().Start();
        long answerFailed = FailedCalls(Nested.Answer), modelFailed = FailedCalls(Nested.Model);

        Assert.Throws<TimeoutException>(() => Nested.CallAnswer(() => Nested.CallModel(new TimeoutException("model did not answer"))));
        await harness.FlushAsync();

        harness.Errors.Flush();
        ErrorAnalytics analytics = harness.Errors.GetErrorAnalytics();
        Assert.Equal(1, ErrorsTotal(harness));
        Assert.Equal(1, analytics.ByComponent[Nested.Component]);
        Assert.Equal("model", Assert.Single(analytics.TopGroups).Operation);
        Assert.Equal((1L, 1L), (FailedCalls(Nested.Answer) - answerFailed, FailedCalls(Nested.Model) - modelFailed));
        Assert.Equal(1, analytics.ErrorRates.Single(r => r.Component == Nested.Component && r.Operation == "answer").Errors);
        Assert.Equal(1, analytics.ErrorRates.Single(r => r.Component == Nested.Component && r.Operation == "model").Errors);
    }

    [Fact]
    public async Task An_async_failure_awaited_by_an_enclosing_async_call_is_one_error()
    {
        using var harness = new TrackerHarness().Start();
        long answerFailed = FailedCalls(Nested.AnswerAsync);

        await Assert.ThrowsAsync<HttpRequestException>(() => Nested.CallAnswerAsync(async () =>
        {
            await Task.Yield();
            await Nested.CallModelAsync("500 from the model server");
        }));
        await harness.FlushAsync();

        Assert.Equal(1, ErrorsTotal(harness));
        harness.Errors.Flush();
        Assert.Equal("model_async", Assert.Single(harness.Errors.GetErrorAnalytics().TopGroups).Operation);
        Assert.Equal(1, FailedCalls(Nested.AnswerAsync) - answerFailed);
    }

    [Fact]
    public async Task A_failure_wrapped_in_a_new_exception_by_the_enclosing_call_is_the_same_error()
    {
        using var harness = new TrackerHarness().Start();

        Assert.Throws<InvalidOperationException>(() => Nested.CallAnswer(() =>
        {
            try
            {
                Nested.CallModel(new TimeoutException("model did not answer"));
            }
            catch (TimeoutException inner)
            {
                throw new InvalidOperationException("the answer could not be written", inner);
            }
        }));
        await harness.FlushAsync();

        Assert.Equal(1, ErrorsTotal(harness));
        harness.Errors.Flush();
        Assert.Equal("System.TimeoutException", Assert.Single(harness.Errors.GetErrorAnalytics().TopGroups).Type);
    }

    [Fact]
    public async Task Failures_gathered_in_an_aggregate_by_the_enclosing_call_are_counted_once_each()
    {
        using var harness = new TrackerHarness().Start();

        Assert.Throws<AggregateException>(() => Nested.CallAnswer(() =>
            Task.WhenAll(Nested.CallModelAsync("first 500"), Nested.CallModelAsync("second 500")).Wait()));
        await harness.FlushAsync();

        Assert.Equal(2, ErrorsTotal(harness));
        harness.Errors.Flush();
        Assert.Equal(2, harness.Errors.GetErrorAnalytics().ByComponent[Nested.Component]);
    }

    [Fact]
    public async Task The_same_exception_instance_thrown_by_two_separate_calls_is_two_errors()
    {
        using var harness = new TrackerHarness().Start();
        var cached = new TimeoutException("the model pool is exhausted");

        Assert.Throws<TimeoutException>(() => Nested.CallModel(cached));
        Assert.Throws<TimeoutException>(() => Nested.CallModel(cached));
        await harness.FlushAsync();

        Assert.Equal(2, ErrorsTotal(harness));
    }

    [Fact]
    public async Task Tracking_by_hand_an_exception_a_monitored_call_recorded_adds_no_second_error()
    {
        using var harness = new TrackerHarness().Start();

        Exception caught = Assert.Throws<TimeoutException>(() => Nested.CallModel(new TimeoutException("model did not answer")));
        harness.Errors.TrackError(caught, component: Nested.Component);
        harness.Errors.TrackError(new TimeoutException("a second, separate timeout"), component: Nested.Component);
        await harness.FlushAsync();

        Assert.Equal(2, ErrorsTotal(harness));
        harness.Errors.Flush();
        Assert.Equal(2, harness.Errors.GetErrorAnalytics().TotalErrors);
    }
}
