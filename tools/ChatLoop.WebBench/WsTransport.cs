using System.Net.WebSockets;
using System.Text.Json;

namespace ChatLoop.WebBench;

/// <summary>Through the web gateway, as the page talks to it: one JSON message per request and per block.</summary>
public sealed class WsTransport : IBenchTransport
{
    private readonly ClientWebSocket _socket;
    private readonly byte[] _buffer = new byte[256 * 1024];

    private WsTransport(ClientWebSocket socket) => _socket = socket;

    public static async Task<WsTransport> ConnectAsync(Uri gateway, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(gateway, ct).ConfigureAwait(false);
        return new WsTransport(socket);
    }

    public Task SendJoinAsync(string room, string name, CancellationToken ct) =>
        SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "join", room, name }), ct);

    public Task SendChatAsync(long roomRef, long joinId, string name, string message, CancellationToken ct) =>
        SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "chat", @ref = roomRef, joinId, name, message }), ct);

    public async Task<BenchBlock?> ReceiveAsync(CancellationToken ct)
    {
        int length = 0;
        while (true)
        {
            var r = await _socket.ReceiveAsync(_buffer.AsMemory(length), ct).ConfigureAwait(false);
            if (r.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            length += r.Count;
            if (r.EndOfMessage)
            {
                break;
            }
        }

        using var doc = JsonDocument.Parse(_buffer.AsMemory(0, length));
        var m = doc.RootElement;
        return m.GetProperty("type").GetString() switch
        {
            "joined" => new BenchBlock(BenchBlockKind.Joined, m.GetProperty("ref").GetInt64(), m.GetProperty("joinId").GetInt64(), null, null),
            "chat" when m.GetProperty("notice").ValueKind == JsonValueKind.String => new BenchBlock(BenchBlockKind.Notice, 0, 0, m.GetProperty("name").GetString(), null),
            "gateway" when m.GetProperty("event").GetString() == "connected" => new BenchBlock(BenchBlockKind.Notice, 0, 0, null, null),
            "chat" => new BenchBlock(BenchBlockKind.Chat, m.GetProperty("ref").GetInt64(), 0, m.GetProperty("name").GetString(), m.GetProperty("message").GetString()),
            _ => new BenchBlock(BenchBlockKind.Other, 0, 0, null, m.ToString()),
        };
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private Task SendAsync(byte[] json, CancellationToken ct) => _socket.SendAsync(json, WebSocketMessageType.Text, true, ct);
}
