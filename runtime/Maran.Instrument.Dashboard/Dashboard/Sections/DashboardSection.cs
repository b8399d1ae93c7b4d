namespace Maran.Instrument.Dashboard;

/// <summary>
/// One section of the dashboard: its name (the route segment of <c>/api/{name}</c> and of the page's
/// <c>#/name</c>), and how it renders a view of a frame. A section whose data source is absent says why instead.
/// </summary>
internal abstract class DashboardSection(string name, string title)
{
    /// <summary>The route segment: <c>performance</c>.</summary>
    public string Name { get; } = name;

    /// <summary>The navigation label: <c>Performance</c>.</summary>
    public string Title { get; } = title;

    /// <summary>Why the section has nothing to show, or null when it has.</summary>
    public virtual string? Unavailable(DashboardFrame frame) => null;

    /// <summary>The section's view of <paramref name="frame"/> for <paramref name="query"/>, as UTF-8 JSON.</summary>
    public abstract byte[] Render(DashboardFrame frame, SectionQuery query);

    /// <summary>
    /// Where the navigation and the overview learn which sections have data; a section whose data the frame's source
    /// does not hold (a fleet's logs) says where to look instead.
    /// </summary>
    public SectionInfo Describe(DashboardFrame frame)
    {
        string? reason = frame.Source.Elsewhere(Name, frame) ?? Unavailable(frame);
        return new SectionInfo(Name, Title, reason is null, reason);
    }
}
