namespace Maran.Instrument.Dashboard;

/// <summary>
/// A section whose data source this build lacks (system health, errors, costs, logs, alerts): it keeps its place in
/// the navigation and the API and says so, never showing made-up figures. Replacing it with a real section is the
/// whole change needed once the source exists.
/// </summary>
internal sealed class UnavailableSection(string name, string title, string message) : DashboardSection(name, title)
{
    public override string? Unavailable(DashboardFrame frame) => message;

    public override byte[] Render(DashboardFrame frame, SectionQuery query) =>
        DashboardJson.Serialize(new UnavailableView(Name, Title, false, message), DashboardJson.Default.UnavailableView);
}
