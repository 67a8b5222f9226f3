using System.Net;
using System.Text;
using ChatLoop.Protocol;
using ChatLoop.Server;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Metrics;
using ChatLoop.Server.Reactor;
using ChatLoop.Server.Rooms;
using Moq;

namespace ChatLoop.Tests.Support;

/// <summary>
/// A <see cref="CommandHandler"/> with connections on real loopback sockets it never reads or writes, driven as the reactor drives it: bytes into
/// a connection's reader, each complete request handled, closing connections retired. Tests read what
/// was queued on each connection's outbound buffer.
/// </summary>
internal sealed class HandlerHarness
{
    public const int Port = 5000;

    private long _nextId = 1;

    public HandlerHarness(ServerSettings? settings = null)
    {
        Settings = settings ?? new ServerSettings();
        Handler = new CommandHandler(Settings, Stats, Control.Object, Work) { Port = Port };
    }

    public ServerSettings Settings { get; }

    public TickWork Work { get; } = new();

    public ServerStats Stats { get; } = new();

    public Mock<IServerControl> Control { get; } = new(MockBehavior.Strict);

    public CommandHandler Handler { get; }

    public static IPEndPoint LoopbackPeer => new(IPAddress.Loopback, 40000);

    public static IPEndPoint RemotePeer => new(IPAddress.Parse("192.0.2.7"), 40000);

    /// <summary>A connection on a loopback socket, <paramref name="peer"/> the address it says it came from; its SERVER_IP reads 127.0.0.1.</summary>
    public Connection Connect(EndPoint? peer = null) =>
        new(_nextId++, LoopbackSocket.Accepted(), peer ?? LoopbackPeer, Work, new ReaderLimits(Settings.MaxLineBytes, Settings.MaxRequestBytes), Settings.MaxOutboundBytes, Settings.BackpressureBytes, 0);

    /// <summary>Feeds <paramref name="text"/> to the connection and handles every complete request, then retires closing connections.</summary>
    public void Feed(Connection c, string text)
    {
        c.Reader.Append(Encoding.UTF8.GetBytes(text));
        while (c.IsOpen && c.Reader.TryRead(out var request))
        {
            Handler.Handle(c, request);
        }

        RetireClosing();
    }

    /// <summary>As the reactor does: retiring one can close another (its queue overflows with the notices), so index, not foreach.</summary>
    public void RetireClosing()
    {
        for (int i = 0; i < Work.Closing.Count; i++)
        {
            Handler.Retire(Work.Closing[i]);
        }
    }

    /// <summary>Everything queued on <paramref name="c"/> since the last call, as text; the queue is emptied.</summary>
    public static string Take(Connection c)
    {
        var text = Encoding.UTF8.GetString(c.Outbound.Pending);
        c.Outbound.Consume(c.Outbound.Length);
        return text;
    }

    /// <summary>Drops what is queued on each connection (setup output a test does not check).</summary>
    public static void TakeAll(params Connection[] connections)
    {
        foreach (var c in connections)
        {
            Take(c);
        }
    }
}
