using System.Text.Json;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>
/// The agents section's API over runs of a real Agent Framework agent, intercepted by the generator: each run with its
/// model calls and tools as steps, its tokens and cost, its failures, and the totals of the conversation it belongs to.
/// </summary>
public sealed class AgentsSectionTests
{
    [Fact]
    public async Task An_agent_run_is_listed_with_its_model_calls_and_tool_as_steps_under_it_in_the_order_they_ran()
    {
        await using TestDashboard server = await StartAsync();
        string agent = Unique("weather");

        Assert.Equal("It is sunny in Oslo", await WeatherAgent.AskAsync(agent, "Oslo"));

        JsonElement run = await RunAsync(server, agent);
        JsonElement[] steps = [.. run.GetProperty("steps").EnumerateArray()];
        Assert.Equal(["agent", "model_call", "tool", "model_call"], steps.Select(s => s.GetProperty("kind").GetString()));
        Assert.Equal([agent, "IChatClient.GetResponseAsync", "weather", "IChatClient.GetResponseAsync"], steps.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal([-1, 0, 0, 0], steps.Select(s => s.GetProperty("parent").GetInt32()));
        Assert.All(steps, s => Assert.Equal("success", s.GetProperty("status").GetString()));
        Assert.Equal("scripted", steps[1].GetProperty("provider").GetString());
        // The tool ran after the model asked for it, and the answer came after the tool's result.
        Assert.True(End(steps[1]) <= steps[2].GetProperty("offsetMs").GetDouble());
        Assert.True(End(steps[2]) <= steps[3].GetProperty("offsetMs").GetDouble());
        Assert.True(End(steps[3]) <= End(steps[0]));
    }

    [Fact]
    public async Task A_run_counts_the_tokens_its_agent_reported_once_and_prices_them_and_shows_each_model_call_s_own()
    {
        await using TestDashboard server = await StartAsync();
        string agent = Unique("priced");

        await WeatherAgent.AskAsync(agent, "Bergen");

        JsonElement run = await RunAsync(server, agent);
        const int Input = ScriptedModel.AskInput + ScriptedModel.AnswerInput;
        const int Output = ScriptedModel.AskOutput + ScriptedModel.AnswerOutput;
        Assert.Equal((Input, Output), (run.GetProperty("inputTokens").GetInt64(), run.GetProperty("outputTokens").GetInt64()));
        decimal cost = server.System.CostTracker.FindPrice(ScriptedModel.Model)!.CostOf(new TokenUsage(Input, Output, model: ScriptedModel.Model));
        Assert.Equal(Math.Round(cost, 8), run.GetProperty("costUsd").GetDecimal());

        JsonElement[] steps = [.. run.GetProperty("steps").EnumerateArray()];
        Assert.True(steps[0].GetProperty("counted").GetBoolean());
        Assert.Equal((ScriptedModel.AskInput, ScriptedModel.AskOutput, false), (steps[1].GetProperty("inputTokens").GetInt32(), steps[1].GetProperty("outputTokens").GetInt32(), steps[1].GetProperty("counted").GetBoolean()));
        Assert.Equal((ScriptedModel.AnswerInput, ScriptedModel.AnswerOutput, false), (steps[3].GetProperty("inputTokens").GetInt32(), steps[3].GetProperty("outputTokens").GetInt32(), steps[3].GetProperty("counted").GetBoolean()));
        Assert.Equal(ScriptedModel.Model, steps[1].GetProperty("model").GetString());
        Assert.False(steps[2].TryGetProperty("inputTokens", out _));
    }

    [Fact]
    public async Task A_streamed_run_has_the_same_steps_and_its_tokens_come_from_the_streamed_usage()
    {
        await using TestDashboard server = await StartAsync();
        string agent = Unique("streamed");

        Assert.Equal("It is sunny in Molde", await WeatherAgent.StreamAsync(agent, "Molde"));

        JsonElement run = await RunAsync(server, agent);
        JsonElement[] steps = [.. run.GetProperty("steps").EnumerateArray()];
        Assert.Equal(["agent", "model_call", "tool", "model_call"], steps.Select(s => s.GetProperty("kind").GetString()));
        Assert.Equal("IChatClient.GetStreamingResponseAsync", steps[1].GetProperty("name").GetString());
        Assert.Equal(
            (ScriptedModel.AskInput + ScriptedModel.AnswerInput, ScriptedModel.AskOutput + ScriptedModel.AnswerOutput),
            (run.GetProperty("inputTokens").GetInt64(), run.GetProperty("outputTokens").GetInt64()));
        Assert.Equal(ScriptedModel.AnswerInput, steps[3].GetProperty("inputTokens").GetInt32());
        Assert.True(End(steps[3]) <= End(steps[0]));
    }

    [Fact]
    public async Task A_tool_that_throws_is_a_failed_step_with_its_exception_and_the_run_counts_one_error()
    {
        await using TestDashboard server = await StartAsync();
        string agent = Unique("failing");

        await WeatherAgent.AskAsync(agent, string.Empty);

        JsonElement row = (await RowsAsync(server, agent)).Single();
        Assert.Equal(1, row.GetProperty("errors").GetInt32());
        JsonElement tool = (await RunAsync(server, agent)).GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("kind").GetString() == "tool");
        Assert.Equal("error", tool.GetProperty("status").GetString());
        Assert.Equal(typeof(ArgumentException).FullName, tool.GetProperty("errorType").GetString());
        Assert.Contains("No city was named.", tool.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_made_with_one_session_belong_to_one_conversation_whose_totals_sum_them()
    {
        await using TestDashboard server = await StartAsync();
        string agent = Unique("chatty");
        Microsoft.Agents.AI.AgentSession session = await WeatherAgent.NewSessionAsync(agent);

        await WeatherAgent.AskAsync(agent, "Oslo", session);
        await WeatherAgent.AskAsync(agent, "Tromsø", session);
        await WeatherAgent.AskAsync(agent, "Bergen");

        JsonElement[] rows = await RowsAsync(server, agent, count: 3);
        string?[] conversations = [.. rows.Select(r => r.TryGetProperty("conversation", out JsonElement c) ? c.GetString() : null)];
        string conversation = Assert.Single(conversations.Where(c => c is not null).Distinct())!;
        Assert.Equal(2, conversations.Count(c => c == conversation));

        JsonElement view = await server.GetJsonAsync("api/agents?q=" + conversation);
        JsonElement totals = Assert.Single(view.GetProperty("conversations").EnumerateArray());
        Assert.Equal(conversation, totals.GetProperty("id").GetString());
        Assert.Equal(2, totals.GetProperty("runs").GetInt64());
        Assert.Equal(2 * (ScriptedModel.AskInput + ScriptedModel.AnswerInput), totals.GetProperty("inputTokens").GetInt64());
        Assert.Equal(2 * (ScriptedModel.AskOutput + ScriptedModel.AnswerOutput), totals.GetProperty("outputTokens").GetInt64());
        Assert.Equal(2, view.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_agent_run_s_span_names_its_conversation()
    {
        await using TestDashboard server = await StartAsync();
        string agent = Unique("traced");
        var spans = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == MaranTelemetry.SourceName,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        Microsoft.Agents.AI.AgentSession session = await WeatherAgent.NewSessionAsync(agent);

        await WeatherAgent.AskAsync(agent, "Oslo", session);

        string conversation = (await RowsAsync(server, agent)).Single().GetProperty("conversation").GetString()!;
        System.Diagnostics.Activity span = Assert.Single(spans, s => s.GetTagItem("maran.operation") as string == agent);
        Assert.Equal(conversation, span.GetTagItem("gen_ai.conversation.id"));
    }

    [Fact]
    public async Task A_selected_run_that_is_not_kept_or_no_number_is_said_so_and_a_filter_that_matches_nothing_lists_no_run()
    {
        await using TestDashboard server = await StartAsync();

        JsonElement unknown = await server.GetJsonAsync("api/agents?q=" + Unique("nobody") + "&selected=999999999");
        JsonElement text = await server.GetJsonAsync("api/agents?selected=first");

        Assert.Equal(0, unknown.GetProperty("total").GetInt32());
        Assert.Empty(unknown.GetProperty("rows").EnumerateArray());
        Assert.Empty(unknown.GetProperty("conversations").EnumerateArray());
        Assert.False(unknown.TryGetProperty("run", out _));
        Assert.Contains("no longer kept", unknown.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("whole number", text.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_operations_table_names_each_row_s_kind()
    {
        await using TestDashboard server = await StartAsync();
        string agent = Unique("kinds");
        await WeatherAgent.AskAsync(agent, "Oslo");

        JsonElement view = await server.WaitForJsonAsync("api/performance?size=200&q=" + agent, v => v.GetProperty("rows").GetArrayLength() > 0);

        Assert.Equal("agent", view.GetProperty("rows")[0].GetProperty("kind").GetString());
        JsonElement tools = await server.WaitForJsonAsync("api/performance?size=200&q=weather", v => v.GetProperty("rows").GetArrayLength() > 0);
        Assert.Contains(tools.GetProperty("rows").EnumerateArray(), r => (r.GetProperty("name").GetString(), r.GetProperty("kind").GetString()) == ("weather", "tool"));
        Assert.Contains(tools.GetProperty("rows").EnumerateArray(), r => (r.GetProperty("name").GetString(), r.GetProperty("kind").GetString()) == ("weather_question", "operation"));
    }

    // Started, so the cost tracker reads the tokens of each call, as in an application.
    private static async Task<TestDashboard> StartAsync()
    {
        TestDashboard server = await TestDashboard.StartAsync();
        server.System.Start();
        return server;
    }

    internal static string Unique(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..10];

    internal static async Task<JsonElement[]> RowsAsync(TestDashboard server, string agent, int count = 1)
    {
        JsonElement view = await server.WaitForJsonAsync("api/agents?q=" + agent, v => v.GetProperty("rows").GetArrayLength() >= count);
        return [.. view.GetProperty("rows").EnumerateArray()];
    }

    private static async Task<JsonElement> RunAsync(TestDashboard server, string agent)
    {
        long id = (await RowsAsync(server, agent)).Single().GetProperty("id").GetInt64();
        return (await server.GetJsonAsync($"api/agents?q={agent}&selected={id}")).GetProperty("run");
    }

    private static double End(JsonElement step) => step.GetProperty("offsetMs").GetDouble() + step.GetProperty("durationMs").GetDouble();
}
