namespace Maran.Instrument.Costs;

/// <summary>
/// The cost tracker's sums: one cell per clock hour and key, one per key since the tracker was created (never pruned:
/// what exporters publish as counters), and cost and tokens per minute of the last day, in all and per model (what
/// alert rules read).
/// </summary>
/// <remarks>Not thread-safe: the loop changes it and the queries read it, both under the tracker's state lock.</remarks>
internal sealed class HourlyCosts
{
    private readonly Dictionary<CostKey, CostCell> _hourly = [];
    private readonly Dictionary<(string ResourceType, string Subject, string Component, string Operation), CostCell> _totals = [];
    private readonly Dictionary<long, (decimal Cost, long Tokens)> _minutes = [];
    private readonly Dictionary<(long Minute, string Model), (decimal Cost, long Tokens)> _modelMinutes = [];

    /// <summary>The hourly cells, hours past the retention pruned.</summary>
    public IReadOnlyDictionary<CostKey, CostCell> Hours => _hourly;

    /// <summary>Everything since the tracker was created, by resource type, subject, component and operation.</summary>
    public IReadOnlyDictionary<(string ResourceType, string Subject, string Component, string Operation), CostCell> Totals => _totals;

    /// <summary>Priced cost and input plus output tokens per minute (its start, Unix milliseconds).</summary>
    public IReadOnlyDictionary<long, (decimal Cost, long Tokens)> Minutes => _minutes;

    /// <summary>The same per minute and model, for the model calls' token records only.</summary>
    public IReadOnlyDictionary<(long Minute, string Model), (decimal Cost, long Tokens)> ModelMinutes => _modelMinutes;

    /// <summary>Adds <paramref name="delta"/>, recorded at <paramref name="at"/>, to every sum it counts in; returns the hour's cell as it now stands.</summary>
    public CostCell Add(DateTimeOffset at, in CostKey key, CostCell delta)
    {
        CostCell cell = CellOf(key);
        cell.Add(delta);
        if (!_totals.TryGetValue((key.ResourceType, key.Subject, key.Component, key.Operation), out CostCell? total))
        {
            _totals[(key.ResourceType, key.Subject, key.Component, key.Operation)] = total = new CostCell();
        }

        total.Add(delta);
        long minute = CostTime.Floor(at.ToUnixTimeMilliseconds(), CostTime.MinuteMs);
        var recent = _minutes.GetValueOrDefault(minute);
        _minutes[minute] = (recent.Cost + delta.Cost, recent.Tokens + delta.Input + delta.Output);
        if (key.ResourceType == CostLoop.TokensResource)
        {
            var model = _modelMinutes.GetValueOrDefault((minute, key.Subject));
            _modelMinutes[(minute, key.Subject)] = (model.Cost + delta.Cost, model.Tokens + delta.Input + delta.Output);
        }

        return cell;
    }

    /// <summary>Adds hourly cells read back from storage (to the hours only: the totals count this process's records).</summary>
    public void Load(IReadOnlyDictionary<CostKey, CostCell> stored)
    {
        foreach ((CostKey key, CostCell cell) in stored)
        {
            CellOf(key).Add(cell);
        }
    }

    /// <summary>Drops the hours that ended at or before <paramref name="cutoffMs"/>.</summary>
    public void RemoveHoursEndedBy(long cutoffMs)
    {
        foreach (CostKey old in _hourly.Keys.Where(k => k.Hour + CostTime.HourMs <= cutoffMs).ToList())
        {
            _hourly.Remove(old);
        }
    }

    /// <summary>Drops the minutes that started before <paramref name="startMs"/>.</summary>
    public void RemoveMinutesBefore(long startMs)
    {
        foreach (long old in _minutes.Keys.Where(m => m < startMs).ToList())
        {
            _minutes.Remove(old);
        }

        foreach ((long Minute, string Model) old in _modelMinutes.Keys.Where(m => m.Minute < startMs).ToList())
        {
            _modelMinutes.Remove(old);
        }
    }

    private CostCell CellOf(in CostKey key)
    {
        if (!_hourly.TryGetValue(key, out CostCell? cell))
        {
            _hourly[key] = cell = new CostCell();
        }

        return cell;
    }
}
