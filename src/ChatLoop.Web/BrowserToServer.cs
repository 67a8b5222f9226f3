using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;
using ChatLoop.Protocol;

namespace ChatLoop.Web;

/// <summary>
/// A relay's direction from the browser to the chat server: each WebSocket message is one request, encoded
/// to the protocol and written whole; a message that is not a valid request gets an error back and nothing
/// is sent. Its buffer starts small and grows, doubling, to the message bound only for a large message.
/// </summary>
internal sealed class BrowserToServer
{
    private readonly WebSocket _ws;
    private readonly Socket _tcp;
    private readonly BrowserSender _browser;
    private readonly WebSettings _settings;

    public BrowserToServer(WebSocket ws, Socket tcp, BrowserSender browser, WebSettings settings)
    {
        _ws = ws;
        _tcp = tcp;
        _browser = browser;
        _settings = settings;
    }

    /// <summary>Relays until either side ends. Returns why it ended.</summary>
    public async Task<string> RunAsync(CancellationToken ct)
    {
        var message = new byte[Math.Min(Relay.InitialBufferBytes, _settings.MaxMessageBytes)];
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
                        await _browser.SendJsonAsync(w => BlockJson.Error(w, ErrorCode.TooLong, $"request too long: more than {_settings.MaxMessageBytes} bytes"), ct).ConfigureAwait(false);
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
                    await _browser.SendJsonAsync(w => BlockJson.Error(w, error.Code, error.Description), ct).ConfigureAwait(false);
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
}
