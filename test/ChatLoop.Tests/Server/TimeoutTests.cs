using ChatLoop.Protocol;
using ChatLoop.Server;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Support.Blocks;
using static ChatLoop.Tests.Support.Requests;

namespace ChatLoop.Tests.Server;

/// <summary>PROTOCOL.md §2.7 code 11: requests left unfinished and connections that never join.</summary>
public sealed class TimeoutTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(250);

    [TestCase("JOIN_CHATROOM: r\nCLIENT_IP: 0\n")]
    [TestCase("HEL")]
    public void UnfinishedRequest_LeftPastRequestTimeout_Error11AndClosed(string part)
    {
        // With the message idle time on, "HEL" would count as a whole line after it (PROTOCOL.md §1).
        using var server = new TestServer(new ServerSettings { RequestTimeout = Timeout, MessageIdle = TimeSpan.Zero });
        using var a = server.Connect();
        a.Sync();
        var started = System.Diagnostics.Stopwatch.StartNew();

        a.Send(part);

        a.ReadError(ErrorCode.Timeout);
        a.ExpectClosed();
        Assert.That(started.Elapsed, Is.GreaterThanOrEqualTo(Timeout - TimeSpan.FromMilliseconds(20)), "cut off before the timeout");
    }

    [Test]
    public void UnfinishedChat_MemberLeftPastRequestTimeout_RoomGetsLeaveNotice()
    {
        using var server = new TestServer(new ServerSettings { RequestTimeout = Timeout, MessageIdle = TimeSpan.Zero });
        using var a = server.Connect();
        using var b = server.Connect();
        int port = server.Port;
        b.Send(Join("r", "b"));
        b.ReadExactly(Joined("r", port, 0, 1) + Joins(0, "b"));
        a.Send(Join("r", "a"));
        a.ReadExactly(Joined("r", port, 0, 2) + Joins(0, "a"));
        b.ReadExactly(Joins(0, "a"));

        a.Send("CHAT: 0\nJOIN_ID: 2\nCLIENT_NAME: a\nMESSAGE: never ends\n");

        a.ReadError(ErrorCode.Timeout);
        b.ReadExactly(Leaves(0, "a"));
    }

    [Test]
    public void NoRequest_PastJoinTimeout_Error11WhileJoinedAndPollingClientsStay()
    {
        using var server = new TestServer(new ServerSettings { JoinTimeout = Timeout });
        using var joined = server.Connect();
        using var poller = server.Connect();
        using var silent = server.Connect();
        joined.Send(Join("r", "j"));
        joined.ReadExactly(Joined("r", server.Port, 0, 1) + Joins(0, "j"));

        // The poller never joins but keeps sending HELO until the silent client is cut off.
        var polling = System.Diagnostics.Stopwatch.StartNew();
        while (!silent.Socket.Poll(TimeSpan.Zero, System.Net.Sockets.SelectMode.SelectRead))
        {
            poller.Sync();
            Assert.That(polling.Elapsed, Is.LessThan(Wait.Long), "the silent client was never timed out");
        }

        silent.ReadError(ErrorCode.Timeout);
        silent.ExpectClosed();
        poller.Sync();
        joined.Sync();

        // Quiet from now on, the poller has sent no request for the timeout: cut off too.
        poller.ReadError(ErrorCode.Timeout);
        poller.ExpectClosed();
        joined.Sync();
    }
}
