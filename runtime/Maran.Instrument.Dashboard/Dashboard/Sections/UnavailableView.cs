namespace Maran.Instrument.Dashboard;

/// <summary>The view of a section that has no data source in this build.</summary>
internal sealed record UnavailableView(string Section, string Title, bool Available, string Message);
