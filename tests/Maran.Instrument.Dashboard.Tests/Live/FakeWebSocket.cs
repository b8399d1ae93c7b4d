using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>
/// A WebSocket held by the test: it records what the server sends, or, when <paramref name="stuck"/>, never finishes
/// a send (a client that stopped reading). It receives nothing until it is closed, aborted or broken.
/// </summary>
internal sealed class FakeWebSocket(bool stuck) : WebSocket
{
    private readonly Channel<JsonElement> _sent = Channel.CreateUnbounded<JsonElement>();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _broken = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebSocketState _state = WebSocketState.Open;

    public bool Aborted { get; private set; }

    public override WebSocketCloseStatus? CloseStatus => null;

    public override string? CloseStatusDescription => null;

    public override WebSocketState State => _state;

    public override string? SubProtocol => null;

    public ChannelReader<JsonElement> Sent => _sent.Reader;

    /// <summary>The client breaks the connection: the server's receive fails, and its sends hang from now on.</summary>
    public void Break() => _broken.TrySetResult();

    public override void Abort()
    {
        Aborted = true;
        _state = WebSocketState.Aborted;
        _closed.TrySetResult();
    }

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        _state = WebSocketState.Closed;
        _closed.TrySetResult();
        return Task.CompletedTask;
    }

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        _state = WebSocketState.CloseSent;
        _closed.TrySetResult();
        return Task.CompletedTask;
    }

    public override void Dispose()
    {
    }

    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        await Task.WhenAny(_closed.Task, _broken.Task).WaitAsync(cancellationToken);
        throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
    }

    public override async Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        if (stuck || _broken.Task.IsCompleted)
        {
            await _closed.Task.WaitAsync(cancellationToken);
            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
        }

        _sent.Writer.TryWrite(JsonDocument.Parse(Encoding.UTF8.GetString(buffer)).RootElement.Clone());
    }
}
