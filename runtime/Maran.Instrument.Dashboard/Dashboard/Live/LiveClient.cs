using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Maran.Instrument.Diagnostics;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// One live (WebSocket) client. The hub offers it a message per tick without waiting; its own loop sends them. A
/// client that lets <see cref="QueueCapacity"/> messages pile up, or whose send hangs for <see cref="SendTimeout"/>,
/// is dropped: it never holds back the hub, the other clients or the monitored program.
/// </summary>
internal sealed class LiveClient
{
    /// <summary>Messages waiting for a client at most (one per second): beyond that it is too slow and is dropped.</summary>
    internal const int QueueCapacity = 8;

    /// <summary>Bytes of one message from the client at most: view requests are small.</summary>
    internal const int MaxIncomingMessage = 4096;

    /// <summary>Longest one send may take before the client is dropped.</summary>
    internal static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);

    private readonly WebSocket _socket;
    private readonly DashboardHub _hub;
    private readonly string? _instance;
    private readonly Channel<byte[]> _queue;
    private readonly object _gate = new();
    private View? _view;
    private ulong _sentHash;
    private int _dropped;
    private int _leaving;

    /// <param name="socket">The accepted connection.</param>
    /// <param name="hub">The hub whose frames the client is sent.</param>
    /// <param name="instance">The fleet instance the client narrows every view to (<c>ws?instance=</c>); null for all.</param>
    public LiveClient(WebSocket socket, DashboardHub hub, string? instance = null)
    {
        _socket = socket;
        _hub = hub;
        _instance = instance;
        _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(QueueCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Whether the client was dropped for falling behind.</summary>
    public bool Dropped => Volatile.Read(ref _dropped) != 0;

    /// <summary>Whether the client is leaving (it closed or broke the connection, or the hub ended it): it is sent nothing more.</summary>
    public bool Leaving => Volatile.Read(ref _leaving) != 0;

    /// <summary>
    /// Queues a message without waiting; false when the client is too far behind (the caller drops it). A client that is
    /// leaving takes nothing and is not behind: its queue was closed on purpose.
    /// </summary>
    public bool Offer(byte[] message) => _queue.Writer.TryWrite(message) || Leaving;

    /// <summary>The tick for this client: the frame's shared tick, with the client's view when that changed.</summary>
    public byte[] ComposeTick(DashboardFrame frame)
    {
        frame = Narrow(frame);
        lock (_gate)
        {
            if (_view is not { } view)
            {
                return frame.TickJson;
            }

            RenderedView rendered = frame.Render(view.Section, view.Query);
            if (rendered.Hash == _sentHash)
            {
                return frame.TickJson;
            }

            _sentHash = rendered.Hash;
            return LiveMessages.Tick(frame, (view.Id, view.Section.Name, rendered));
        }
    }

    /// <summary>The frame of the client's instance; the whole frame when the instance is not (or no longer) scraped.</summary>
    public DashboardFrame Narrow(DashboardFrame frame) => frame.For(_instance) ?? frame;

    /// <summary>Drops the client: its queue is closed and its connection aborted.</summary>
    public void Drop()
    {
        if (Interlocked.Exchange(ref _dropped, 1) == 0)
        {
            _queue.Writer.TryComplete();
            _socket.Abort();
        }
    }

    /// <summary>Ends the client politely: what is queued is sent, then a close frame.</summary>
    public void Complete() => Leave();

    // Closes the queue for a client on its way out, marked first so that a tick offered meanwhile does not count it as slow.
    private void Leave()
    {
        Volatile.Write(ref _leaving, 1);
        _queue.Writer.TryComplete();
    }

    /// <summary>Serves the client until it leaves, is dropped or <paramref name="stopping"/> fires.</summary>
    public async Task RunAsync(byte[] hello, CancellationToken stopping)
    {
        using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Offer(hello);
        Offer(Narrow(_hub.Current).TickJson);
        Task sending = SendLoopAsync(linked.Token);
        Task receiving = ReceiveLoopAsync(linked.Token);
        await Task.WhenAny(sending, receiving).ConfigureAwait(false);
        Leave();
        if (receiving.IsCompleted)
        {
            // The client closed or broke the connection: let the send loop finish what is queued and answer the close.
            await Task.WhenAny(sending, Task.Delay(SendTimeout, CancellationToken.None)).ConfigureAwait(false);
        }

        await linked.CancelAsync().ConfigureAwait(false);
        if (_socket.State is not WebSocketState.Closed)
        {
            _socket.Abort();
        }

        await Observe(sending).ConfigureAwait(false);
        await Observe(receiving).ConfigureAwait(false);
        _socket.Dispose();
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        while (await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_queue.Reader.TryRead(out byte[]? message))
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(SendTimeout);
                await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, timeout.Token).ConfigureAwait(false);
            }
        }

        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(SendTimeout);
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "closing", timeout.Token).ConfigureAwait(false);
        }
    }

    // Reads and drops what the client still sends until it answers our close frame (or SendTimeout passes): a
    // connection closed with its data unread is reset, and the client could lose the close frame that says why.
    private async Task DiscardUntilClosedAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SendTimeout);
        try
        {
            while (_socket.State == WebSocketState.CloseSent)
            {
                ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(buffer.AsMemory(), timeout.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The client went without answering, or the time is up: the connection is aborted as before.
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[MaxIncomingMessage];
        while (true)
        {
            int length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    // A message this long is no view request: the client is not a dashboard page.
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "message too long", cancellationToken).ConfigureAwait(false);
                    await DiscardUntilClosedAsync(buffer, cancellationToken).ConfigureAwait(false);
                    return;
                }

                result = await _socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                length += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            if (result.MessageType == WebSocketMessageType.Text)
            {
                OnRequest(buffer.AsSpan(0, length));
            }
        }
    }

    private void OnRequest(ReadOnlySpan<byte> json)
    {
        ViewRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(json, DashboardJson.Default.ViewRequest);
        }
        catch (JsonException ex)
        {
            Answer(LiveMessages.Error(id: null, "The message is not a view request: " + ex.Message, problem: null));
            return;
        }

        if (request is not { Type: "view", Section: { } name } || _hub.Section(name) is not { } section)
        {
            return;
        }

        if (request.ToQuery(out QueryProblem? problem) is not { } query)
        {
            // The client keeps its connection and its current view; only this request is refused.
            Answer(LiveMessages.Error(request.Id, problem!.Detail, problem));
            return;
        }

        Answer(Show(new View(request.Id, section, query)));
    }

    /// <summary>Makes <paramref name="view"/> the client's view and returns its message; an error message when it cannot be rendered.</summary>
    private byte[] Show(View view)
    {
        DashboardFrame frame = Narrow(_hub.Current);
        try
        {
            lock (_gate)
            {
                RenderedView rendered = frame.Render(view.Section, view.Query);
                _view = view;
                _sentHash = rendered.Hash;
                return LiveMessages.View(view.Id, view.Section.Name, rendered);
            }
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("dashboard view " + view.Section.Name, ex);
            return LiveMessages.Error(view.Id, "The view could not be rendered: the server failed (counted in maran_internal_errors_total).", problem: null);
        }
    }

    private void Answer(byte[] message)
    {
        if (!Offer(message))
        {
            _hub.DropSlow(this);
        }
    }

    private static async Task Observe(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException or ChannelClosedException)
        {
            // The connection ended: the reason no longer matters to anyone.
        }
    }

    private sealed record View(int Id, DashboardSection Section, SectionQuery Query);
}
