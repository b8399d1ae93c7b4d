namespace Maran.Instrument.Errors;

/// <summary>How many errors of one kind have been seen: a series of <c>errors_total</c>.</summary>
internal readonly record struct ErrorCount(string Type, string Category, string Component, string Severity, long Count);
