using System.Globalization;
using System.Text;
using ChatLoop.Server;
using ChatLoop.Server.Polling;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Support.Blocks;
using static ChatLoop.Tests.Support.Requests;

namespace ChatLoop.Tests.Server;

/// <summary>PROTOCOL.md §4 and §1: the complete session byte for byte, however the input is split.</summary>
public sealed class SessionTests(PollerKind poller) : PollerFixture(poller)
{
    public enum Split { WholeRequests, ByteByByte }

    [TestCase(Split.WholeRequests)]
    [TestCase(Split.ByteByByte)]
    public void Session_Section4Transcript_EveryByteAsDocumented(Split split)
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var b = server.Connect();
        int port = server.Port;

        SendAs(a, split, Join("room1", "a"));
        a.ReadExactly(Joined("room1", port, 0, 1) + Joins(0, "a"));

        SendAs(b, split, Join("room1", "b"));
        b.ReadExactly(Joined("room1", port, 0, 2) + Joins(0, "b"));
        a.ReadExactly(Joins(0, "b"));

        SendAs(a, split, Chat(0, 1, "a", "hello world"));
        a.ReadExactly(Chat(0, "a", "hello world"));
        b.ReadExactly(Chat(0, "a", "hello world"));

        SendAs(a, split, Leave(0, 1, "a"));
        a.ReadExactly(Left(0, 1) + Leaves(0, "a"));
        b.ReadExactly(Leaves(0, "a"));

        SendAs(b, split, Disconnect("b"));
        b.ReadExactly(Leaves(0, "b"));
        b.ExpectClosed();

        // a left the room before b's DISCONNECT, so nothing more may reach it.
        a.Sync();
    }

    [Test]
    public void Pipelining_ManyRequestsInOneSend_RepliesInOrder()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        int port = server.Port;
        var requests = new StringBuilder();
        var expected = new StringBuilder();

        requests.Append(Helo("first")).Append(Join("r1", "a")).Append(Join("r2", "a"));
        expected.Append(Helo(" first", port)).Append(Joined("r1", port, 0, 1)).Append(Joins(0, "a"))
            .Append(Joined("r2", port, 1, 1)).Append(Joins(1, "a"));
        for (int i = 0; i < 200; i++)
        {
            requests.Append(Chat(i % 2, 1, "a", $"message {i}"));
            expected.Append(Chat(i % 2, "a", $"message {i}"));
        }

        requests.Append(Leave(0, 1, "a")).Append(Helo("last")).Append(Disconnect("a"));
        expected.Append(Left(0, 1)).Append(Leaves(0, "a")).Append(Helo(" last", port)).Append(Leaves(1, "a"));

        a.Send(requests.ToString());

        a.ReadExactly(expected.ToString());
        a.ExpectClosed();
    }

    [Test]
    public void ByteByByte_MixedScript_SameStreamAsWholeSend()
    {
        var whole = RunScript(Split.WholeRequests);
        var split = RunScript(Split.ByteByByte);

        Assert.That(split, Is.EqualTo(whole));
    }

    /// <summary>
    /// One connection, every kind of request (errors, a multi-line message, CR LF and lone CR line ends), to EOF.
    /// The stream is returned with the server's port replaced, as each run has its own server.
    /// </summary>
    private static string RunScript(Split split)
    {
        // No message idle time: a body must end only at its blank line, however slowly it arrives.
        using var server = new TestServer(new ServerSettings { MessageIdle = TimeSpan.Zero });
        using var a = server.Connect();
        const string script =
            "HELO one two  \n"
            + "\n\n"
            + "JOIN_CHATROOM: r1\r\nCLIENT_IP: 0\r\nPORT: 0\r\nCLIENT_NAME: a\r\n"
            + "join_chatroom:r2\rclient_ip:0\rport:0\rclient_name:a\r"
            + "CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: line one\nline two\n\n"
            + "CHAT: 1\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: single LF\nHELO after\n"
            + "NOPE: 1\n"
            + "CHAT: 7\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: no room\n\n"
            + "LEAVE_CHATROOM: 1\nJOIN_ID: 1\nCLIENT_NAME: a\n"
            + "LEAVE_CHATROOM: 1\nJOIN_ID: 1\nCLIENT_NAME: a\n"
            + "DISCONNECT: 0\nPORT: 0\nCLIENT_NAME: a\n"
            + "HELO ignored\n";
        SendAs(a, split, script);
        var stream = a.ReadToEnd();

        int port = server.Port;
        var start = Helo(" one two  ", port) + Joined("r1", port, 0, 1) + Joins(0, "a") + Joined("r2", port, 1, 1) + Joins(1, "a")
            + Chat(0, "a", "line one\nline two") + Chat(1, "a", "single LF") + Helo(" after", port);
        var end = Left(1, 1) + Leaves(1, "a") + Left(1, 1) + Leaves(0, "a");
        var text = Encoding.UTF8.GetString(stream);
        Assert.That(text, Does.StartWith(start));
        Assert.That(text, Does.EndWith(end));
        Assert.That(text[start.Length..^end.Length], Does.Match("^ERROR_CODE: 1\nERROR_DESCRIPTION: [^\n]+\nERROR_CODE: 4\nERROR_DESCRIPTION: [^\n]+\n$"));
        return text.Replace(port.ToString(CultureInfo.InvariantCulture), "<port>", StringComparison.Ordinal);
    }

    private static void SendAs(TestClient client, Split split, string text)
    {
        if (split == Split.ByteByByte)
        {
            client.SendByteByByte(text);
        }
        else
        {
            client.Send(text);
        }
    }
}
