using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ChatLoop.Tests.Support;

/// <summary>A browser-free client of the web gateway: JSON messages over a real WebSocket, every read bounded.</summary>
public sealed class GatewayClient : IDisposable
{
    private readonly byte[] _buffer = new byte[256 * 1024];

    private GatewayClient(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    /// <summary>Why the gateway closed the socket (its close frame's reason), once it has.</summary>
    public string? CloseReason => Socket.CloseStatusDescription;

    public static GatewayClient Connect(Uri uri, string? origin = null)
    {
        var socket = new ClientWebSocket();
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        using var cts = new CancellationTokenSource(Wait.Long);
        socket.ConnectAsync(uri, cts.Token).GetAwaiter().GetResult();
        return new GatewayClient(socket);
    }

    public void Send(object request) => SendRaw(JsonSerializer.Serialize(request));

    public void SendRaw(string text)
    {
        using var cts = new CancellationTokenSource(Wait.Long);
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cts.Token).GetAwaiter().GetResult();
    }

    /// <summary>The next message, parsed; fails the test when none comes within the bound or the socket closes.</summary>
    public JsonElement Read() => TryRead() ?? throw new AssertionException($"the gateway closed the WebSocket: {CloseReason}");

    /// <summary>The next message, or null when the gateway closed the socket.</summary>
    public JsonElement? TryRead()
    {
        using var cts = new CancellationTokenSource(Wait.Long);
        int length = 0;
        while (true)
        {
            ValueWebSocketReceiveResult r;
            try
            {
                r = Socket.ReceiveAsync(_buffer.AsMemory(length), cts.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                throw new AssertionException($"no message from the gateway within {Wait.Long.TotalSeconds} s");
            }

            if (r.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            length += r.Count;
            if (r.EndOfMessage)
            {
                return JsonDocument.Parse(_buffer.AsMemory(0, length)).RootElement.Clone();
            }
        }
    }

    /// <summary>Reads until a message of <paramref name="type"/> comes (skipping others) and returns it.</summary>
    public JsonElement ReadUntil(string type)
    {
        while (true)
        {
            var m = Read();
            if (m.GetProperty("type").GetString() == type)
            {
                return m;
            }
        }
    }

    public void Dispose() => Socket.Dispose();
}
