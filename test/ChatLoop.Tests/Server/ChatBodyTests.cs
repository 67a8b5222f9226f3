using ChatLoop.Server;
using ChatLoop.Server.Polling;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Support.Blocks;
using static ChatLoop.Tests.Support.Requests;

namespace ChatLoop.Tests.Server;

/// <summary>PROTOCOL.md §2.3: where a CHAT body ends.</summary>
public sealed class ChatBodyTests(PollerKind poller) : PollerFixture(poller)
{
    [Test]
    public void Chat_SeveralBodyLines_KeptJoinedByLf()
    {
        using var server = new TestServer();
        using var a = JoinedClient(server, "a");

        a.Send("CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: one\r\n  two  \nthree:3\n\n");

        a.ReadExactly(Chat(0, "a", "one\n  two  \nthree:3"));
    }

    [TestCase("HELO next\n")]
    [TestCase("helo next\n")]
    public void Chat_EndedBySingleLfThenHelo_ChatThenHeloReply(string next)
    {
        using var server = new TestServer(new ServerSettings { MessageIdle = TimeSpan.Zero });
        using var a = JoinedClient(server, "a");

        a.Send("CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: short\n" + next);

        a.ReadExactly(Chat(0, "a", "short") + Helo(next[4..^1], server.Port));
    }

    [Test]
    public void Chat_EndedBySingleLfThenEachRequest_EachStartsItsRequest()
    {
        using var server = new TestServer(new ServerSettings { MessageIdle = TimeSpan.Zero });
        using var a = JoinedClient(server, "a");
        int port = server.Port;

        a.Send("CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: m1\n"
            + "JOIN_CHATROOM: s\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\n"
            + "CHAT: 1\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: m2\n"
            + "CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: m3\n"
            + "LEAVE_CHATROOM: 1\nJOIN_ID: 1\nCLIENT_NAME: a\n"
            + "CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: m4\n"
            + "DISCONNECT: 0\nPORT: 0\nCLIENT_NAME: a\n");

        a.ReadExactly(Chat(0, "a", "m1") + Joined("s", port, 1, 1) + Joins(1, "a") + Chat(1, "a", "m2") + Chat(0, "a", "m3")
            + Left(1, 1) + Leaves(1, "a") + Chat(0, "a", "m4") + Leaves(0, "a"));
        a.ExpectClosed();
    }

    [Test]
    public void Chat_EndedBySingleLfThenSilence_DeliveredAfterMessageIdle()
    {
        using var server = new TestServer(new ServerSettings { MessageIdle = TimeSpan.FromMilliseconds(100) });
        using var a = JoinedClient(server, "a");
        using var b = JoinedClient(server, "b", joinId: 2, others: [a]);

        a.Send("CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: no blank line\n");

        a.ReadExactly(Chat(0, "a", "no blank line"));
        b.ReadExactly(Chat(0, "a", "no blank line"));

        // The next request on the connection reads normally.
        a.Send(Chat(0, 1, "a", "then a proper one"));
        a.ReadExactly(Chat(0, "a", "then a proper one"));
        b.ReadExactly(Chat(0, "a", "then a proper one"));
    }

    [Test]
    public void Chat_MessageIdleOff_BodyWaitsForItsBlankLine()
    {
        using var server = new TestServer(new ServerSettings { MessageIdle = TimeSpan.Zero });
        using var a = JoinedClient(server, "a");

        a.Send("CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: first line\n");
        a.ExpectNothing();
        a.Send("second line\n\n");

        a.ReadExactly(Chat(0, "a", "first line\nsecond line"));
    }

    /// <summary>A client joined to room "r" (ref 0); the joins it causes are read off every client in <paramref name="others"/>.</summary>
    private static TestClient JoinedClient(TestServer server, string name, long joinId = 1, TestClient[]? others = null)
    {
        var client = server.Connect();
        client.Label = name;
        client.Send(Join("r", name));
        client.ReadExactly(Joined("r", server.Port, 0, joinId) + Joins(0, name));
        foreach (var other in others ?? [])
        {
            other.ReadExactly(Joins(0, name));
        }

        return client;
    }
}
