namespace Maran.Instrument.Dashboard;

/// <summary>
/// A live client's request for a view: <c>{"type":"view","id":3,"section":"performance","page":0,"size":50,
/// "sort":"totalMs","desc":true,"q":"gen","selected":"12"}</c>. The id comes back with the view, so the page can
/// ignore views it no longer wants.
/// </summary>
internal sealed record ViewRequest(string? Type, int Id, string? Section, int? Page, int? Size, string? Sort, bool? Desc, string? Q, string? Selected)
{
    public SectionQuery ToQuery() => SectionQuery.Create(
        Page?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Size?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Sort,
        Desc == false ? "false" : "true",
        Q,
        Selected);
}
