using System.Buffers;
using System.Net.WebSockets;
using NLog;

namespace ChatLoop.Web;

/// <summary>
/// The sending side of one browser's WebSocket: one message at a time (both directions of a relay send to
/// it), each taken within the send timeout or the browser is cut off, and the close with its reason.
/// </summary>
internal sealed class BrowserSender
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly WebSocket _ws;
    private readonly TimeSpan _sendTimeout;
    private readonly long _id;
    private readonly SemaphoreSlim _sending = new(1, 1);

    public BrowserSender(WebSocket ws, TimeSpan sendTimeout, long id)
    {
        _ws = ws;
        _sendTimeout = sendTimeout;
        _id = id;
    }

    /// <summary>One message written by <paramref name="write"/>.</summary>
    public async Task SendJsonAsync(Action<ArrayBufferWriter<byte>> write, CancellationToken ct)
    {
        var json = new ArrayBufferWriter<byte>(256);
        write(json);
        await SendAsync(json.WrittenMemory, ct).ConfigureAwait(false);
    }

    /// <summary>One message to the browser; false when it was not taken within the send timeout (the socket is then aborted).</summary>
    public async Task<bool> SendAsync(ReadOnlyMemory<byte> json, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_sendTimeout);
        await _sending.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await _ws.SendAsync(json, WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Log.Info("Browser {Id} took nothing for {Seconds} s; cut off", _id, _sendTimeout.TotalSeconds);
            return false;
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>
    /// Closes the WebSocket with the reason, after any message being sent (both within <paramref name="grace"/>);
    /// a browser too slow for that is aborted.
    /// </summary>
    public async Task CloseAsync(string why, CancellationToken grace)
    {
        try
        {
            await _sending.WaitAsync(grace).ConfigureAwait(false);
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
                await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, Reason(why), grace).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            _ws.Abort();
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>A close reason fits in 123 bytes.</summary>
    private static string Reason(string why) => why.Length <= 120 ? why : why[..120];
}
