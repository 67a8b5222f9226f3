using ChatLoop.Protocol;
using ChatLoop.Server;
using ChatLoop.Server.Polling;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Support.Blocks;
using static ChatLoop.Tests.Support.Requests;

namespace ChatLoop.Tests.Server;

/// <summary>
/// The netcat rule on real sockets: a person types a CHAT into netcat a line at a time and ends it with a blank
/// line; a program sends the same request in a burst, often without the blank line, and it ends after the
/// message idle time. The pauses are the person's timing, the input under test; each is spent asserting that
/// nothing was delivered meanwhile.
/// </summary>
public sealed class NetcatTests(PollerKind poller) : PollerFixture(poller)
{
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(100);

    // A person's pause between lines: several idle times, as typing a line takes seconds.
    private static readonly TimeSpan Typing = TimeSpan.FromMilliseconds(400);

    [Test]
    public void Chat_TypedLineByLine_SeveralLinesEndAtTheBlankLine()
    {
        using var server = new TestServer(new ServerSettings { MessageIdle = Idle });
        using var a = Member(server, "a", 1);
        using var b = Member(server, "b", 2, a);

        foreach (var line in new[] { "CHAT: 0\n", "JOIN_ID: 1\n", "CLIENT_NAME: a\n", "MESSAGE: first line\n", "second line\n", "  third, indented\n" })
        {
            a.Send(line);
            a.ExpectNothing(Typing);
        }

        b.ExpectNothing(Wait.Short);
        a.Send("\n");

        a.ReadExactly(Chat(0, "a", "first line\nsecond line\n  third, indented"));
        b.ReadExactly(Chat(0, "a", "first line\nsecond line\n  third, indented"));
        a.Sync();
        b.Sync();
    }

    [Test]
    public void Chat_TypedThenNextRequestTyped_BodyEndsAtThatRequestLine()
    {
        // A person who forgets the blank line and types the next request: the CHAT, then that request.
        using var server = new TestServer(new ServerSettings { MessageIdle = Idle });
        using var a = Member(server, "a", 1);

        foreach (var line in new[] { "CHAT: 0\n", "JOIN_ID: 1\n", "CLIENT_NAME: a\n", "MESSAGE: hi\n" })
        {
            a.Send(line);
            a.ExpectNothing(Typing);
        }

        a.Send("HELO x\n");

        a.ReadExactly(Chat(0, "a", "hi") + Helo(" x", server.Port));
    }

    [Test]
    public void Chat_TypedThenEof_DeliveredBeforeTheConnectionEnds()
    {
        using var server = new TestServer(new ServerSettings { MessageIdle = Idle });
        using var b = Member(server, "b", 1);
        using var a = Member(server, "a", 2, b);
        foreach (var line in new[] { "CHAT: 0\n", "JOIN_ID: 2\n", "CLIENT_NAME: a\n", "MESSAGE: bye\n" })
        {
            a.Send(line);
            a.ExpectNothing(Typing);
        }

        a.ShutdownSend();

        b.ReadExactly(Chat(0, "a", "bye") + Leaves(0, "a"));
    }

    [Test]
    public void Chat_ProgramsBurstWithoutBlankLine_DeliveredAfterTheIdleTime()
    {
        using var server = new TestServer(new ServerSettings { MessageIdle = Idle });
        using var a = Member(server, "a", 1);
        using var b = Member(server, "b", 2, a);

        a.Send("CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: one write\n");
        a.ReadExactly(Chat(0, "a", "one write"));
        b.ReadExactly(Chat(0, "a", "one write"));

        a.Send("CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: no line end");
        a.ReadExactly(Chat(0, "a", "no line end"));
        b.ReadExactly(Chat(0, "a", "no line end"));
    }

    [Test]
    public void Chat_ProgramWritesALineAtATime_DeliveredAfterTheIdleTime()
    {
        // A program that writes each line with its own send, back to back (a println per line): a burst too.
        // The idle time here is the default, so a test thread descheduled between sends is not a person typing.
        using var server = new TestServer(new ServerSettings { MessageIdle = TimeSpan.FromMilliseconds(250) });
        using var a = Member(server, "a", 1);

        foreach (var line in new[] { "CHAT: 0\n", "JOIN_ID: 1\n", "CLIENT_NAME: a\n", "MESSAGE: line by line\n" })
        {
            a.Send(line);
        }

        a.ReadExactly(Chat(0, "a", "line by line"));
        a.Send(Chat(0, 1, "a", "next"));
        a.ReadExactly(Chat(0, "a", "next"));
    }

    [Test]
    public void Chat_TypedThenBurst_EachByItsOwnRule()
    {
        using var server = new TestServer(new ServerSettings { MessageIdle = Idle });
        using var a = Member(server, "a", 1);
        a.Send("CHAT: 0\n");
        a.ExpectNothing(Typing);
        a.Send("JOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: typed\n");
        a.ExpectNothing(Typing);
        a.Send("\n");
        a.ReadExactly(Chat(0, "a", "typed"));

        a.Send("CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: sent\n");

        a.ReadExactly(Chat(0, "a", "sent"));
    }

    private static TestClient Member(TestServer server, string name, long joinId, params TestClient[] others)
    {
        var client = server.Connect();
        client.Label = name;
        client.Send(Join("r", name));
        client.ReadExactly(Joined("r", server.Port, 0, joinId) + Joins(0, name));
        foreach (var other in others)
        {
            other.ReadExactly(Joins(0, name));
        }

        return client;
    }
}
