using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Maran.Instrument.Configuration;
using Maran.Instrument.Errors;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Dashboard.Tests;

public class ErrorsSectionTests
{
    /// <summary>Fails one monitored call with <paramref name="exception"/>, thrown so that it has a stack, under <paramref name="context"/> tags.</summary>
    internal static void FailMonitoredCall(PerformanceProfiler profiler, string operation, string component, Exception exception, params (string Key, string Value)[] context)
    {
        var scopes = context.Select(static c => ErrorContext.Push(c.Key, c.Value)).ToList();
        try
        {
            OperationToken token = profiler.StartOperation(operation, component);
            try
            {
                AnswerTheQuestion(exception);
            }
            catch (Exception thrown)
            {
                profiler.EndOperation(token, OperationStatus.Error, thrown);
            }
        }
        finally
        {
            scopes.Reverse();
            scopes.ForEach(static s => s.Dispose());
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AnswerTheQuestion(Exception exception) => throw exception;

    private static async Task<TestDashboard> StartRunningAsync(Action<MonitoringOptions>? configure = null)
    {
        TestDashboard server = await TestDashboard.StartAsync(configure);
        server.System.Start();
        return server;
    }

    private static async Task<JsonElement> ViewAfterFlushAsync(TestDashboard server, string path)
    {
        await server.System.ErrorTracker.FlushAsync();
        server.Hub.Tick();
        return await server.GetJsonAsync(path);
    }

    [Fact]
    public async Task Failed_monitored_calls_are_counted_by_category_type_component_and_severity_and_per_hour()
    {
        await using TestDashboard server = await StartRunningAsync();
        PerformanceProfiler profiler = server.System.Profiler;
        for (int i = 0; i < 3; i++)
        {
            FailMonitoredCall(profiler, "generate", "model", new TimeoutException($"The model did not answer within {30 + i} s."));
        }

        FailMonitoredCall(profiler, "search", "tools", new ArgumentException("the city is empty"));

        JsonElement view = await ViewAfterFlushAsync(server, "api/errors");

        Assert.Equal(4, view.GetProperty("total").GetInt64());
        Assert.Equal(24, view.GetProperty("hours").GetInt32());
        Assert.Equal(3, Part(view, "byCategory", "timeout"));
        Assert.Equal(1, Part(view, "byCategory", "invalid_request"));
        Assert.Equal(3, Part(view, "byType", "System.TimeoutException"));
        Assert.Equal(3, Part(view, "byComponent", "model"));
        Assert.Equal(4, Part(view, "bySeverity", "error"));
        JsonElement trend = view.GetProperty("trend");
        Assert.Equal(24, trend.GetProperty("times").GetArrayLength());
        Assert.Equal(4, trend.GetProperty("counts").EnumerateArray().Sum(static c => c.GetInt64()));
        Assert.Contains(view.GetProperty("rates").EnumerateArray(), r => r.GetProperty("operation").GetString() == "generate" && r.GetProperty("errors").GetInt64() == 3);
    }

    [Fact]
    public async Task A_group_lists_its_first_and_last_seen_count_and_status_and_its_occurrences_carry_stack_context_and_trace()
    {
        await using TestDashboard server = await StartRunningAsync(o => o.Storage.Enabled = true);
        string operation = "answer-" + Guid.NewGuid().ToString("N")[..8];
        FailMonitoredCall(server.System.Profiler, operation, "agent", new TimeoutException("The model did not answer within 30 s."), ("conversation", "c-1"));
        FailMonitoredCall(server.System.Profiler, operation, "agent", new TimeoutException("The model did not answer within 45 s."), ("conversation", "c-2"));

        JsonElement list = await ViewAfterFlushAsync(server, "api/errors");
        JsonElement group = Assert.Single(list.GetProperty("groups").GetProperty("rows").EnumerateArray());
        string fingerprint = group.GetProperty("fingerprint").GetString()!;
        JsonElement selected = (await server.GetJsonAsync("api/errors?selected=" + fingerprint)).GetProperty("selected");

        Assert.Equal(2, group.GetProperty("count").GetInt64());
        Assert.Equal(2, group.GetProperty("countInWindow").GetInt64());
        Assert.Equal("new", group.GetProperty("status").GetString());
        Assert.Equal("timeout", group.GetProperty("category").GetString());
        Assert.Equal(operation, group.GetProperty("operation").GetString());
        Assert.True(group.GetProperty("lastSeen").GetDateTimeOffset() >= group.GetProperty("firstSeen").GetDateTimeOffset());
        Assert.True(selected.GetProperty("found").GetBoolean());
        JsonElement[] occurrences = [.. selected.GetProperty("occurrences").EnumerateArray()];
        Assert.Equal(2, occurrences.Length);
        JsonElement latest = occurrences[0];
        Assert.Equal("The model did not answer within 45 s.", latest.GetProperty("message").GetString());
        Assert.Contains(nameof(AnswerTheQuestion), latest.GetProperty("stackTrace").GetString(), StringComparison.Ordinal);
        Assert.Contains(latest.GetProperty("context").EnumerateArray(), t => t.GetProperty("name").GetString() == "conversation" && t.GetProperty("value").GetString() == "c-2");
        // A trace is kept for the first call of an operation (then at most one a second for it): follow the oldest.
        string traceId = occurrences[^1].GetProperty("traceId").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        JsonElement trace = await server.GetJsonAsync("api/traces/" + traceId);
        Assert.Contains(trace.GetProperty("spans").EnumerateArray(), s => s.GetProperty("name").GetString()!.Contains(operation, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Groups_are_filtered_sorted_and_paged_on_the_server()
    {
        await using TestDashboard server = await StartRunningAsync();
        string[] words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima"];
        foreach (string word in words)
        {
            FailMonitoredCall(server.System.Profiler, "paging", "errors", new InvalidOperationException($"the {word} step broke"));
        }

        FailMonitoredCall(server.System.Profiler, "paging", "errors", new InvalidOperationException("the alpha step broke"));
        await server.System.ErrorTracker.FlushAsync();
        server.Hub.Tick();

        JsonElement second = (await server.GetJsonAsync("api/errors?size=5&page=1&sort=lastSeen")).GetProperty("groups");
        JsonElement byCount = (await server.GetJsonAsync("api/errors?size=5&sort=count")).GetProperty("groups");
        JsonElement filtered = (await server.GetJsonAsync("api/errors?q=juliet")).GetProperty("groups");
        JsonElement beyond = (await server.GetJsonAsync("api/errors?size=5&page=99")).GetProperty("groups");

        Assert.Equal(12, second.GetProperty("total").GetInt32());
        Assert.Equal(1, second.GetProperty("page").GetInt32());
        Assert.Equal(5, second.GetProperty("rows").GetArrayLength());
        Assert.Contains("alpha", byCount.GetProperty("rows")[0].GetProperty("lastMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, byCount.GetProperty("rows")[0].GetProperty("count").GetInt64());
        Assert.Contains("juliet", Assert.Single(filtered.GetProperty("rows").EnumerateArray()).GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, beyond.GetProperty("page").GetInt32());
        Assert.Equal(2, beyond.GetProperty("rows").GetArrayLength());
    }

    [Fact]
    public async Task A_group_resolved_from_the_page_is_resolved_and_a_later_occurrence_makes_it_regressed()
    {
        await using TestDashboard server = await StartRunningAsync();
        FailMonitoredCall(server.System.Profiler, "resolve", "errors", new InvalidOperationException("the index is stale"));
        string fingerprint = (await ViewAfterFlushAsync(server, "api/errors")).GetProperty("groups").GetProperty("rows")[0].GetProperty("fingerprint").GetString()!;

        using HttpResponseMessage resolved = await server.PostAsPageAsync($"api/errors/groups/{fingerprint}/resolve", "{}");
        string afterResolve = (await ViewAfterFlushAsync(server, "api/errors?level=resolved")).GetProperty("groups").GetProperty("rows")[0].GetProperty("status").GetString()!;
        FailMonitoredCall(server.System.Profiler, "resolve", "errors", new InvalidOperationException("the index is stale"));
        string afterAgain = (await ViewAfterFlushAsync(server, "api/errors")).GetProperty("groups").GetProperty("rows")[0].GetProperty("status").GetString()!;
        using HttpResponseMessage unknown = await server.PostAsPageAsync("api/errors/groups/0123456789abcdef0123456789abcdef/resolve", "{}");

        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal("resolved", afterResolve);
        Assert.Equal("regressed", afterAgain);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Resolving_a_group_without_the_csrf_token_is_refused()
    {
        await using TestDashboard server = await StartRunningAsync();
        FailMonitoredCall(server.System.Profiler, "csrf", "errors", new InvalidOperationException("the cache is cold"));
        string fingerprint = (await ViewAfterFlushAsync(server, "api/errors")).GetProperty("groups").GetProperty("rows")[0].GetProperty("fingerprint").GetString()!;

        using HttpResponseMessage response = await server.Http.PostAsync(
            $"api/errors/groups/{fingerprint}/resolve", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        server.System.ErrorTracker.Flush();
        Assert.Equal(ErrorGroupStatus.New, server.System.ErrorTracker.GetGroup(fingerprint)!.Status);
    }

    [Fact]
    public async Task Another_window_is_summed_over_its_own_hours_and_bounded_to_thirty_days()
    {
        await using TestDashboard server = await StartRunningAsync();
        FailMonitoredCall(server.System.Profiler, "window", "errors", new TimeoutException("slow"));

        JsonElement hour = await ViewAfterFlushAsync(server, "api/errors?hours=1");
        JsonElement month = await server.GetJsonAsync($"api/errors?hours={SectionQuery.MaxHours}");
        using HttpResponseMessage longer = await server.Http.GetAsync("api/errors?hours=100000");

        Assert.Equal(1, hour.GetProperty("hours").GetInt32());
        Assert.Equal(1, hour.GetProperty("trend").GetProperty("counts").GetArrayLength());
        Assert.Equal(1, hour.GetProperty("total").GetInt64());
        Assert.Equal(SectionQuery.MaxHours, month.GetProperty("hours").GetInt32());
        Assert.Equal(SectionQuery.MaxHours, month.GetProperty("trend").GetProperty("times").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, longer.StatusCode);
    }

    [Fact]
    public async Task While_the_system_is_stopped_the_section_says_errors_are_tracked_while_it_runs()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();

        JsonElement view = await server.GetJsonAsync("api/errors");

        Assert.False(view.GetProperty("running").GetBoolean());
        Assert.Contains("AdvancedMonitoringSystem.Start", view.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, view.GetProperty("total").GetInt64());
    }

    private static long Part(JsonElement view, string distribution, string name) =>
        view.GetProperty(distribution).GetProperty("top").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name).GetProperty("count").GetInt64();
}
