namespace Maran.Instrument.Dashboard;

/// <summary>A navigation entry: the section, and why it has nothing to show when it has not.</summary>
internal sealed record SectionInfo(string Name, string Title, bool Available, string? Message);
