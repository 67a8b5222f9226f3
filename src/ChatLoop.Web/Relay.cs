using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using NLog;

namespace ChatLoop.Web;

/// <summary>
/// One browser's WebSocket and its one TCP connection to a ChatLoop server, relayed both ways one block
/// per message. Each direction is one loop (<see cref="ServerToBrowser"/>, <see cref="BrowserToServer"/>)
/// that awaits the side it writes to, so a side that stops taking data stops the other from being read:
/// nothing is buffered beyond one message each way. A browser that stops reading holds up the server's
/// queue for this connection, which the server cuts as it cuts any slow client; one that has not taken a
/// message for the send timeout is cut here (<see cref="BrowserSender"/>). The relay starts both directions
/// and ends them: both sides closed, the browser told why, nothing reset under what it was just sent.
/// </summary>
public sealed class Relay
{
    /// <summary>Each direction's buffer starts this small and grows, doubling, to its bound only for a large block or message.</summary>
    internal const int InitialBufferBytes = 8 * 1024;

    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    /// <summary>How long a closing browser has to take the close, and the other direction to end on its own.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    private static long _ids;

    private readonly WebSocket _ws;
    private readonly Socket _tcp;
    private readonly WebSettings _settings;
    private readonly BrowserSender _sender;
    private readonly long _id = Interlocked.Increment(ref _ids);
    private readonly string _server;
    private readonly string _browser;

    public Relay(WebSocket ws, Socket tcp, DnsEndPoint server, WebSettings settings, string browser)
    {
        _browser = browser;
        _ws = ws;
        _tcp = tcp;
        _settings = settings;
        _sender = new BrowserSender(ws, settings.SendTimeout, _id);
        _server = ServerPool.Show(server);
    }

    /// <summary>Tells a browser no server could be reached and why (each server's answer), and closes its WebSocket.</summary>
    public static async Task RefuseAsync(WebSocket ws, string why)
    {
        var json = new ArrayBufferWriter<byte>(256);
        BlockJson.Gateway(json, "unreachable", why);
        using var cts = new CancellationTokenSource(CloseGrace);
        try
        {
            await ws.SendAsync(json.WrittenMemory, WebSocketMessageType.Text, true, cts.Token).ConfigureAwait(false);
            await ws.CloseOutputAsync(WebSocketCloseStatus.InternalServerError, "cannot reach the chat server", cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            ws.Abort();
        }
    }

    /// <summary>Relays until either side ends, then closes both.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Log.Info("Browser {Id} from {Browser} relayed to {Server}", _id, _browser, _server);
        try
        {
            await _sender.SendJsonAsync(w => BlockJson.Gateway(w, "connected", _server), cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The browser went before its first message (or the gateway is stopping): its server connection must not outlive it.
            _tcp.Dispose();
            _ws.Abort();
            Log.Info("Browser {Id} gone: {Why}", _id, "the browser went away before the relay began");
            return;
        }

        var fromServer = new ServerToBrowser(_tcp, _sender, _settings).RunAsync(cts.Token);
        var fromBrowser = new BrowserToServer(_ws, _tcp, _sender, _settings).RunAsync(cts.Token);
        var first = await Task.WhenAny(fromServer, fromBrowser).ConfigureAwait(false);
        string why = await first.ConfigureAwait(false);

        // Close before cancelling: a cancelled receive aborts the WebSocket, and the page is owed the reason.
        await CloseAsync(why).ConfigureAwait(false);
        if (first == fromBrowser)
        {
            await DrainBrowserAsync().ConfigureAwait(false);
        }

        var other = first == fromServer ? fromBrowser : fromServer;
        if (await Task.WhenAny(other, Task.Delay(CloseGrace, CancellationToken.None)).ConfigureAwait(false) != other)
        {
            await cts.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            await other.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or SocketException or ObjectDisposedException)
        {
            // the other direction ended because this one did
        }

        _ws.Abort();
        Log.Info("Browser {Id} gone: {Why}", _id, why);
    }

    /// <summary>Closes the server side (it sees EOF and the rooms get their leave notices), then the WebSocket with the reason.</summary>
    private async Task CloseAsync(string why)
    {
        try
        {
            _tcp.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // already gone
        }

        _tcp.Dispose();
        using var cts = new CancellationTokenSource(CloseGrace);
        await _sender.CloseAsync(why, cts.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads and drops what the browser still sends until its close comes (bounded by the grace time): a
    /// socket closed with bytes unread is reset, and the reset can overtake the error and close just sent.
    /// </summary>
    private async Task DrainBrowserAsync()
    {
        if (_ws.State != WebSocketState.CloseSent)
        {
            return;
        }

        var scratch = new byte[4096];
        using var cts = new CancellationTokenSource(CloseGrace);
        try
        {
            while ((await _ws.ReceiveAsync(scratch.AsMemory(), cts.Token).ConfigureAwait(false)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // gone, or too slow to close: the abort that follows ends it
        }
    }
}
