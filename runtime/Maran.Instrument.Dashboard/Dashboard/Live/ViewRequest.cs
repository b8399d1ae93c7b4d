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
    /// <summary>The query this request asks for; null, with the <paramref name="problem"/>, when a number is out of its range.</summary>
    public SectionQuery? ToQuery(out QueryProblem? problem) => SectionQuery.Read(Value, out problem);

    private string? Value(string name) => name switch
    {
        "page" => Page?.ToString(CultureInfo.InvariantCulture),
        "size" => Size?.ToString(CultureInfo.InvariantCulture),
        "sort" => Sort,
        "desc" => Desc == false ? "false" : "true",
        "q" => Q,
        "selected" => Selected,
        "level" => Level,
        "component" => Component,
        "operation" => Operation,
        "trace" => Trace,
        "before" => Before?.ToString(CultureInfo.InvariantCulture),
        "hours" => Hours?.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };
}
