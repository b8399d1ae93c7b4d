namespace Maran.Instrument.Alerts;

/// <summary>One value of a metric, with the labels that tell its series apart (an operation, a GPU); none for a single series.</summary>
/// <param name="Value">The value.</param>
/// <param name="Labels">The series' labels, or null.</param>
internal readonly record struct AlertSample(double Value, IReadOnlyDictionary<string, string>? Labels = null);
