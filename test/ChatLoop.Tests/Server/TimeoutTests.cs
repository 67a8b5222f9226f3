using ChatLoop.Protocol;
using ChatLoop.Server;
using ChatLoop.Server.Polling;
using ChatLoop.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static ChatLoop.Tests.Support.Blocks;
using static ChatLoop.Tests.Support.Requests;

namespace ChatLoop.Tests.Server;

/// <summary>
/// PROTOCOL.md §2.7 code 11: requests left unfinished and connections that never join. The server runs on a
/// fake clock the test moves on; a request from another client makes the reactor take a tick, which runs the
/// deadlines due and flushes what they queued before that client's reply, so once the reply is read the
/// outcome is on the socket: to the exact limit nothing happens, one millisecond past it the client is cut off.
/// </summary>
public sealed class TimeoutTests(PollerKind poller) : PollerFixture(poller)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Past = TimeSpan.FromMilliseconds(1);

    /// <summary>How long to look for bytes that, had they been sent, are on the socket already.</summary>
    private static readonly TimeSpan Already = TimeSpan.FromMilliseconds(1);

    private readonly FakeTimeProvider _clock = new();

    [TestCase("JOIN_CHATROOM: r\nCLIENT_IP: 0\n")]
    [TestCase("HEL")]
    public void UnfinishedRequest_LeftPastRequestTimeout_Error11AndClosed(string part)
    {
        // With the message idle time on, "HEL" would count as a whole line after it (PROTOCOL.md §1).
        using var server = new TestServer(new ServerSettings { RequestTimeout = Timeout, MessageIdle = TimeSpan.Zero }, _clock);
        using var a = server.Connect();
        using var observer = server.Connect();
        a.Send(part);
        observer.Sync();

        _clock.Advance(Timeout);
        observer.Sync();
        a.ExpectNothing(Already);

        _clock.Advance(Past);
        observer.Sync();
        a.ReadError(ErrorCode.Timeout);
        a.ExpectClosed();
    }

    [Test]
    public void UnfinishedChat_MemberLeftPastRequestTimeout_RoomGetsLeaveNotice()
    {
        using var server = new TestServer(new ServerSettings { RequestTimeout = Timeout, MessageIdle = TimeSpan.Zero }, _clock);
        using var a = server.Connect();
        using var b = server.Connect();
        int port = server.Port;
        b.Send(Join("r", "b"));
        b.ReadExactly(Joined("r", port, 0, 1) + Joins(0, "b"));
        a.Send(Join("r", "a"));
        a.ReadExactly(Joined("r", port, 0, 2) + Joins(0, "a"));
        b.ReadExactly(Joins(0, "a"));
        a.Send("CHAT: 0\nJOIN_ID: 2\nCLIENT_NAME: a\nMESSAGE: never ends\n");
        b.Sync();

        _clock.Advance(Timeout + Past);
        b.Send("HELO tick\n");

        a.ReadError(ErrorCode.Timeout);
        b.ReadExactly(Helo(" tick", port) + Leaves(0, "a"));
    }

    [Test]
    public void NoRequest_PastJoinTimeout_Error11WhileJoinedAndPollingClientsStay()
    {
        using var server = new TestServer(new ServerSettings { JoinTimeout = Timeout }, _clock);
        using var joined = server.Connect();
        using var poller = server.Connect();
        using var silent = server.Connect();
        joined.Send(Join("r", "j"));
        joined.ReadExactly(Joined("r", server.Port, 0, 1) + Joins(0, "j"));

        // The poller never joins but sends a request at the limit: only the silent client is past it after.
        _clock.Advance(Timeout);
        poller.Sync();
        silent.ExpectNothing(Already);
        _clock.Advance(Past);
        poller.Sync();
        silent.ReadError(ErrorCode.Timeout);
        silent.ExpectClosed();

        // Quiet from now on, the poller is cut off once a whole timeout has passed since its last request.
        _clock.Advance(Timeout);
        joined.Sync();
        poller.ExpectNothing(Already);
        _clock.Advance(Past);
        joined.Sync();
        poller.ReadError(ErrorCode.Timeout);
        poller.ExpectClosed();
        joined.Sync();
    }
}
