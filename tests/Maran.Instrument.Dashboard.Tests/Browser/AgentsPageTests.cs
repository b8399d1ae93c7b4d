using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>The agents section in a real browser, over runs of a real agent intercepted by the generator: the list, the conversation totals and a run's waterfall.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AgentsPageTests(BrowserFixture fixture)
{
    static AgentsPageTests() => SetDefaultExpectTimeout(15_000);

    [SkippableFact]
    public async Task A_run_opens_as_a_waterfall_of_its_agent_model_calls_and_tool_with_their_tokens_and_a_failed_tool_in_red()
    {
        string agent = AgentsSectionTests.Unique("browser");
        await WeatherAgent.AskAsync(agent, string.Empty);

        (IPage page, List<string> errors) = await fixture.OpenAsync("#/agents");
        await page.Locator("[data-view=agents] [data-control=filter]").FillAsync(agent);
        ILocator row = page.Locator("tbody[data-table=agent-runs] tr[data-run]");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("td").Nth(5)).ToHaveTextAsync("1");
        await row.ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("#/agents/[0-9]+$"));
        ILocator steps = page.Locator("[data-block=waterfall] .wf-row");
        await Expect(steps).ToHaveCountAsync(4);
        await Expect(steps.Locator("[data-field=kind]")).ToHaveTextAsync(["agent", "model call", "tool", "model call"]);
        await Expect(steps.Nth(0).Locator("[data-field=name]")).ToHaveTextAsync(agent);
        await Expect(steps.Nth(1).Locator("[data-field=meta]")).ToContainTextAsync($"{ScriptedModel.AskInput} / {ScriptedModel.AskOutput} tokens");
        await Expect(steps.Nth(2)).ToHaveAttributeAsync("data-status", "error");
        await Expect(steps.Nth(2).Locator(".wf-bar")).ToHaveClassAsync(new Regex(@"\berror\b"));
        await Expect(page.Locator("[data-block=step]")).ToContainTextAsync("No city was named.");
        int total = ScriptedModel.AskInput + ScriptedModel.AnswerInput;
        await Expect(page.Locator("[data-field=run-summary]")).ToContainTextAsync($"{total} / {ScriptedModel.AskOutput + ScriptedModel.AnswerOutput} tokens");

        // Each bar starts where its call started, in the order the calls ran, within the agent's bar that spans the run.
        double[] lefts = [.. (await steps.Locator(".wf-bar").EvaluateAllAsync<string[]>("bars => bars.map(b => b.style.left)")).Select(l => double.Parse(l.TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture))];
        Assert.Equal(0, lefts[0]);
        Assert.True(lefts[1] > 0 && lefts[1] <= lefts[2] && lefts[2] <= lefts[3] && lefts[3] < 100, string.Join(", ", lefts));
        Assert.Equal("100%", await steps.Nth(0).Locator(".wf-bar").EvaluateAsync<string>("b => b.style.width"));

        await page.CloseAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [SkippableFact]
    public async Task A_conversation_lists_its_runs_and_its_totals_and_a_filter_with_no_run_says_there_is_none()
    {
        string agent = AgentsSectionTests.Unique("session");
        Microsoft.Agents.AI.AgentSession session = await WeatherAgent.NewSessionAsync(agent);
        await WeatherAgent.AskAsync(agent, "Oslo", session);
        await WeatherAgent.AskAsync(agent, "Bergen", session);
        string conversation = (await AgentsSectionTests.RowsAsync(fixture.Server, agent, count: 2))[0].GetProperty("conversation").GetString()!;

        (IPage page, List<string> errors) = await fixture.OpenAsync("#/agents");
        ILocator filter = page.Locator("[data-view=agents] [data-control=filter]");
        await filter.FillAsync(conversation);
        ILocator totals = page.Locator($"tbody[data-table=conversations] tr[data-conversation=\"{conversation}\"]");
        await Expect(totals.Locator("[data-field=runs]")).ToHaveTextAsync("2");
        await Expect(totals.Locator("[data-field=tokens]")).ToHaveTextAsync($"{2 * (ScriptedModel.AskInput + ScriptedModel.AnswerInput)} / {2 * (ScriptedModel.AskOutput + ScriptedModel.AnswerOutput)}");
        await Expect(page.Locator("tbody[data-table=agent-runs] tr[data-run]")).ToHaveCountAsync(2);

        await filter.FillAsync(AgentsSectionTests.Unique("nobody"));
        await Expect(page.Locator("tbody[data-table=agent-runs] tr[data-empty=runs]")).ToContainTextAsync("No agent run yet");
        await Expect(page.Locator("tbody[data-table=conversations] tr[data-empty=conversations]")).ToBeVisibleAsync();

        await page.CloseAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [SkippableFact]
    public async Task The_operations_table_names_the_kind_of_each_row()
    {
        string agent = AgentsSectionTests.Unique("kinds");
        await WeatherAgent.AskAsync(agent, "Oslo");

        (IPage page, List<string> errors) = await fixture.OpenAsync("#/performance");
        await page.Locator("[data-control=filter]").FillAsync(agent);
        ILocator row = page.Locator("tbody[data-table=operations] tr", new() { HasText = agent });
        await Expect(row.Locator("[data-field=kind]")).ToHaveTextAsync("agent");
        await page.Locator("[data-control=filter]").FillAsync("weather_question");
        await Expect(page.Locator("tbody[data-table=operations] tr", new() { HasText = "weather_question" }).Locator("[data-field=kind]")).ToHaveTextAsync("operation");

        await page.CloseAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
