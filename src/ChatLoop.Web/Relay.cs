using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using ChatLoop.Protocol;
using NLog;

namespace ChatLoop.Web;

/// <summary>
/// One browser's WebSocket and its one TCP connection to a ChatLoop server, relayed both ways one block
/// per message. Each direction is one loop that awaits the side it writes to, so a side that stops
/// taking data stops the other from being read: nothing is buffered beyond one message each way.
/// A browser that stops reading holds up the server's queue for this connection, which the server cuts
/// as it cuts any slow client; one that has not taken a message for the send timeout is cut here.
/// </summary>
public sealed partial class Relay
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();
    private static long _ids;

    private readonly WebSocket _ws;
    private readonly Socket _tcp;
    private readonly WebSettings _settings;
    private readonly SemaphoreSlim _wsSend = new(1, 1);
    private readonly long _id = Interlocked.Increment(ref _ids);
    private readonly string _server;
    private readonly string _browser;

    /// <summary>Each direction's buffer starts this small and grows, doubling, to its bound only for a large block or message.</summary>
    private const int InitialBufferBytes = 8 * 1024;

    /// <summary>How long a closing browser has to take the close, and the other direction to end on its own.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    public Relay(WebSocket ws, Socket tcp, DnsEndPoint server, WebSettings settings, string browser)
    {
        _browser = browser;
        _ws = ws;
        _tcp = tcp;
        _settings = settings;
        _server = ServerPool.Show(server);
    }

    /// <summary>Relays until either side ends, then closes both.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Log.Info("Browser {Id} from {Browser} relayed to {Server}", _id, _browser, _server);
        try
        {
            await SendJsonAsync(w => BlockJson.Gateway(w, "connected", _server), cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The browser went before its first message (or the gateway is stopping): its server connection must not outlive it.
            _tcp.Dispose();
            _ws.Abort();
            Log.Info("Browser {Id} gone: {Why}", _id, "the browser went away before the relay began");
            return;
        }

        var fromServer = ServerToBrowserAsync(cts.Token);
        var fromBrowser = BrowserToServerAsync(cts.Token);
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

    /// <summary>Blocks from the server, one WebSocket message each. Returns why it ended.</summary>
    private async Task<string> ServerToBrowserAsync(CancellationToken ct)
    {
        var buffer = new byte[Math.Min(InitialBufferBytes, _settings.MaxBlockBytes)];
        var json = new ArrayBufferWriter<byte>(1024);
        int start = 0, end = 0;
        try
        {
            while (true)
            {
                if (end == buffer.Length)
                {
                    if (start > 0)
                    {
                        buffer.AsSpan(start, end - start).CopyTo(buffer);
                        (start, end) = (0, end - start);
                    }
                    else if (buffer.Length < _settings.MaxBlockBytes)
                    {
                        Array.Resize(ref buffer, Math.Min(buffer.Length * 2, _settings.MaxBlockBytes));
                    }
                    else
                    {
                        return $"the chat server sent a block larger than {_settings.MaxBlockBytes} bytes";
                    }
                }

                int n = await _tcp.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, ct).ConfigureAwait(false);
                if (n == 0)
                {
                    return "the chat server closed the connection";
                }

                end += n;
                while (start < end)
                {
                    json.ResetWrittenCount();
                    int used = BlockJson.Frame(buffer.AsSpan(start, end - start), json, out bool wrote);
                    if (used == 0)
                    {
                        break;
                    }

                    start += used;
                    if (wrote && !await SendAsync(json.WrittenMemory, ct).ConfigureAwait(false))
                    {
                        return $"the browser took nothing for {_settings.SendTimeout.TotalSeconds:0.###} s";
                    }
                }

                if (start == end)
                {
                    start = end = 0;
                }
            }
        }
        catch (SocketException e)
        {
            return $"the connection to the chat server failed: {e.SocketErrorCode}";
        }
        catch (OperationCanceledException)
        {
            return "the gateway is stopping";
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
        {
            return "the browser went away";
        }
    }

    /// <summary>Messages from the page, one request each. Returns why it ended.</summary>
    private async Task<string> BrowserToServerAsync(CancellationToken ct)
    {
        var message = new byte[Math.Min(InitialBufferBytes, _settings.MaxMessageBytes)];
        var request = new ArrayBufferWriter<byte>(1024);
        try
        {
            while (true)
            {
                int length = 0;
                while (true)
                {
                    if (length == message.Length && message.Length < _settings.MaxMessageBytes)
                    {
                        Array.Resize(ref message, Math.Min(message.Length * 2, _settings.MaxMessageBytes));
                    }
                    else if (length == message.Length)
                    {
                        await SendJsonAsync(w => BlockJson.Error(w, ErrorCode.TooLong, $"request too long: more than {_settings.MaxMessageBytes} bytes"), ct).ConfigureAwait(false);
                        return "the browser sent a message too long";
                    }

                    var r = await _ws.ReceiveAsync(message.AsMemory(length), ct).ConfigureAwait(false);
                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        return "the browser closed the connection";
                    }

                    length += r.Count;
                    if (r.EndOfMessage)
                    {
                        break;
                    }
                }

                request.ResetWrittenCount();
                if (BrowserRequest.Encode(message.AsMemory(0, length), request) is { } error)
                {
                    await SendJsonAsync(w => BlockJson.Error(w, error.Code, error.Description), ct).ConfigureAwait(false);
                    continue;
                }

                var bytes = request.WrittenMemory;
                while (!bytes.IsEmpty)
                {
                    int n = await _tcp.SendAsync(bytes, SocketFlags.None, ct).ConfigureAwait(false);
                    bytes = bytes[n..];
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
        {
            return "the browser went away";
        }
        catch (SocketException e)
        {
            return $"the connection to the chat server failed: {e.SocketErrorCode}";
        }
        catch (OperationCanceledException)
        {
            return "the gateway is stopping";
        }
    }

    private async Task SendJsonAsync(Action<ArrayBufferWriter<byte>> write, CancellationToken ct)
    {
        var json = new ArrayBufferWriter<byte>(256);
        write(json);
        await SendAsync(json.WrittenMemory, ct).ConfigureAwait(false);
    }

    /// <summary>One message to the browser; false when it was not taken within the send timeout (the socket is then aborted).</summary>
    private async Task<bool> SendAsync(ReadOnlyMemory<byte> json, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_settings.SendTimeout);
        await _wsSend.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await _ws.SendAsync(json, WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Log.Info("Browser {Id} took nothing for {Seconds} s; cut off", _id, _settings.SendTimeout.TotalSeconds);
            return false;
        }
        finally
        {
            _wsSend.Release();
        }
    }
}
