using System.Globalization;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// A live client's request for a view: <c>{"type":"view","id":3,"section":"performance","page":0,"size":50,
/// "sort":"totalMs","desc":true,"q":"gen","selected":"12"}</c>; for the logs and alert history
/// <c>level</c>, <c>component</c>, <c>operation</c>, <c>trace</c> and <c>before</c>; for errors and costs <c>hours</c>. The id comes back with the view,
/// so the page can ignore views it no longer wants.
/// </summary>
internal sealed record ViewRequest(
    string? Type,
    int Id,
    string? Section,
    int? Page,
    int? Size,
    string? Sort,
    bool? Desc,
    string? Q,
    string? Selected,
    string? Level = null,
    string? Component = null,
    string? Operation = null,
    string? Trace = null,
    long? Before = null,
    int? Hours = null)
{
    public SectionQuery ToQuery() => SectionQuery.Create(
            Page?.ToString(CultureInfo.InvariantCulture),
            Size?.ToString(CultureInfo.InvariantCulture),
            Sort,
            Desc == false ? "false" : "true",
            Q,
            Selected)
        .Narrow(Level, Component, Operation, Trace, Before?.ToString(CultureInfo.InvariantCulture))
        .Over(Hours?.ToString(CultureInfo.InvariantCulture));
}
