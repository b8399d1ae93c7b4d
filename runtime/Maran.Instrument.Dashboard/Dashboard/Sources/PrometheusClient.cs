using System.Globalization;
using System.Text.Json;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// A client of a Prometheus server's HTTP API: instant queries (<c>/api/v1/query</c>) and range queries
/// (<c>/api/v1/query_range</c>), each evaluated at the moment given, answered as label sets and values.
/// </summary>
internal sealed class PrometheusClient(Uri server, HttpClient http)
{
    /// <summary>The server's base address, ending in a slash.</summary>
    public Uri Server { get; } = server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/");

    /// <summary>Evaluates <paramref name="promql"/> at <paramref name="at"/>: one value per series.</summary>
    /// <exception cref="PrometheusQueryException">The server did not answer, refused the query or answered something else than a vector.</exception>
    public IReadOnlyList<PromSample> Query(string promql, DateTimeOffset at)
    {
        using JsonDocument answer = Get(InstantPath(promql, at), promql);
        return Vector(answer, promql);
    }

    /// <summary>Evaluates <paramref name="promql"/> at <paramref name="at"/> without blocking, so that it can be sent beside others.</summary>
    /// <exception cref="PrometheusQueryException">The server did not answer, refused the query or answered something else than a vector.</exception>
    public async Task<IReadOnlyList<PromSample>> QueryAsync(string promql, DateTimeOffset at)
    {
        using JsonDocument answer = await GetAsync(InstantPath(promql, at), promql).ConfigureAwait(false);
        return Vector(answer, promql);
    }

    /// <summary>
    /// Evaluates <paramref name="promql"/> every <paramref name="step"/> from <paramref name="start"/> to <paramref name="end"/>:
    /// points per series. Asynchronous, so that the range queries of one request are sent together.
    /// </summary>
    /// <exception cref="PrometheusQueryException">The server did not answer, refused the query or answered something else than a matrix.</exception>
    public async Task<IReadOnlyList<PromSeries>> QueryRangeAsync(string promql, DateTimeOffset start, DateTimeOffset end, TimeSpan step)
    {
        string path = "api/v1/query_range?query=" + Uri.EscapeDataString(promql) + "&start=" + Seconds(start) + "&end=" + Seconds(end)
            + "&step=" + step.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        using JsonDocument answer = await GetAsync(path, promql).ConfigureAwait(false);
        JsonElement data = answer.RootElement.GetProperty("data");
        if (data.GetProperty("resultType").GetString() != "matrix")
        {
            throw new PrometheusQueryException($"Prometheus answered a range query for {promql} with something else than a matrix.");
        }

        var result = new List<PromSeries>();
        foreach (JsonElement series in data.GetProperty("result").EnumerateArray())
        {
            var points = new List<(DateTimeOffset, double)>();
            foreach (JsonElement point in series.GetProperty("values").EnumerateArray())
            {
                points.Add((DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(point[0].GetDouble() * 1000)), Value(point[1])));
            }

            result.Add(new PromSeries(Labels(series), points));
        }

        return result;
    }

    /// <summary>A moment as the API takes it: Unix seconds with milliseconds.</summary>
    internal static string Seconds(DateTimeOffset at) =>
        (at.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    private JsonDocument Get(string path, string promql)
    {
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Server, path));
            response = http.Send(request, HttpCompletionOption.ResponseContentRead);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            throw NotAnswered(ex);
        }

        return Answer(response, promql);
    }

    private async Task<JsonDocument> GetAsync(string path, string promql)
    {
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Server, path));
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            throw NotAnswered(ex);
        }

        return Answer(response, promql);
    }

    private static string InstantPath(string promql, DateTimeOffset at) => "api/v1/query?query=" + Uri.EscapeDataString(promql) + "&time=" + Seconds(at);

    /// <summary>An instant query's answer: a vector, or a scalar as one sample without labels.</summary>
    private static List<PromSample> Vector(JsonDocument answer, string promql)
    {
        JsonElement data = answer.RootElement.GetProperty("data");
        string type = data.GetProperty("resultType").GetString() ?? string.Empty;
        if (type == "scalar")
        {
            return [new PromSample(new Dictionary<string, string>(StringComparer.Ordinal), Value(data.GetProperty("result")[1]))];
        }

        if (type != "vector")
        {
            throw new PrometheusQueryException($"Prometheus answered a {type} to {promql}, not a vector.");
        }

        var samples = new List<PromSample>();
        foreach (JsonElement series in data.GetProperty("result").EnumerateArray())
        {
            samples.Add(new PromSample(Labels(series), Value(series.GetProperty("value")[1])));
        }

        return samples;
    }

    private PrometheusQueryException NotAnswered(Exception ex) => new($"Prometheus at {Server} did not answer: {ex.Message}", ex);

    /// <summary>The answer's JSON when its status is <c>success</c>; the response, read whole already, is disposed.</summary>
    private JsonDocument Answer(HttpResponseMessage response, string promql)
    {
        using (response)
        {
            JsonDocument document;
            try
            {
                using Stream body = response.Content.ReadAsStream();
                document = JsonDocument.Parse(body);
            }
            catch (JsonException ex)
            {
                throw new PrometheusQueryException($"Prometheus at {Server} answered {(int)response.StatusCode} with a body that is not JSON: is it a Prometheus server?", ex);
            }

            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out JsonElement status) || status.GetString() != "success")
            {
                string error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out JsonElement e) ? e.GetString() ?? string.Empty : "no status";
                document.Dispose();
                throw new PrometheusQueryException($"Prometheus at {Server} refused {promql}: {error}");
            }

            return document;
        }
    }

    private static Dictionary<string, string> Labels(JsonElement series) =>
        series.GetProperty("metric").EnumerateObject().ToDictionary(static p => p.Name, static p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);

    /// <summary>A sample's value: Prometheus writes it as a string, <c>NaN</c> and <c>+Inf</c> included.</summary>
    private static double Value(JsonElement value) => value.GetString() switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        { } text => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        null => double.NaN,
    };
}

/// <summary>One series' value of an instant query.</summary>
internal readonly record struct PromSample(IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary>A label's value, empty when the series has none.</summary>
    public string this[string label] => Labels.GetValueOrDefault(label, string.Empty);
}

/// <summary>One series' points of a range query, oldest first.</summary>
internal sealed record PromSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<(DateTimeOffset Time, double Value)> Points);

/// <summary>A Prometheus query that could not be answered; the message says which server and why.</summary>
internal sealed class PrometheusQueryException : Exception
{
    public PrometheusQueryException()
    {
    }

    public PrometheusQueryException(string message)
        : base(message)
    {
    }

    public PrometheusQueryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
