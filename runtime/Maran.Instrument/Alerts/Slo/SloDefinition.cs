namespace Maran.Instrument.Alerts;

/// <summary>A checked SLO: what counts as a good call of which operation, the objective, the window and its burn-rate alerts.</summary>
internal sealed class SloDefinition(string name, string operation, string? component, double objective, TimeSpan? latency, TimeSpan window)
{
    /// <summary>The SRE workbook's page and ticket alerts, used when an SLO lists none.</summary>
    internal static readonly IReadOnlyList<(double Rate, TimeSpan Long, TimeSpan Short, AlertSeverity Severity)> DefaultBurnRates =
    [
        (14.4, TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), AlertSeverity.Critical),
        (6, TimeSpan.FromHours(6), TimeSpan.FromMinutes(30), AlertSeverity.Warning),
    ];

    public string Name { get; } = name;

    public string Operation { get; } = operation;

    public string? Component { get; } = component;

    public double Objective { get; } = objective;

    /// <summary>Null: good calls are those that succeeded; set: timed calls at most this long.</summary>
    public TimeSpan? Latency { get; } = latency;

    public TimeSpan Window { get; } = window;

    public List<SloBurnRate> BurnRates { get; } = [];

    /// <summary>The rules of the burn-rate alerts, built with the SLO.</summary>
    public List<AlertRule> Rules { get; } = [];

    /// <summary>The share of calls that may be bad: 1 - objective.</summary>
    public double ErrorBudget => 1 - Objective;

    /// <summary>The burn rate of an error rate: how many times faster than sustainable the budget is spent.</summary>
    public double BurnRateOf(double errorRate) => errorRate / ErrorBudget;
}

/// <summary>One burn-rate alert of an SLO.</summary>
internal sealed class SloBurnRate(SloDefinition slo, double rate, TimeSpan longWindow, TimeSpan shortWindow)
{
    public SloDefinition Slo { get; } = slo;

    public double Rate { get; } = rate;

    public TimeSpan LongWindow { get; } = longWindow;

    public TimeSpan ShortWindow { get; } = shortWindow;

    /// <summary>The name of the rule, and its alerts' <c>alertname</c>: <c>&lt;slo&gt;_burn_1h</c>.</summary>
    public string RuleName => $"{Slo.Name}_burn_{AlertRuleValidator.ShortDuration(LongWindow)}";
}
