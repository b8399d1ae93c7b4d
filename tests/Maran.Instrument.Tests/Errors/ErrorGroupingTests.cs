using System.Diagnostics;
using System.Runtime.CompilerServices;
using Maran.Instrument.Errors;
using Maran.Instrument.Profiling;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Tests.Errors;

[Collection(TrackerCollection.Name)]
public class ErrorGroupingTests
{
    [Fact]
    public void Numbers_guids_urls_emails_hex_and_quoted_strings_are_normalised()
    {
        string normalized = MessageNormalizer.Normalize(
            "User 42 (ada@example.com) got 'gpt-4o' error 0x80004005 from https://api.example.com/v1/chat?id=7 " +
            "for request 3f2504e0-4f89-11d3-9a0c-0305e82c3301, id req_8f3b2c1d9e7a in \"east-us\" after 1.5 s; the model's limit");

        Assert.Equal(
            "User <num> (<email>) got <str> error <hex> from <url> for request <guid>, id <id> in <str> after <num> s; the model's limit",
            normalized);
    }

    [Fact]
    public void The_same_bug_with_different_ids_in_its_message_is_one_group()
    {
        using var harness = new TrackerHarness().Start();

        harness.Errors.TrackError(Failures.UserNotFound(1), component: "grouping_same");
        harness.Errors.TrackError(Failures.UserNotFound(3), component: "grouping_same");
        harness.Errors.TrackError(Failures.UserNotFound(1234567), component: "grouping_same");

        harness.Errors.Flush();
        ErrorGroup group = Assert.Single(harness.Errors.GetErrorAnalytics().TopGroups);
        Assert.Equal(3, group.Count);
        Assert.Equal("System.Collections.Generic.KeyNotFoundException: User <num> not found at <url> (request <guid>)", group.Title);
    }

    [Fact]
    public void Throws_on_different_lines_of_one_method_are_one_group_because_lines_are_ignored()
    {
        using var harness = new TrackerHarness().Start();

        harness.Errors.TrackError(Failures.UserNotFound(2), component: "grouping_lines");
        harness.Errors.TrackError(Failures.UserNotFound(3), component: "grouping_lines");

        harness.Errors.Flush();
        Assert.Equal(2, Assert.Single(harness.Errors.GetErrorAnalytics().TopGroups).Count);
    }

    [Fact]
    public void The_same_message_thrown_from_another_method_is_another_group()
    {
        using var harness = new TrackerHarness().Start();

        harness.Errors.TrackError(Failures.UserNotFound(1), component: "grouping_other_site");
        harness.Errors.TrackError(Failures.UserNotFoundElsewhere(1), component: "grouping_other_site");

        harness.Errors.Flush();
        Assert.Equal(2, harness.Errors.GetErrorAnalytics().TopGroups.Count);
    }

    [Fact]
    public void A_different_message_from_the_same_place_is_another_group()
    {
        using var harness = new TrackerHarness().Start();

        harness.Errors.TrackError(Failures.Caught(() => Throw("model unavailable")), component: "grouping_message");
        harness.Errors.TrackError(Failures.Caught(() => Throw("model unavailable")), component: "grouping_message");
        harness.Errors.TrackError(Failures.Caught(() => Throw("tool failed")), component: "grouping_message");

        harness.Errors.Flush();
        Assert.Equal([2L, 1L], harness.Errors.GetErrorAnalytics().TopGroups.Select(g => g.Count));
    }

    [Fact]
    public void Errors_without_an_exception_group_by_type_component_and_normalised_message()
    {
        using var harness = new TrackerHarness().Start();

        harness.Errors.TrackError("ToolError", ErrorSeverity.Warning, "search", "search returned 0 results for 'cats'");
        harness.Errors.TrackError("ToolError", ErrorSeverity.Warning, "search", "search returned 12 results for 'dogs'");
        harness.Errors.TrackError("ToolError", ErrorSeverity.Warning, "browse", "search returned 0 results for 'cats'");

        harness.Errors.Flush();
        Assert.Equal([2L, 1L], harness.Errors.GetErrorAnalytics().TopGroups.Select(g => g.Count));
    }

    [Fact]
    public void A_failure_escaping_a_monitored_call_is_tracked_with_its_operation_category_and_span()
    {
        using var harness = new TrackerHarness().Start();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MaranTelemetry.ActivitySource.Name,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);

        Assert.Throws<KeyNotFoundException>(() => Intercepted.CallLookup(5));

        harness.Errors.Flush();
        TrackedError error = Assert.Single(harness.Errors.GetRecentErrors(), e => e.Component == "errors_agent" && e.Operation == "lookup");
        Assert.Equal("System.Collections.Generic.KeyNotFoundException", error.Type);
        Assert.Equal(ErrorSeverity.Error, error.Severity);
        Assert.Equal(32, error.TraceId?.Length);
        Assert.Equal(16, error.SpanId?.Length);
        Assert.NotNull(error.DurationMs);
        Assert.Contains("UserStore.Find", error.StackTrace, StringComparison.Ordinal);
        Assert.Contains("Agent.Lookup", error.StackTrace, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(A_failure_escaping_a_monitored_call_is_tracked_with_its_operation_category_and_span), error.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_failure_reached_from_different_callers_is_one_group_as_its_stack_is_cut_at_the_monitored_call()
    {
        using var harness = new TrackerHarness().Start();

        Assert.Throws<KeyNotFoundException>(() => CallerOne(1));
        Assert.Throws<KeyNotFoundException>(() => CallerTwo(3));

        harness.Errors.Flush();
        ErrorGroup group = Assert.Single(harness.Errors.GetErrorAnalytics().TopGroups, g => g.Operation == "lookup");
        Assert.Equal(2, group.Count);
    }

    [Fact]
    public async Task The_same_async_failure_awaited_by_different_callers_is_one_group()
    {
        using var harness = new TrackerHarness().Start();

        // The callers' awaits race the tracker for the exception's stack as the task completes; many rounds give the race its chances.
        for (int round = 0; round < 200; round++)
        {
            await Assert.ThrowsAsync<KeyNotFoundException>(() => AsyncCallerOne((2 * round) + 1));
            await Assert.ThrowsAsync<KeyNotFoundException>(() => AsyncCallerTwo((2 * round) + 3));
        }

        harness.Errors.Flush();
        ErrorGroup group = Assert.Single(harness.Errors.GetErrorAnalytics().TopGroups, g => g.Operation == "lookup_async");
        Assert.Equal(400, group.Count);
        harness.Errors.Flush();
        TrackedError error = harness.Errors.GetRecentErrors(fingerprint: group.Fingerprint)[0];
        Assert.Contains("Agent.LookupAsync", error.StackTrace, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(AsyncCallerTwo), error.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancellations_are_info_and_category_cancelled()
    {
        using var harness = new TrackerHarness().Start();
        OperationRecorder recorder = OperationRegistry.GetOrAdd("cancel", "errors_cancel");

        var scope = OperationScope.Start(recorder);
        scope.Fail(new OperationCanceledException("the user stopped the answer"));

        harness.Errors.Flush();
        TrackedError error = Assert.Single(harness.Errors.GetRecentErrors(), e => e.Component == "errors_cancel");
        Assert.Equal((ErrorSeverity.Info, ErrorCategory.Cancelled), (error.Severity, error.Category));
    }

    [Fact]
    public void Context_from_the_ambient_scope_and_the_call_is_kept_and_arguments_are_not()
    {
        using var harness = new TrackerHarness().Start();

        using (ErrorContext.Push("conversation", "c-17"))
        using (ErrorContext.Push("user", "outer"))
        using (ErrorContext.Push("user", "inner"))
        {
            Assert.Throws<KeyNotFoundException>(() => Intercepted.CallLookup(424242));
            harness.Errors.TrackError("ToolError", ErrorSeverity.Warning, "errors_context", "tool failed", context: new Dictionary<string, string> { ["tool"] = "search" });
        }

        harness.Errors.Flush();
        TrackedError automatic = Assert.Single(harness.Errors.GetRecentErrors(), e => e.Operation == "lookup");
        Assert.Equal(new Dictionary<string, string> { ["conversation"] = "c-17", ["user"] = "inner" }, automatic.Context);
        Assert.DoesNotContain("424242", string.Join(",", automatic.Context!.Values), StringComparison.Ordinal);
        harness.Errors.Flush();
        TrackedError manual = Assert.Single(harness.Errors.GetRecentErrors(), e => e.Component == "errors_context");
        Assert.Equal("search", manual.Context!["tool"]);
        Assert.Equal("c-17", manual.Context["conversation"]);
    }

    [Fact]
    public void Wrapped_exceptions_are_kept_as_inner_errors_and_categorise_the_failure()
    {
        using var harness = new TrackerHarness().Start();
        var wrapped = new InvalidOperationException("agent step failed", Failures.RateLimited());

        harness.Errors.TrackError(wrapped, component: "errors_inner");

        harness.Errors.Flush();
        TrackedError error = Assert.Single(harness.Errors.GetRecentErrors(), e => e.Component == "errors_inner");
        Assert.Equal(ErrorCategory.RateLimited, error.Category);
        InnerError inner = Assert.Single(error.InnerExceptions);
        Assert.Equal("System.Net.Http.HttpRequestException", inner.Type);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(string message) => throw new InvalidOperationException(message);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string CallerOne(int id) => Intercepted.CallLookup(id);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string CallerTwo(int id) => "via two: " + Intercepted.CallLookup(id);

    private static async Task<string> AsyncCallerOne(int id) => await Intercepted.CallLookupAsync(id);

    private static async Task<string> AsyncCallerTwo(int id)
    {
        string found = await Intercepted.CallLookupAsync(id);
        return "via two: " + found;
    }
}
