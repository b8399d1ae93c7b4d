namespace Maran.Instrument.Alerts;

/// <summary>
/// The values an anomaly, forecast or SLO rule works out for one series at one evaluation, for its templates
/// (<c>{{ $expected }}</c>, <c>{{ $eta_time }}</c>, ...): numbers, which take <c>humanize</c> and <c>printf</c>, and texts.
/// </summary>
internal sealed class AlertVariables
{
    /// <summary>Every variable a template may name (without the <c>$</c>), and whether it is text.</summary>
    internal static readonly IReadOnlyDictionary<string, bool> Known = new Dictionary<string, bool>(StringComparer.Ordinal)
    {
        [Score] = false,
        [Expected] = false,
        [Lower] = false,
        [Upper] = false,
        [Limit] = false,
        [Eta] = true,
        [EtaTime] = true,
        [EtaSeconds] = false,
        [Forecast] = false,
        [ForecastLower] = false,
        [ForecastUpper] = false,
        [ForecastMargin] = false,
        [ForecastRange] = true,
        [TrendPerHour] = false,
        [Slo] = true,
        [Objective] = false,
        [BurnRate] = false,
        [BurnRateShort] = false,
        [BurnRateThreshold] = false,
        [LongWindow] = true,
        [ShortWindow] = true,
        [ErrorBudgetRemaining] = false,
        [ErrorBudgetRemainingPercent] = false,
    };

    internal const string Score = "score";
    internal const string Expected = "expected";
    internal const string Lower = "lower";
    internal const string Upper = "upper";
    internal const string Limit = "limit";
    internal const string Eta = "eta";
    internal const string EtaTime = "eta_time";
    internal const string EtaSeconds = "eta_seconds";
    internal const string Forecast = "forecast";
    internal const string ForecastLower = "forecast_lower";
    internal const string ForecastUpper = "forecast_upper";
    internal const string ForecastMargin = "forecast_margin";
    internal const string ForecastRange = "forecast_range";
    internal const string TrendPerHour = "trend_per_hour";
    internal const string Slo = "slo";
    internal const string Objective = "objective";
    internal const string BurnRate = "burn_rate";
    internal const string BurnRateShort = "burn_rate_short";
    internal const string BurnRateThreshold = "burn_rate_threshold";
    internal const string LongWindow = "long_window";
    internal const string ShortWindow = "short_window";
    internal const string ErrorBudgetRemaining = "error_budget_remaining";
    internal const string ErrorBudgetRemainingPercent = "error_budget_remaining_percent";

    private readonly Dictionary<string, double> _numbers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);

    /// <summary>The variables each kind of rule fills in.</summary>
    internal static IReadOnlyCollection<string> Of(AlertRuleKind kind) => kind switch
    {
        AlertRuleKind.Anomaly => [Score, Expected, Lower, Upper],
        AlertRuleKind.Forecast => [Limit, Eta, EtaTime, EtaSeconds, Forecast, ForecastLower, ForecastUpper, ForecastMargin, ForecastRange, TrendPerHour],
        AlertRuleKind.BurnRate => [Slo, Objective, BurnRate, BurnRateShort, BurnRateThreshold, LongWindow, ShortWindow, ErrorBudgetRemaining, ErrorBudgetRemainingPercent],
        _ => [],
    };

    public AlertVariables Set(string name, double value)
    {
        _numbers[name] = value;
        return this;
    }

    public AlertVariables Set(string name, string value)
    {
        _texts[name] = value;
        return this;
    }

    public bool TryGetNumber(string name, out double value) => _numbers.TryGetValue(name, out value);

    public string TextOf(string name) => _texts.GetValueOrDefault(name, string.Empty);
}
