using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace ChatLoop.Web;

/// <summary>How a relay ends: both sides closed, the browser told why, nothing reset under what it was just sent.</summary>
public sealed partial class Relay
{
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
        try
        {
            await _wsSend.WaitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _ws.Abort();
            return;
        }

        try
        {
            if (_ws.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, Reason(why), cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            _ws.Abort();
        }
        finally
        {
            _wsSend.Release();
        }
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

    /// <summary>A close reason fits in 123 bytes.</summary>
    private static string Reason(string why) => why.Length <= 120 ? why : why[..120];
}
