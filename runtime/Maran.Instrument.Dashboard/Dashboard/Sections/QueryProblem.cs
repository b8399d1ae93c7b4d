using System.Globalization;

namespace Maran.Instrument.Dashboard;

/// <summary>A number a client asked for that is not a whole number within its range: the API answers it with 400, a live client with an error message.</summary>
internal sealed record QueryProblem(string Parameter, string Value, long Min, long Max)
{
    /// <summary>The allowed range, as the problem body states it.</summary>
    public string Allowed => string.Create(CultureInfo.InvariantCulture, $"a whole number from {Min} to {Max}");

    /// <summary>What is wrong, in a sentence that names the parameter, its value and the allowed range.</summary>
    public string Detail => $"The parameter '{Parameter}' is '{Value}': it must be {Allowed}.";
}
