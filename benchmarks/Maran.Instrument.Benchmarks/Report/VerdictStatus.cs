namespace Maran.Instrument.Benchmarks.Report;

/// <summary>Where a budget stands after a run.</summary>
public enum VerdictStatus
{
    /// <summary>The results show the budget is kept.</summary>
    Met,

    /// <summary>The results show the budget is not kept.</summary>
    Missed,

    /// <summary>A benchmark the budget needs was not in the results.</summary>
    NotMeasured,
}
