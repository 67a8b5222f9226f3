using ChatLoop.Protocol;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Cluster.ClusterTestSteps;

namespace ChatLoop.Tests.Cluster;

/// <summary>Every member of a room on every node gets the room's blocks once, in one order (CLUSTER.md).</summary>
[TestFixture]
[NonParallelizable]
public sealed class ClusterOrderTests
{
    [Test]
    public void Chat_MembersOnOtherNodes_EachOnceInSendersOrder()
    {
        using var cluster = new ClusterNodes(3);
        var members = new List<TestClient>();
        var ids = new List<long>();
        long roomRef = 0;
        for (int i = 0; i < 3; i++)
        {
            var c = cluster[i].Connect();
            c.Label = $"m{i}";
            (roomRef, long id) = Join(c, "talk", $"m{i}");
            ids.Add(id);
            members.Add(c);
            for (int j = 0; j < i; j++)
            {
                Expect(members[j], Blocks.Joins(roomRef, $"m{i}"));
            }
        }

        const int count = 50;
        for (int k = 0; k < count; k++)
        {
            members[0].Send(Requests.Chat(roomRef, ids[0], "m0", $"a{k}"));
            members[1].Send(Requests.Chat(roomRef, ids[1], "m1", $"b{k}"));
        }

        var orders = new List<List<string>>();
        foreach (var m in members)
        {
            var seen = new List<string>();
            for (int k = 0; k < 2 * count; k++)
            {
                var block = m.ReadBlock();
                Assert.That(block.Kind, Is.EqualTo(ResponseKind.Chat), $"{m.Label}: {TestClient.Show(block)}");
                seen.Add(block.Message!);
            }

            m.ExpectNothing();
            Assert.That(seen.Where(s => s[0] == 'a'), Is.EqualTo(Enumerable.Range(0, count).Select(k => $"a{k}")), $"{m.Label}: m0's chats once each, in order");
            Assert.That(seen.Where(s => s[0] == 'b'), Is.EqualTo(Enumerable.Range(0, count).Select(k => $"b{k}")), $"{m.Label}: m1's chats once each, in order");
            orders.Add(seen);
        }

        Assert.That(orders[1], Is.EqualTo(orders[0]), "one order for the room on every node");
        Assert.That(orders[2], Is.EqualTo(orders[0]), "one order for the room on every node");
    }

    [Test]
    public void Join_ManyAtOnceOnDifferentNodes_OneJoinOrder()
    {
        using var cluster = new ClusterNodes(3);
        const int n = 12;
        var clients = Enumerable.Range(0, n).Select(i => cluster[i % 3].Connect()).ToList();
        for (int i = 0; i < n; i++)
        {
            clients[i].Label = $"j{i}";
            clients[i].Send(Requests.Join("crowd", $"j{i}"));
        }

        var seen = new Dictionary<string, List<string>>();
        for (int i = 0; i < n; i++)
        {
            ReadJoined(clients[i], $"j{i}");
        }

        // Everyone has joined; a last chat marks the end of each member's join notices.
        var marker = cluster[0].Connect();
        Join(marker, "crowd", "marker");
        for (int i = 0; i < n; i++)
        {
            var names = new List<string>();
            while (true)
            {
                var block = clients[i].ReadBlock();
                Assert.That(block.IsJoinNotice, Is.True, $"j{i}: {TestClient.Show(block)}");
                if (block.Get("CLIENT_NAME") == "marker")
                {
                    break;
                }

                names.Add(block.Get("CLIENT_NAME")!);
            }

            seen[$"j{i}"] = names;
        }

        // One join order: the member that saw most notices joined first, and each member saw exactly
        // those who joined after it, in that order (of any two, only the later one's notice reaches the other).
        var order = seen.OrderByDescending(kv => kv.Value.Count).Select(kv => kv.Key).ToList();
        for (int i = 0; i < order.Count; i++)
        {
            Assert.That(seen[order[i]], Is.EqualTo(order.Skip(i + 1)), $"{order[i]} saw the joins after its own, in the one order");
        }
    }

    [Test]
    public void Disconnect_MemberOfThreeRooms_LeaveNoticesInAscendingRefsOnOtherNode()
    {
        using var cluster = new ClusterNodes(2);
        using var leaver = cluster[0].Connect();
        using var stayer = cluster[1].Connect();
        var refs = new List<long>();
        foreach (var room in new[] { "r-a", "r-b", "r-c" })
        {
            refs.Add(Join(stayer, room, "stayer").Ref);
            Join(leaver, room, "leaver");
            Expect(stayer, Blocks.Joins(refs[^1], "leaver"));
        }

        leaver.Send(Requests.Disconnect("leaver"));
        foreach (var r in refs.Order())
        {
            Expect(leaver, Blocks.Leaves(r, "leaver"));
            Expect(stayer, Blocks.Leaves(r, "leaver"));
        }

        leaver.ExpectClosed();
        stayer.ExpectNothing();
    }

    [Test]
    public void Leave_MemberOnOtherNode_SeesTheNoticeOnce_LeaverGetsReplyThenNotice()
    {
        using var cluster = new ClusterNodes(2);
        using var stayer = cluster[1].Connect();
        var (r, idS) = Join(stayer, "door", "stayer");
        using var leaver = cluster[0].Connect();
        var (_, idL) = Join(leaver, "door", "leaver");
        Expect(stayer, Blocks.Joins(r, "leaver"));

        // A hard-coded foreign JOIN_ID is ignored: LEFT_CHATROOM carries the connection's own.
        leaver.Send(Requests.Leave(r, 77, "leaver"));
        Expect(leaver, Blocks.Left(r, idL));
        Expect(leaver, Blocks.Leaves(r, "leaver"));
        Expect(stayer, Blocks.Leaves(r, "leaver"));

        leaver.Send(Requests.Leave(r, idL, "leaver"));
        Expect(leaver, Blocks.Left(r, idL));
        leaver.ExpectNothing();
        stayer.ExpectNothing();
        stayer.Send(Requests.Chat(r, idS, "stayer", "alone"));
        Expect(stayer, Blocks.Chat(r, "stayer", "alone"));
    }

    [Test]
    public void Chat_RoomNameForItsRef_ReachesTheOtherNodeWithTheNumericRef()
    {
        using var cluster = new ClusterNodes(2);
        using var a = cluster[0].Connect();
        using var b = cluster[1].Connect();
        var (r, _) = Join(a, "named", "a");
        Join(b, "named", "b");
        Expect(a, Blocks.Joins(r, "b"));

        a.Send("CHAT: named\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: by name\n\n");
        Expect(a, Blocks.Chat(r, "a", "by name"));
        Expect(b, Blocks.Chat(r, "a", "by name"));
    }

    [Test]
    public void Eof_MemberOnOtherNode_LeavesOnce()
    {
        using var cluster = new ClusterNodes(2);
        using var stayer = cluster[1].Connect();
        var (r, _) = Join(stayer, "eof", "stayer");
        var leaver = cluster[0].Connect();
        Join(leaver, "eof", "gone");
        Expect(stayer, Blocks.Joins(r, "gone"));
        leaver.Dispose();
        Expect(stayer, Blocks.Leaves(r, "gone"));
        stayer.ExpectNothing();
    }
}
