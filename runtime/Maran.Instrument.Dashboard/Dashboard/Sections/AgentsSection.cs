using System.Globalization;
using Maran.Instrument.Profiling;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// The agents section: the recent agent runs the runtime recorded (each with the model calls, tools and nested agents
/// it made), the totals of each conversation, and, for the run a client selects (<c>selected</c>, a run id), its
/// waterfall. Tokens are priced with the cost tracker's price table; a model with no price shows its tokens and no cost.
/// The filter (<c>q</c>) keeps the runs whose agent or conversation contains it.
/// </summary>
internal sealed class AgentsSection(AdvancedMonitoringSystem system) : DashboardSection("agents", "Agents")
{
    /// <summary>Conversations listed at most, the most recently active first.</summary>
    internal const int MaxConversations = 50;

    public override byte[] Render(DashboardFrame frame, SectionQuery query) =>
        DashboardJson.Serialize(Build(frame, query), DashboardJson.Default.AgentsView);

    public AgentsView Build(DashboardFrame frame, SectionQuery query)
    {
        IReadOnlyList<AgentRun> all = frame.Memo("agent-runs", static _ => AgentRuns.Recent());
        List<AgentRun> list = query.Filter.Length > 0
            ? [.. all.Where(r => r.Agent.Contains(query.Filter, StringComparison.OrdinalIgnoreCase)
                || (r.ConversationId?.Contains(query.Filter, StringComparison.OrdinalIgnoreCase) ?? false))]
            : [.. all];
        int pages = Math.Max(1, (list.Count + query.Size - 1) / query.Size);
        int page = Math.Min(query.Page, pages - 1);
        AgentRunRow[] rows = [.. list.Skip(page * query.Size).Take(query.Size).Select(Row)];
        ConversationRow[] conversations = [.. frame.Memo("agent-conversations", static _ => AgentRuns.Conversations())
            .Where(c => query.Filter.Length == 0 || c.Id.Contains(query.Filter, StringComparison.OrdinalIgnoreCase))
            .Take(MaxConversations)
            .Select(Conversation)];

        AgentRunDetail? detail = null;
        string? message = null;
        if (query.Selected is { } selected)
        {
            if (!long.TryParse(selected, NumberStyles.None, CultureInfo.InvariantCulture, out long id))
            {
                message = $"'{selected}' is no run id: a run id is a whole number.";
            }
            else if (all.FirstOrDefault(r => r.Id == id) is { } run)
            {
                detail = Detail(run);
            }
            else
            {
                message = $"Run {id} is no longer kept: only the {AgentRuns.Capacity} most recent runs are.";
            }
        }

        return new AgentsView(list.Count, page, query.Size, AgentRuns.Capacity, rows, conversations, detail, message);
    }

    private AgentRunRow Row(AgentRun run)
    {
        (long input, long output, decimal? cost) = Totals(run.CountedUsage);
        return new AgentRunRow(run.Id, run.Agent, run.ConversationId, run.Start, run.Root.DurationMs, StatusOf(run.Root.Status), run.Steps.Count, run.Errors, input, output, cost);
    }

    private ConversationRow Conversation(ConversationTotals c)
    {
        (long input, long output, decimal? cost) = Totals(c.Tokens.Select(static t => t.Value.AsUsage(t.Key)));
        return new ConversationRow(c.Id, c.Runs, c.FailedRuns, c.FirstSeen, c.LastSeen, c.DurationMs, input, output, cost, c.LastRun);
    }

    private AgentRunDetail Detail(AgentRun run)
    {
        (long input, long output, decimal? cost) = Totals(run.CountedUsage);
        var depths = new int[run.Steps.Count];
        var steps = new AgentStepView[run.Steps.Count];
        for (int i = 0; i < steps.Length; i++)
        {
            AgentRunStep s = run.Steps[i];
            depths[i] = s.Parent >= 0 && s.Parent < i ? depths[s.Parent] + 1 : 0;
            TokenUsage? usage = s.Usage;
            steps[i] = new AgentStepView(
                s.Index,
                s.Parent,
                depths[i],
                s.Kind.Label(),
                s.Name,
                s.Component,
                s.Provider,
                usage?.Model,
                s.OffsetMs,
                s.DurationMs,
                StatusOf(s.Status),
                s.ErrorType,
                s.ErrorMessage,
                usage?.InputTokens,
                usage?.OutputTokens,
                usage?.CachedInputTokens,
                usage?.ReasoningTokens,
                usage?.IsCacheHit ?? false,
                s.UsageCounted,
                usage is { } u ? Price(u) : null);
        }

        return new AgentRunDetail(run.Id, run.Agent, run.ConversationId, run.Start, run.Root.DurationMs, StatusOf(run.Root.Status), run.Errors, input, output, cost, run.DroppedSteps, steps);
    }

    // Tokens summed; the cost is null as soon as one model has no price, so a partial sum is never shown as the total.
    private (long Input, long Output, decimal? Cost) Totals(IEnumerable<TokenUsage> usages)
    {
        long input = 0, output = 0;
        decimal? cost = 0m;
        foreach (TokenUsage usage in usages)
        {
            if (usage.IsCacheHit)
            {
                continue;
            }

            input += usage.InputTokens;
            output += usage.OutputTokens;
            cost = Price(usage) is { } priced && cost is { } sum ? sum + priced : null;
        }

        return (input, output, cost);
    }

    // A cache hit used no provider tokens: it costs nothing.
    private decimal? Price(in TokenUsage usage)
    {
        if (usage.IsCacheHit)
        {
            return 0m;
        }

        return usage.Model is { } model && system.CostTracker.FindPrice(model) is { } price
            ? Math.Round(price.CostOf(usage), 8)
            : null;
    }

    private static string StatusOf(OperationStatus? status) => status switch
    {
        OperationStatus.Success => "success",
        OperationStatus.Error => "error",
        OperationStatus.Cancelled => "cancelled",
        _ => "running",
    };
}
