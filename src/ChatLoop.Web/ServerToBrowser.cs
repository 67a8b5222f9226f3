using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace ChatLoop.Web;

/// <summary>
/// A relay's direction from the chat server to the browser: blocks framed from the TCP stream, one WebSocket
/// message each. Its buffer starts small and grows, doubling, to the block bound only for a large block.
/// </summary>
internal sealed class ServerToBrowser
{
    private readonly Socket _tcp;
    private readonly BrowserSender _browser;
    private readonly WebSettings _settings;

    public ServerToBrowser(Socket tcp, BrowserSender browser, WebSettings settings)
    {
        _tcp = tcp;
        _browser = browser;
        _settings = settings;
    }

    /// <summary>Relays until either side ends. Returns why it ended.</summary>
    public async Task<string> RunAsync(CancellationToken ct)
    {
        var buffer = new byte[Math.Min(Relay.InitialBufferBytes, _settings.MaxBlockBytes)];
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
                    if (wrote && !await _browser.SendAsync(json.WrittenMemory, ct).ConfigureAwait(false))
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
}
