using System.Net.Sockets;
using System.Text;
using ChatLoop.Protocol;
using ChatLoop.Server;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Support.Blocks;
using static ChatLoop.Tests.Support.Requests;

namespace ChatLoop.Tests.Server;

/// <summary>
/// Clients that do not read (DESIGN.md habit 5): a member too slow for its room is cut off with ERROR 10
/// while the others get everything; a client that pipelines without reading is throttled, not buffered.
/// </summary>
public sealed class FlowControlTests
{
    private const int MessagesPerBatch = 20;

    /// <summary>Far more than the outbound cap and any kernel buffers: a server that never cuts the member off fails here.</summary>
    private const int MaxBytesBeforeCutOff = 32 * 1024 * 1024;

    [Test]
    public void TickBudget_TinyBudgetAndPipelinedBurst_EveryMessageInOrderToEveryMember()
    {
        // A budget of one byte: every tick stops after one turn of the run queue, so the burst spreads over
        // many ticks, waiting in the run queue between them; nothing may be lost, repeated or reordered.
        using var server = new TestServer(new ServerSettings { TickBudgetBytes = 1 });
        int port = server.Port;
        using var a = server.Connect();
        using var b = server.Connect();
        a.Send(Join("r", "a"));
        a.ReadExactly(Joined("r", port, 0, 1) + Joins(0, "a"));
        b.Send(Join("r", "b"));
        b.ReadExactly(Joined("r", port, 0, 2) + Joins(0, "b"));
        a.ReadExactly(Joins(0, "b"));
        var burst = new StringBuilder();
        var expected = new StringBuilder();
        for (int i = 0; i < 300; i++)
        {
            burst.Append(Chat(0, 1, "a", $"m{i}"));
            expected.Append(Chat(0, "a", $"m{i}"));
        }

        a.Send(burst.ToString());

        a.ReadExactly(expected.ToString());
        b.ReadExactly(expected.ToString());
        a.Sync();
        b.Sync();
    }

    [Test]
    public void SlowMember_NeverReads_CutOffWhileOthersGetEveryMessage()
    {
        var settings = new ServerSettings { MaxOutboundBytes = 64 * 1024, CloseGrace = TimeSpan.FromMilliseconds(200) };
        using var server = new TestServer(settings);
        int port = server.Port;
        using var silent = server.Connect(s => s.ReceiveBufferSize = 2048);
        silent.Label = "silent";
        using var sender = server.Connect();
        sender.Label = "sender";
        using var reader = server.Connect();
        reader.Label = "reader";
        silent.Send(Join("r", "silent"));
        silent.ReadExactly(Joined("r", port, 0, 1) + Joins(0, "silent"));
        sender.Send(Join("r", "sender"));
        sender.ReadExactly(Joined("r", port, 0, 2) + Joins(0, "sender"));
        reader.Send(Join("r", "reader"));
        reader.ReadExactly(Joined("r", port, 0, 3) + Joins(0, "reader"));
        sender.ReadExactly(Joins(0, "reader"));
        var padding = new string('p', 1000);

        // Batches until the reader hears that the silent member has left; the sender and reader check every message.
        int sent = 0;
        bool cutOff = false;
        while (!cutOff)
        {
            var batch = new StringBuilder();
            for (int i = 0; i < MessagesPerBatch; i++)
            {
                batch.Append(Chat(0, 2, "sender", Message(sent + i, padding)));
            }

            sender.Send(batch.ToString());
            cutOff |= ReadBatch(sender, sent, padding);
            cutOff |= ReadBatch(reader, sent, padding);
            sent += MessagesPerBatch;
            Assert.That(sent * padding.Length, Is.LessThan(MaxBytesBeforeCutOff), "the silent member was never cut off");
        }

        // The silent member's stream: its join, the joins after it, then a prefix of the messages, whole blocks only,
        // then perhaps the ERROR 10 block, then the end.
        var stream = silent.ReadToEnd();
        using var blocks = new ResponseReader();
        blocks.Append(stream);
        var seen = new List<Response>();
        while (blocks.TryRead(out var block))
        {
            seen.Add(block!);
        }

        Assert.That(blocks.InBlock, Is.False, "the silent member's stream ends inside a block");
        Assert.That(seen.Take(2).Select(b => b.Get("CLIENT_NAME")), Is.EqualTo(new[] { "sender", "reader" }));
        int received = 0;
        bool error = false;
        foreach (var block in seen.Skip(2))
        {
            if (block.Kind == ResponseKind.Error)
            {
                Assert.That(block.GetNumber("ERROR_CODE"), Is.EqualTo((int)ErrorCode.TooSlow));
                error = true;
            }
            else if (error)
            {
                // After the ERROR, at most the notice of its own leaving (it leaves "the same way" as on DISCONNECT).
                Assert.That(block.IsLeaveNotice && block.Get("CLIENT_NAME") == "silent", Is.True, $"after the ERROR: {TestClient.Show(block)}");
                Assert.That(block, Is.SameAs(seen[^1]), "more blocks after the ERROR");
            }
            else
            {
                Assert.That(block.Message, Is.EqualTo(Message(received, padding)), $"message {received} to the silent member");
                received++;
            }
        }

        TestContext.Out.WriteLine($"messages sent {sent}; received by the silent member {received}; its stream {stream.Length} bytes; ERROR 10 seen: {error}");
        Assert.That(received, Is.LessThan(sent));

        // The room goes on without it.
        sender.Send(Chat(0, 2, "sender", "after"));
        sender.ReadExactly(Chat(0, "sender", "after"));
        reader.ReadExactly(Chat(0, "sender", "after"));
    }

    [Test]
    public void Pipelining_ThousandsOfRequestsInOneSendThenRead_EveryReplyAndNoError10()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        a.Send("HELP\n");
        var help = a.ReadThrough("\n\n");
        const int count = 4000;

        // 20 KB of requests, about 2 MB of replies: more than MaxOutboundBytes, from a client that does read.
        a.Send(string.Concat(Enumerable.Repeat("HELP\n", count)));

        for (int i = 0; i < count; i++)
        {
            Assert.That(a.ReadThrough("\n\n"), Is.EqualTo(help), $"reply {i}");
        }

        a.Sync();
    }

    [Test]
    public void Pipelining_ClientNeverReads_ThrottledNotBufferedAndOthersStillServed()
    {
        var settings = new ServerSettings { BackpressureBytes = 16 * 1024, MaxOutboundBytes = 256 * 1024 };
        using var server = new TestServer(settings);
        using var hog = server.Connect(s =>
        {
            s.ReceiveBufferSize = 4096;
            s.SendBufferSize = 4096;
        });
        hog.Label = "hog";
        const string text = " x";
        var request = Encoding.UTF8.GetBytes("HELO" + text + "\n");
        var chunk = new byte[request.Length * 4096];
        for (int i = 0; i < 4096; i++)
        {
            request.CopyTo(chunk, i * request.Length);
        }

        // Send without reading until a send stays blocked: the server has stopped reading this client.
        hog.Socket.Blocking = false;
        long total = 0;
        while (true)
        {
            int offset = (int)(total % chunk.Length);
            int n = hog.Socket.Send(chunk, offset, chunk.Length - offset, SocketFlags.None, out var error);
            if (error == SocketError.Success)
            {
                total += n;
                Assert.That(total, Is.LessThan(MaxBytesBeforeCutOff), "the server kept reading a client that does not read");
                continue;
            }

            Assert.That(error, Is.EqualTo(SocketError.WouldBlock));
            if (!hog.Socket.Poll(Wait.Short, SelectMode.SelectWrite))
            {
                break;
            }
        }

        // Meanwhile another client is served at once.
        using var other = server.Connect();
        other.Sync();

        // Every complete request is answered, in order, none dropped and no ERROR 10: the server held the rest back.
        long complete = total / request.Length;
        var reply = Encoding.UTF8.GetBytes(Helo(text, server.Port));
        TestContext.Out.WriteLine($"hog sent {total} bytes ({complete} requests) before its send blocked");
        var replies = hog.ReadBytes((int)(complete * reply.Length), TimeSpan.FromSeconds(10));
        for (long i = 0; i < complete; i++)
        {
            if (!replies.AsSpan((int)(i * reply.Length), reply.Length).SequenceEqual(reply))
            {
                Assert.Fail($"reply {i} differs: {TestClient.Show(replies.AsSpan((int)(i * reply.Length), Math.Min(200, replies.Length - (int)(i * reply.Length))))}");
            }
        }

        hog.Socket.Blocking = true;
        hog.Send(request.AsSpan((int)(total % request.Length)));
        hog.ReadExactly(Helo(text, server.Port));
        hog.Sync();
    }

    private static string Message(int n, string padding) => $"message {n:D6} {padding}";

    /// <summary>Reads one batch of chats; true if the silent member's leave notice came among them.</summary>
    private static bool ReadBatch(TestClient client, int first, string padding)
    {
        bool cutOff = false;
        for (int i = 0; i < MessagesPerBatch; i++)
        {
            var block = client.ReadBlock();
            if (block.IsLeaveNotice && block.Get("CLIENT_NAME") == "silent")
            {
                Assert.That(cutOff, Is.False, $"{client.Label}: two leave notices");
                cutOff = true;
                i--;
                continue;
            }

            Assert.That(block.Kind, Is.EqualTo(ResponseKind.Chat), $"{client.Label}: {TestClient.Show(block)}");
            Assert.That(block.Message, Is.EqualTo(Message(first + i, padding)), $"{client.Label}: message {first + i}");
        }

        return cutOff;
    }
}
