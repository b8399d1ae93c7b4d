using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Maran.Instrument.Tests.Errors;

/// <summary>
/// A real HTTP server on 127.0.0.1 that answers every request with one status and JSON body, as a model provider
/// does when it refuses a call, or never answers at all. Stopped when disposed.
/// </summary>
internal sealed class ModelServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly int _status;
    private readonly string _body;
    private readonly bool _hang;
    private readonly Task _loop;

    public ModelServer(int status, string body, bool hang = false)
    {
        _status = status;
        _body = body;
        _hang = hang;
        int port = FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}/v1/");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>A server that accepts requests and never answers them.</summary>
    public static ModelServer Silent() => new(200, "{}", hang: true);

    public Uri Endpoint { get; }

    /// <summary>A port on 127.0.0.1 nothing listens on.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
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

            if (_hang)
            {
                continue;
            }

            byte[] body = Encoding.UTF8.GetBytes(_body);
            context.Response.StatusCode = _status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }
}
