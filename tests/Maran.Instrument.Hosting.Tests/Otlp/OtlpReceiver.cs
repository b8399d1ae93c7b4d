using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Google.Protobuf;

namespace Maran.Instrument.Hosting.Tests.Otlp;

/// <summary>
/// An OTLP/HTTP receiver on 127.0.0.1: accepts protobuf POSTs to <c>/v1/traces</c>, <c>/v1/metrics</c> and
/// <c>/v1/logs</c>, answers each with an empty (valid) export response and decodes the requests' resources, spans,
/// metrics and log records with the field numbers of the published opentelemetry-proto messages.
/// </summary>
internal sealed class OtlpReceiver : IDisposable
{
    // opentelemetry-proto: Export*ServiceRequest.resource_* = 1; Resource*.resource = 1, scope_* = 2; Scope*.items = 2.
    private const int ResourceItems = 1;
    private const int Resource = 1;
    private const int ScopeItems = 2;
    private const int Items = 2;

    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly ConcurrentQueue<(string Signal, ProtoFields Resource, ProtoFields Item)> _received = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public OtlpReceiver()
    {
        int port = FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The address to give <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>; the exporter adds the signal's path.</summary>
    public Uri Endpoint { get; }

    /// <summary>Every span, metric and log record received so far with the resource it came with, by signal (<c>traces</c>, <c>metrics</c>, <c>logs</c>).</summary>
    public IReadOnlyList<(string Signal, ProtoFields Resource, ProtoFields Item)> Received => [.. _received];

    /// <summary>Waits for requests until <paramref name="done"/> holds over what was received, or <paramref name="timeout"/> passes; returns whether it held.</summary>
    public async Task<bool> WaitUntilAsync(Func<IReadOnlyList<(string Signal, ProtoFields Resource, ProtoFields Item)>, bool> done, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!done(Received))
        {
            try
            {
                await _arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                return done(Received);
            }
        }

        return true;
    }

    /// <summary>The string attributes of a resource, data point or span (<c>KeyValue</c> list at <paramref name="field"/>).</summary>
    public static Dictionary<string, string> Attributes(ProtoFields owner, int field) =>
        owner.Messages(field).ToDictionary(kv => kv.String(1) ?? string.Empty, kv => kv.Messages(2).Select(v => v.String(1)).FirstOrDefault() ?? string.Empty, StringComparer.Ordinal);

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
        }

        _arrived.Dispose();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using (context.Response)
            {
                string signal = context.Request.Url!.AbsolutePath.TrimStart('/') switch
                {
                    "v1/traces" => "traces",
                    "v1/metrics" => "metrics",
                    "v1/logs" => "logs",
                    _ => string.Empty,
                };
                if (context.Request.HttpMethod != "POST" || signal.Length == 0)
                {
                    context.Response.StatusCode = 404;
                    continue;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                foreach (ProtoFields resourceItems in ProtoFields.Parse(ByteString.CopyFrom(body.ToArray())).Messages(ResourceItems))
                {
                    ProtoFields resource = resourceItems.Messages(Resource).FirstOrDefault() ?? ProtoFields.Parse(ByteString.Empty);
                    foreach (ProtoFields item in resourceItems.Messages(ScopeItems).SelectMany(static s => s.Messages(Items)))
                    {
                        _received.Enqueue((signal, resource, item));
                    }
                }

                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                _arrived.Release();
            }
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
