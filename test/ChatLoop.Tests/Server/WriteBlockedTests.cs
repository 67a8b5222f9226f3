using System.Text;
using ChatLoop.Server;
using ChatLoop.Server.Polling;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Support.Blocks;
using static ChatLoop.Tests.Support.Requests;

namespace ChatLoop.Tests.Server;

/// <summary>
/// A member that reads late: what the kernel does not take stays queued, the poller is asked to report the
/// socket writable, and the rest goes out as the client reads. A poller that is never told loses the tail.
/// </summary>
public sealed class WriteBlockedTests(PollerKind poller) : PollerFixture(poller)
{
    // 8 MB for the late member: twice what Linux lets a socket's send buffer grow to (tcp_wmem's 4 MiB).
    private const int Messages = 1000;
    private const int Padding = 8000;

    [Test]
    public void LateReader_QueueBeyondKernelBuffers_GetsEveryMessageOnceItReads()
    {
        // The backpressure mark above what is queued: no probe sends (those are for members behind the mark),
        // so only the poller's writable report moves the late member's queue.
        using var server = new TestServer(new ServerSettings { MaxOutboundBytes = 64 * 1024 * 1024, BackpressureBytes = 32 * 1024 * 1024 });
        int port = server.Port;
        using var late = server.Connect(s => s.ReceiveBufferSize = 2048);
        late.Label = "late";
        using var talker = server.Connect();
        talker.Label = "talker";
        late.Send(Join("r", "late"));
        late.ReadExactly(Joined("r", port, 0, 1) + Joins(0, "late"));
        talker.Send(Join("r", "talker"));
        talker.ReadExactly(Joined("r", port, 0, 2) + Joins(0, "talker"));
        var padding = new string('p', Padding);
        var expected = new StringBuilder(Joins(0, "talker"));
        for (int i = 0; i < Messages; i++)
        {
            talker.Send(Chat(0, 2, "talker", $"m{i} {padding}"));
            talker.ReadExactly(Blocks.Chat(0, "talker", $"m{i} {padding}"));
            expected.Append(Blocks.Chat(0, "talker", $"m{i} {padding}"));
        }

        late.ReadExactly(expected.ToString());
        late.Sync();
    }
}
