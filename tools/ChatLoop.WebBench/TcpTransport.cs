using System.Buffers;
using System.Net;
using System.Net.Sockets;
using ChatLoop.Protocol;

namespace ChatLoop.WebBench;

/// <summary>Straight to the server: requests by <see cref="ClientRequests"/>, blocks by <see cref="ResponseReader"/>.</summary>
public sealed class TcpTransport : IBenchTransport
{
    private readonly Socket _socket;
    private readonly ResponseReader _reader = new();
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly ArrayBufferWriter<byte> _out = new(512);

    private TcpTransport(Socket socket) => _socket = socket;

    public static async Task<TcpTransport> ConnectAsync(DnsEndPoint server, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server, ct).ConfigureAwait(false);
        return new TcpTransport(socket);
    }

    public Task SendJoinAsync(string room, string name, CancellationToken ct)
    {
        _out.ResetWrittenCount();
        ClientRequests.Join(_out, room, name);
        return SendAsync(ct);
    }

    public Task SendChatAsync(long roomRef, long joinId, string name, string message, CancellationToken ct)
    {
        _out.ResetWrittenCount();
        ClientRequests.Chat(_out, roomRef, joinId, name, message);
        return SendAsync(ct);
    }

    public async Task<BenchBlock?> ReceiveAsync(CancellationToken ct)
    {
        while (true)
        {
            if (_reader.TryRead(out var r))
            {
                return r!.Kind switch
                {
                    ResponseKind.Joined => new BenchBlock(BenchBlockKind.Joined, r.GetNumber("ROOM_REF") ?? -1, r.GetNumber("JOIN_ID") ?? -1, null, null),
                    ResponseKind.Chat when r.IsJoinNotice || r.IsLeaveNotice => new BenchBlock(BenchBlockKind.Notice, 0, 0, r.Get("CLIENT_NAME"), r.Message),
                    ResponseKind.Chat => new BenchBlock(BenchBlockKind.Chat, r.GetNumber("CHAT") ?? -1, 0, r.Get("CLIENT_NAME"), r.Message),
                    _ => new BenchBlock(BenchBlockKind.Other, 0, 0, null, r.Get("ERROR_DESCRIPTION")),
                };
            }

            int n = await _socket.ReceiveAsync(_buffer, SocketFlags.None, ct).ConfigureAwait(false);
            if (n == 0)
            {
                return null;
            }

            _reader.Append(_buffer.AsSpan(0, n));
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        _reader.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task SendAsync(CancellationToken ct)
    {
        var bytes = _out.WrittenMemory;
        while (!bytes.IsEmpty)
        {
            bytes = bytes[await _socket.SendAsync(bytes, SocketFlags.None, ct).ConfigureAwait(false)..];
        }
    }
}
