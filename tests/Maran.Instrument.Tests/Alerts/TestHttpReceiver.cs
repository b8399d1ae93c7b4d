using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Maran.Instrument.Tests.Alerts;

/// <summary>
/// An HTTP server on 127.0.0.1 that records every request and answers with the statuses it is given, in turn
/// (the last one repeats); a status of 0 means "never answer" until the receiver is disposed.
/// </summary>
internal sealed class TestHttpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly int[] _statuses;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _served;

    public TestHttpReceiver(params int[] statuses)
    {
        _statuses = statuses.Length == 0 ? [200] : statuses;
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>The reason phrase sent with every status, when set.</summary>
    public string? Reason { get; set; }

    public Uri Url => new($"http://127.0.0.1:{Port}/hook");

    public ConcurrentQueue<(Dictionary<string, string> Headers, byte[] Body)> Requests { get; } = new();

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
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

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
        Requests.Enqueue((headers, body.ToArray()));
        int index = Interlocked.Increment(ref _served) - 1;
        int status = _statuses[Math.Min(index, _statuses.Length - 1)];
        try
        {
            if (status == 0)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }

            context.Response.StatusCode = status;
            if (Reason is not null)
            {
                context.Response.StatusDescription = Reason;
            }

            context.Response.Close();
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or ObjectDisposedException)
        {
        }
    }
}
