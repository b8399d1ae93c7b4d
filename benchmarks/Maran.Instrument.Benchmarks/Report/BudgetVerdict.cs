namespace Maran.Instrument.Benchmarks.Report;

/// <summary>One budget of the design, and whether a run kept it.</summary>
/// <param name="Budget">The budget, in words.</param>
/// <param name="Status">Met, missed or not measured.</param>
/// <param name="Detail">The numbers behind the verdict.</param>
public sealed record BudgetVerdict(string Budget, VerdictStatus Status, string Detail)
{
    /// <inheritdoc/>
    public override string ToString()
    {
        string status = Status switch
        {
            VerdictStatus.Met => "met",
            VerdictStatus.Missed => "MISSED",
            _ => "not measured",
        };
        return $"[{status}] {Budget}: {Detail}";
    }
}
