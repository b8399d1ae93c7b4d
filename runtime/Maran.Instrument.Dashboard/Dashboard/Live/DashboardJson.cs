using System.Text.Json;
using System.Text.Json.Serialization;

namespace Maran.Instrument.Dashboard;

/// <summary>The JSON of every view and message, generated at compile time: camelCase, nulls left out of objects.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(OverviewView))]
[JsonSerializable(typeof(PerformanceView))]
[JsonSerializable(typeof(TracesView))]
[JsonSerializable(typeof(TraceDetail))]
[JsonSerializable(typeof(HealthView))]
[JsonSerializable(typeof(LogsView))]
[JsonSerializable(typeof(AlertsView))]
[JsonSerializable(typeof(SilenceView))]
[JsonSerializable(typeof(SilenceRequest))]
[JsonSerializable(typeof(SilenceExpired))]
[JsonSerializable(typeof(SessionView))]
[JsonSerializable(typeof(ErrorsView))]
[JsonSerializable(typeof(GroupResolved))]
[JsonSerializable(typeof(CostsView))]
[JsonSerializable(typeof(WatchedSeriesView))]
[JsonSerializable(typeof(AgentsView))]
[JsonSerializable(typeof(IReadOnlyList<SectionInfo>))]
[JsonSerializable(typeof(TrendPoint))]
[JsonSerializable(typeof(TrendSeries))]
[JsonSerializable(typeof(OperationTrendSeries))]
[JsonSerializable(typeof(ViewRequest))]
[JsonSerializable(typeof(ProblemResponse))]
[JsonSerializable(typeof(DashboardData))]
[JsonSerializable(typeof(ElsewhereView))]
[JsonSerializable(typeof(IdentityView))]
internal sealed partial class DashboardJson : JsonSerializerContext
{
    public static byte[] Serialize<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) =>
        JsonSerializer.SerializeToUtf8Bytes(value, info);
}

/// <summary>
/// An RFC 9457 problem body: <c>type</c> (<c>about:blank</c>), <c>title</c>, <c>status</c> and <c>detail</c>; for a
/// refused parameter also its name and the range allowed; <c>error</c>, the detail again for the page; and under
/// <c>production.debug_mode</c> the <c>exception</c> that failed the request.
/// </summary>
internal sealed record ProblemResponse(string Type, string Title, int Status, string Detail, string? Parameter, string? Allowed, string? Error = null, string? Exception = null)
{
    /// <summary>The problem body of an API error: <paramref name="status"/>'s reason phrase as title, <paramref name="detail"/> in a sentence.</summary>
    public static byte[] Json(int status, string detail) => DashboardJson.Serialize(
        new ProblemResponse("about:blank", Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status), status, detail, null, null, detail),
        DashboardJson.Default.ProblemResponse);
}
