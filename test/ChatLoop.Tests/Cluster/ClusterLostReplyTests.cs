using ChatLoop.Server.Cluster;
using ChatLoop.Server.Sequencing;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Cluster.ClusterTestSteps;

namespace ChatLoop.Tests.Cluster;

/// <summary>
/// A batch's reply lost after Redis ran it (the primary killed just after, say): the events it held came back
/// through the inbox on another connection, so what was applied already must not be answered ERROR 12 too.
/// </summary>
[TestFixture]
[NonParallelizable]
internal sealed class ClusterLostReplyTests
{
    [Test]
    public void JoinAlreadyApplied_ItsBatchReplyFails_NoErrorToTheMember()
    {
        using var cluster = new ClusterNodes(1);
        using var c = cluster[0].Connect();
        var (r, id) = Join(c, "room", "c");
        var node = cluster[0].Server.Cluster!;
        var member = node.MemberForTest(id)!;
        var room = member.Member.Rooms!.Single();

        node.PostForTest(new ClusterInbound.Failed(member, RoomEventKind.Join, room, "Redis is unreachable"));

        // The next bytes it gets are its own chat: no ERROR 12 came first.
        c.Send(Requests.Chat(r, id, "c", "still in"));
        Expect(c, Blocks.Chat(r, "c", "still in"));
    }

    [Test]
    public void JoinNotApplied_ItsBatchReplyFails_ErrorToTheMember()
    {
        using var cluster = new ClusterNodes(1);
        using var c = cluster[0].Connect();
        var (_, id) = Join(c, "room", "c");
        using var other = cluster[0].Connect();
        Join(other, "elsewhere", "o");
        var node = cluster[0].Server.Cluster!;
        var member = node.MemberForTest(id)!;
        var elsewhere = node.MemberForTest(id + 1)!.Member.Rooms!.Single();

        // A join of a room it is not in: its outcome is unknown, so the client is told.
        node.PostForTest(new ClusterInbound.Failed(member, RoomEventKind.Join, elsewhere, "Redis is unreachable"));

        Expect(c, "ERROR_CODE: 12\nERROR_DESCRIPTION: cluster unavailable: Redis is unreachable\n");
    }
}
