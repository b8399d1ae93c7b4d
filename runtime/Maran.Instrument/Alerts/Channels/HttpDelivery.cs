using System.Net;
using System.Net.Http.Headers;

namespace Maran.Instrument.Alerts;

/// <summary>The HTTP side the webhook and Alertmanager channels share: one client, one POST, and what a status means.</summary>
internal sealed class HttpDelivery : IDisposable
{
    private readonly HttpClient _client;

    public HttpDelivery()
    {
        _client = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            AllowAutoRedirect = false,
        })
        {
            // Each attempt carries its own timeout through its cancellation token.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Maran.Instrument", typeof(HttpDelivery).Assembly.GetName().Version?.ToString(3) ?? "0"));
    }

    /// <summary>Posts JSON; returns on 2xx, throws <see cref="AlertDeliveryException"/> otherwise (retryable for 408, 429 and 5xx).</summary>
    public async Task PostAsync(Uri url, byte[] body, IEnumerable<(string Name, string Value)> headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        foreach ((string name, string value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using HttpResponseMessage response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        HttpStatusCode status = response.StatusCode;
        bool retryable = (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
        throw new AlertDeliveryException($"HTTP {(int)status} {response.ReasonPhrase} from {url.GetLeftPart(UriPartial.Path)}", retryable);
    }

    public void Dispose() => _client.Dispose();
}
