namespace Maran.Instrument.Costs;

/// <summary>
/// The cost tracker's reads: summaries over a window of hours, totals since start, the sliding windows alert rules
/// read, unpriced calls and budget use. Each is a pure read of what the loop has handled, taken under the state lock
/// (so it sees whole batches) and answered at once: reading twice gives the same numbers, and a caller that needs its
/// own records visible flushes the tracker first.
/// </summary>
internal sealed class CostQueries(TimeProvider time, HourlyCosts costs, CostBudgets budgets, object state)
{
    private const long HourMs = CostTime.HourMs;
    private const long DayMs = CostTime.DayMs;

    /// <summary>Costs of the last <paramref name="hours"/> clock hours, the current one included.</summary>
    public CostSummary Summary(int hours)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hours, 1);
        DateTimeOffset now = time.GetUtcNow();
        long nowMs = now.ToUnixTimeMilliseconds();
        long lastHour = CostTime.Floor(nowMs, HourMs);
        long firstHour = lastHour - ((hours - 1) * HourMs);
        long firstDay = CostTime.Floor(firstHour, DayMs);
        int days = (int)((CostTime.Floor(nowMs, DayMs) - firstDay) / DayMs) + 1;
        var tokens = new CostCell();
        var byModel = new Dictionary<string, CostCell>(StringComparer.Ordinal);
        var byComponent = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var byResource = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var byOperation = new Dictionary<(string Component, string Operation), (long Calls, long Tokens, decimal Cost, long CacheHits, long CacheHitTokens)>();
        var hourly = new (decimal Cost, long Tokens)[hours];
        var daily = new (decimal Cost, long Tokens)[days];
        decimal total = 0;
        List<BudgetStatus> statuses;

        lock (state)
        {
            foreach ((CostKey key, CostCell cell) in costs.Hours)
            {
                // Hours after now exist only if the clock went back; they belong to no window yet.
                if (key.Hour < firstHour || key.Hour > lastHour)
                {
                    continue;
                }

                bool isTokens = key.ResourceType == CostLoop.TokensResource;
                long cellTokens = isTokens ? cell.Input + cell.Output : 0;
                total += cell.Cost;
                byComponent[key.Component] = byComponent.GetValueOrDefault(key.Component) + cell.Cost;
                byResource[key.ResourceType] = byResource.GetValueOrDefault(key.ResourceType) + cell.Cost;
                var op = byOperation.GetValueOrDefault((key.Component, key.Operation));
                byOperation[(key.Component, key.Operation)] = (op.Calls + (isTokens ? cell.Calls : 0), op.Tokens + cellTokens, op.Cost + cell.Cost, op.CacheHits + cell.CacheHits, op.CacheHitTokens + cell.CacheHitTokens);
                int hour = (int)((key.Hour - firstHour) / HourMs);
                hourly[hour] = (hourly[hour].Cost + cell.Cost, hourly[hour].Tokens + cellTokens);
                int day = (int)((CostTime.Floor(key.Hour, DayMs) - firstDay) / DayMs);
                daily[day] = (daily[day].Cost + cell.Cost, daily[day].Tokens + cellTokens);
                if (isTokens)
                {
                    tokens.Add(cell);
                    if (!byModel.TryGetValue(key.Subject, out CostCell? model))
                    {
                        byModel[key.Subject] = model = new CostCell();
                    }

                    model.Add(cell);
                }
            }

            statuses = budgets.Statuses(nowMs);
        }

        return new CostSummary
        {
            Hours = hours,
            From = DateTimeOffset.FromUnixTimeMilliseconds(firstHour),
            To = now,
            TotalUsd = total,
            Tokens = tokens.ToTotals(),
            ByModel = [.. byModel
                .OrderByDescending(m => m.Value.Cost)
                .ThenBy(m => m.Key, StringComparer.Ordinal)
                .Select(m => new ModelCost(m.Key, m.Value.ToTotals(), CostOrUnpriced(m.Value)))],
            ByComponent = byComponent,
            ByOperation = [.. byOperation
                .OrderByDescending(o => o.Value.Cost)
                .ThenBy(o => o.Key.Component, StringComparer.Ordinal)
                .ThenBy(o => o.Key.Operation, StringComparer.Ordinal)
                .Select(o => new OperationCost(o.Key.Component, o.Key.Operation, o.Value.Calls, o.Value.Tokens, o.Value.Cost, o.Value.CacheHits, o.Value.CacheHitTokens))],
            ByResourceType = byResource,
            Hourly = [.. hourly.Select((h, i) => new CostPoint(DateTimeOffset.FromUnixTimeMilliseconds(firstHour + (i * HourMs)), h.Cost, h.Tokens))],
            Daily = [.. daily.Select((d, i) => new CostPoint(DateTimeOffset.FromUnixTimeMilliseconds(firstDay + (i * DayMs)), d.Cost, d.Tokens))],
            UnpricedModels = [.. byModel.Where(m => m.Value.UnpricedCalls > 0).Select(m => m.Key).Order(StringComparer.Ordinal)],
            Budgets = statuses,
        };
    }

    /// <summary>Everything recorded since the tracker was created, cumulative and never pruned.</summary>
    public CostTotals Totals()
    {
        lock (state)
        {
            var byResource = new Dictionary<string, decimal>(StringComparer.Ordinal);
            var usage = new List<UsageTotal>();
            decimal total = 0;
            foreach (((string resource, string subject, string component, string operation), CostCell cell) in costs.Totals)
            {
                total += cell.Cost;
                byResource[resource] = byResource.GetValueOrDefault(resource) + cell.Cost;
                if (resource == CostLoop.TokensResource)
                {
                    usage.Add(new UsageTotal(subject, component, operation, cell.ToTotals(), CostOrUnpriced(cell)));
                }
            }

            return new CostTotals(total, byResource, [.. usage.OrderBy(u => u.Model, StringComparer.Ordinal).ThenBy(u => u.Component, StringComparer.Ordinal).ThenBy(u => u.Operation, StringComparer.Ordinal)]);
        }
    }

    /// <summary>Priced costs since the tracker was created, by model (or device), component and resource type.</summary>
    public IReadOnlyList<CostTotal> ExportedTotals()
    {
        lock (state)
        {
            return [.. costs.Totals
                .Where(t => t.Value.Cost != 0)
                .GroupBy(t => (t.Key.Subject, t.Key.Component, t.Key.ResourceType))
                .Select(g => new CostTotal(g.Key.Subject, g.Key.Component, g.Key.ResourceType, (double)g.Sum(t => t.Value.Cost)))];
        }
    }

    /// <summary>
    /// Priced cost (USD) and tokens of the sliding <paramref name="window"/> ending now (at most a day), from the
    /// per-minute sums: the oldest minute counts for the part of it inside the window.
    /// </summary>
    public (decimal Cost, double Tokens) Recent(TimeSpan window)
    {
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        long start = now - (long)window.TotalMilliseconds;
        decimal cost = 0;
        double tokens = 0;
        lock (state)
        {
            foreach ((long minute, (decimal minuteCost, long minuteTokens)) in costs.Minutes)
            {
                double inside = ShareInside(minute, start, now);
                cost += minuteCost * (decimal)inside;
                tokens += minuteTokens * inside;
            }
        }

        return (cost, tokens);
    }

    /// <summary>
    /// <see cref="Recent"/> per model that answered a model call: one entry for each model with a record inside the
    /// window, in model order.
    /// </summary>
    public IReadOnlyList<(string Model, decimal Cost, double Tokens)> RecentByModel(TimeSpan window)
    {
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        long start = now - (long)window.TotalMilliseconds;
        var sums = new SortedDictionary<string, (decimal Cost, double Tokens)>(StringComparer.Ordinal);
        lock (state)
        {
            foreach (((long minute, string model), (decimal minuteCost, long minuteTokens)) in costs.ModelMinutes)
            {
                double inside = ShareInside(minute, start, now);
                if (inside > 0)
                {
                    var sum = sums.GetValueOrDefault(model);
                    sums[model] = (sum.Cost + (minuteCost * (decimal)inside), sum.Tokens + (minuteTokens * inside));
                }
            }
        }

        return [.. sums.Select(s => (s.Key, s.Value.Cost, s.Value.Tokens))];
    }

    /// <summary>How much of the minute starting at <paramref name="minute"/> lies inside [start, now]: 0, 1 or the oldest minute's part.</summary>
    private static double ShareInside(long minute, long start, long now)
    {
        long end = Math.Min(minute + CostTime.MinuteMs, now);
        if (end <= start || minute > now)
        {
            return 0;
        }

        return minute >= start ? 1 : (double)(end - start) / (end - minute);
    }

    /// <summary>Model calls whose tokens had no price in the last <paramref name="hours"/> clock hours, by component and operation.</summary>
    public IReadOnlyDictionary<(string Component, string Operation), long> UnpricedCalls(int hours)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hours, 1);
        long lastHour = CostTime.Floor(time.GetUtcNow().ToUnixTimeMilliseconds(), HourMs);
        long firstHour = lastHour - ((hours - 1) * HourMs);
        var unpriced = new Dictionary<(string Component, string Operation), long>();
        lock (state)
        {
            foreach ((CostKey key, CostCell cell) in costs.Hours)
            {
                if (cell.UnpricedCalls > 0 && key.Hour >= firstHour && key.Hour <= lastHour)
                {
                    unpriced[(key.Component, key.Operation)] = unpriced.GetValueOrDefault((key.Component, key.Operation)) + cell.UnpricedCalls;
                }
            }
        }

        return unpriced;
    }

    /// <summary>The current day's and month's spending as a percentage of their budgets, for the budgets that are set.</summary>
    public IReadOnlyList<(BudgetPeriod Period, double Percent)> BudgetUse()
    {
        lock (state)
        {
            return [.. budgets.Statuses(time.GetUtcNow().ToUnixTimeMilliseconds()).Select(b => (b.Period, b.Percent))];
        }
    }

    // A cell's cost, or null when its calls had tokens but no price and nothing else priced it.
    private static decimal? CostOrUnpriced(CostCell cell) => cell.UnpricedCalls > 0 && cell.Cost == 0 ? null : cell.Cost;
}
