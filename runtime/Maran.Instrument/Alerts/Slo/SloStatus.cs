namespace Maran.Instrument.Alerts;

/// <summary>Where one SLO stands: its objective, its calls over the window and the share of the error budget left, with its burn rates now.</summary>
/// <param name="Name">The SLO's name.</param>
/// <param name="Operation">The operation whose calls count.</param>
/// <param name="Component">The component, or null for every component.</param>
/// <param name="Objective">The share of calls that must be good, 0 to 1.</param>
/// <param name="Latency">For a latency SLO: a good call takes at most this long; null for availability (a good call succeeds).</param>
/// <param name="Window">The window the objective covers.</param>
/// <param name="Good">Good calls in the window (a latency SLO's count is interpolated within one histogram bucket, so it may be fractional).</param>
/// <param name="Total">Calls counted in the window.</param>
/// <param name="ErrorBudgetRemaining">The share of the error budget left: 1 untouched (or no call yet), 0 spent, negative when overspent.</param>
/// <param name="BurnRates">The burn rate over each window an alert of the SLO uses; null where the window saw no call.</param>
public sealed record SloStatus(
    string Name,
    string Operation,
    string? Component,
    double Objective,
    TimeSpan? Latency,
    TimeSpan Window,
    double Good,
    double Total,
    double ErrorBudgetRemaining,
    IReadOnlyList<SloBurnRateReading> BurnRates);

/// <summary>An SLO's burn rate over one window: the window's error rate divided by the allowed error rate (1 - objective).</summary>
/// <param name="Window">The window, ending now.</param>
/// <param name="BurnRate">The burn rate; null when the window saw no call.</param>
public sealed record SloBurnRateReading(TimeSpan Window, double? BurnRate);
