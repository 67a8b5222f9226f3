using System.Net.Sockets;
using ChatLoop.Server.Polling;

namespace ChatLoop.Tests.Polling;

/// <summary>What only epoll does: it reports an error or hang-up whatever the interest.</summary>
[Platform("Linux")]
public sealed class EpollPollerTests
{
    [Test]
    public void Wait_PeerResetsWhileNotWatched_ReportedReadableSoTheReadSeesTheReset()
    {
        using var rig = new PollerRig(PollerKind.Epoll);
        var (c, client) = rig.Open(Interest.None);

        client.LingerState = new LingerOption(true, 0);
        client.Close();

        Assert.That(rig.WaitUntil(r => r.Readable.Contains(c)), Is.True, "the reset is reported although reading is off");
        var n = c.Socket!.Receive(new byte[16], 0, 16, SocketFlags.None, out var error);
        Assert.That((n, error), Is.EqualTo((0, SocketError.ConnectionReset)));
    }
}
