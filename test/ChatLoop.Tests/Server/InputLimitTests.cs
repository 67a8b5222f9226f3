using ChatLoop.Protocol;
using ChatLoop.Server;
using ChatLoop.Server.Polling;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Support.Blocks;
using static ChatLoop.Tests.Support.Requests;

namespace ChatLoop.Tests.Server;

/// <summary>Bounds on what a client may send (DESIGN.md habit 5, PROTOCOL.md §2.7 code 3) and the HTTP guard.</summary>
public sealed class InputLimitTests(PollerKind poller) : PollerFixture(poller)
{
    private static readonly ServerSettings Small = new() { MaxLineBytes = 100, MaxRequestBytes = 1000 };

    [Test]
    public void LongLine_InsideAJoin_Error3ClosedAndNothingJoined()
    {
        using var server = new TestServer(Small);
        using var a = server.Connect();
        using var b = server.Connect();

        a.Send("JOIN_CHATROOM: r\nCLIENT_IP: " + new string('0', 101) + "\nPORT: 0\nCLIENT_NAME: a\n");

        a.ReadError(ErrorCode.TooLong);
        a.ExpectClosed();
        b.Send(Join("r", "a"));
        b.ReadExactly(Joined("r", server.Port, 0, 1) + Joins(0, "a"));
    }

    [Test]
    public void LongLine_NoLineEndEver_Error3AndClosed()
    {
        using var server = new TestServer(Small);
        using var a = server.Connect();

        a.Send(new string('x', 5000));

        a.ReadError(ErrorCode.TooLong);
        a.ExpectClosed();
    }

    [Test]
    public void LongLine_ExactlyAtTheLimit_Accepted()
    {
        using var server = new TestServer(Small);
        using var a = server.Connect();
        var text = new string('x', 95);

        a.Send("HELO " + text + "\n");

        a.ReadExactly(Helo(" " + text, server.Port));
    }

    [Test]
    public void LongRequest_ManyBodyLines_Error3IsLastBlockAndOthersSeeItLeave()
    {
        using var server = new TestServer(Small);
        using var b = server.Connect();
        using var a = server.Connect();
        int port = server.Port;
        b.Send(Join("r", "b"));
        b.ReadExactly(Joined("r", port, 0, 1) + Joins(0, "b"));
        a.Send(Join("r", "a"));
        a.ReadExactly(Joined("r", port, 0, 2) + Joins(0, "a"));
        b.ReadExactly(Joins(0, "a"));
        var body = string.Join('\n', Enumerable.Repeat(new string('y', 60), 20));

        a.Send(Chat(0, 2, "a", body));

        // The ERROR block is the last thing it is sent (§2.7); the room's other members get the notice (§2.4).
        a.ReadError(ErrorCode.TooLong);
        a.ExpectClosed();
        b.ReadExactly(Leaves(0, "a"));
    }

    [TestCase("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 13\r\n\r\nKILL_SERVICE\n")]
    [TestCase("GET /?q=KILL_SERVICE HTTP/1.0\r\n\r\n")]
    public void HttpRequestLine_First_ClosedAndServerKeepsRunning(string http)
    {
        using var server = new TestServer();
        using var a = server.Connect();

        a.Send(http);

        a.ExpectClosed(allowReset: true);
        using var other = server.Connect();
        other.Sync();
        Assert.That(server.Server.StopReason, Is.Null);
    }
}
