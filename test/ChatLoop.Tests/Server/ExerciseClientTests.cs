using System.Text;
using ChatLoop.Protocol;
using ChatLoop.Server;
using ChatLoop.Server.Polling;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Support.Blocks;
using static ChatLoop.Tests.Support.Requests;

namespace ChatLoop.Tests.Server;

/// <summary>
/// The byte streams of the exercise's own clients, replayed over real sockets with their pauses
/// (PROTOCOL.md §1, §2.2–2.3): each request in one write without its last line end, hard-coded
/// JOIN_IDs, a room's name where its ref belongs. Every byte they receive is checked.
/// </summary>
public sealed class ExerciseClientTests(PollerKind poller) : PollerFixture(poller)
{
    [Test]
    public void WaitingClients_EachRequestOneWriteWithoutLastLineEnd_WholeSessionByteExact()
    {
        // Clients that write a request and wait for its reply: the reply comes after the message idle time.
        using var server = new TestServer();
        int port = server.Port;
        using var c1 = server.Connect();
        c1.Label = "client1";
        using var c2 = server.Connect();
        c2.Label = "client2";

        c1.Send(Unterminated(Helo("BASE_TEST")));
        c1.ReadExactly(Helo(" BASE_TEST", port));
        c1.Send(Unterminated(Join("room1", "client1")));
        c1.ReadExactly(Joined("room1", port, 0, 1) + Joins(0, "client1"));
        c2.Send(Unterminated(Join("room1", "client2")));
        c2.ReadExactly(Joined("room1", port, 0, 2) + Joins(0, "client2"));
        c1.ReadExactly(Joins(0, "client2"));

        // A hard-coded JOIN_ID, then the room's name for its ref.
        c1.Send("CHAT: 0\nJOIN_ID: 6666\nCLIENT_NAME: client1\nMESSAGE: hello world from client 1");
        c1.ReadExactly(Chat(0, "client1", "hello world from client 1"));
        c2.ReadExactly(Chat(0, "client1", "hello world from client 1"));
        c2.Send("CHAT: room1\nJOIN_ID: 0\nCLIENT_NAME: client2\nMESSAGE: hello world from client 2");
        c2.ReadExactly(Chat(0, "client2", "hello world from client 2"));
        c1.ReadExactly(Chat(0, "client2", "hello world from client 2"));

        c2.Send("LEAVE_CHATROOM: room1\nJOIN_ID: 100\nCLIENT_NAME: client2");
        c2.ReadExactly(Left(0, 2) + Leaves(0, "client2"));
        c1.ReadExactly(Leaves(0, "client2"));

        c1.Send(Unterminated(Disconnect("client1")));
        c1.ReadExactly(Leaves(0, "client1"));
        c1.ExpectClosed();

        c2.Sync();
        c2.Send(Unterminated(KillService));
        c2.ExpectClosed();
        Assert.That(server.Server.WaitForExit(Wait.Long), Is.True);
    }

    [Test]
    public void PausingClient_WritesAFewHundredMsApartWithoutReading_EachRequestSeparate()
    {
        // Clients that write, sleep, write again and read later. The pauses are what is tested: each one is
        // longer than the message idle time, so it ends the unterminated line before the next write.
        using var server = new TestServer(new ServerSettings { MessageIdle = TimeSpan.FromMilliseconds(100) });
        int port = server.Port;
        using var other = server.Connect();
        other.Send(Join("Whatsapp22", "other"));
        other.ReadExactly(Joined("Whatsapp22", port, 0, 1) + Joins(0, "other"));
        using var c = server.Connect();
        string[] writes =
        [
            Unterminated(Join("Whatsapp22", "client1")),
            "CHAT: 0\nJOIN_ID: 6666\nCLIENT_NAME: client1\nMESSAGE: hello",
            "CHAT: Whatsapp22\nJOIN_ID: 1\nCLIENT_NAME: client1\nMESSAGE: by name",
            "LEAVE_CHATROOM: Whatsapp22\nJOIN_ID: 6666\nCLIENT_NAME: client1",
            "HELO done",
        ];

        for (int i = 0; i < writes.Length; i++)
        {
            if (i > 0)
            {
                Thread.Sleep(400);
            }

            c.Send(writes[i]);
        }

        c.ReadExactly(Joined("Whatsapp22", port, 0, 2) + Joins(0, "client1") + Chat(0, "client1", "hello")
            + Chat(0, "client1", "by name") + Left(0, 2) + Leaves(0, "client1") + Helo(" done", port));
        other.ReadExactly(Joins(0, "client1") + Chat(0, "client1", "hello") + Chat(0, "client1", "by name") + Leaves(0, "client1"));
        other.Sync();
    }

    [TestCase("CHAT: 0\nJOIN_ID: 6666\nCLIENT_NAME: a\nMESSAGE: bye", "CHAT: 0\nCLIENT_NAME: a\nMESSAGE: bye\n\n", "CHAT: 0\nCLIENT_NAME: a\nMESSAGE: bye\n\n")]
    [TestCase("LEAVE_CHATROOM: r\nJOIN_ID: 0\nCLIENT_NAME: a", "LEFT_CHATROOM: 0\nJOIN_ID: 2\n", "")]
    [TestCase("HELO last", "HELO last\nIP:127.0.0.1\nPort:{port}\nStudentID:17313056\n", "")]
    public void ClosingClient_LastLineWithoutLineEndThenEof_ServedBeforeTheConnectionEnds(string last, string toSender, string toRoom)
    {
        // The message idle time is off: only the EOF can end the line.
        using var server = new TestServer(new ServerSettings { MessageIdle = TimeSpan.Zero });
        int port = server.Port;
        using var b = server.Connect();
        b.Send(Join("r", "b"));
        b.ReadExactly(Joined("r", port, 0, 1) + Joins(0, "b"));
        using var a = server.Connect();
        a.Send(Join("r", "a"));
        a.ReadExactly(Joined("r", port, 0, 2) + Joins(0, "a"));
        b.ReadExactly(Joins(0, "a"));

        a.Send(last);
        a.ShutdownSend();

        // Then the "has left" notice: the leave itself, or the connection ending without DISCONNECT (§2.4).
        var expected = toSender.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal) + Leaves(0, "a");
        Assert.That(Encoding.UTF8.GetString(a.ReadToEnd()), Is.EqualTo(expected));
        b.ReadExactly(toRoom + Leaves(0, "a"));
        b.Sync();
    }

    [Test]
    public void PipelinerOverTheBackpressureMark_LinesSplitAcrossReadsNotEndedBySilence()
    {
        // The server stops reading a client whose queue is over the mark; a line it holds half of must not
        // count as ended while the rest waits unread. The client sends without reading, then reads it all.
        var settings = new ServerSettings { MessageIdle = TimeSpan.FromMilliseconds(50), BackpressureBytes = 16 * 1024 };
        using var server = new TestServer(settings);
        using var p = server.Connect(s => s.ReceiveBufferSize = 4096);
        p.Send(Join("r", "p"));
        p.ReadExactly(Joined("r", server.Port, 0, 1) + Joins(0, "p"));
        var burst = new StringBuilder();
        var expected = new StringBuilder();
        // More echoes than the kernel's socket buffers take (up to 4 MiB each way here), so the queue passes the mark.
        for (int i = 0; i < 80_000; i++)
        {
            var message = $"message {i} " + new string('x', 1 + (i % 97));
            burst.Append(Chat(0, 1, "p", message));
            expected.Append(Chat(0, "p", message));
        }

        var sending = Task.Run(() => p.Send(burst.ToString()));

        // Under test: a whole idle time in which the server holds p (its queue is over the mark) and reads nothing
        // from it, while it has part of p's input. An observer's line left without its end is ended by that same
        // timer: its STATS, one idle time after a whole STATS, show p held and no byte come in but its own.
        using var observer = server.Connect();
        Wait.Until(
            () =>
            {
                observer.Send("STATS\n");
                long before = StatsReply.Value(observer.ReadThrough("\n\n"), "BYTES_IN");
                observer.Send("STATS");
                var stats = observer.ReadThrough("\n\n");
                return StatsReply.Value(stats, "HELD") == 1 && StatsReply.Value(stats, "BYTES_IN") - before == "STATS".Length;
            },
            "the server never left p unread for a whole idle time",
            TimeSpan.FromSeconds(20),
            pace: TimeSpan.Zero);

        p.ReadExactly(expected.ToString(), TimeSpan.FromSeconds(30));
        Assert.That(sending.Wait(Wait.Long), Is.True, "the burst was all sent");
        p.Sync();
    }

    private static string Unterminated(string request) => request.TrimEnd('\n');
}
