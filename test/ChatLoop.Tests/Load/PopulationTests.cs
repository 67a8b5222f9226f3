using System.Text;
using ChatLoop.Load;

namespace ChatLoop.Tests.Load;

public sealed class PopulationTests
{
    [Test]
    public void Layout_TenClientsThreeRoomsTwoSlow_RoomsMembersAndWitnesses()
    {
        var p = new Population(clients: 10, rooms: 3, slow: 2, prefix: "");
        Assert.That(Enumerable.Range(0, 3).Select(p.HealthyIn), Is.EqualTo(new[] { 4, 3, 3 }));
        Assert.That(Enumerable.Range(0, 3).Select(p.SlowIn), Is.EqualTo(new[] { 1, 1, 0 }));
        Assert.That(p.RoomOf(7), Is.EqualTo(1));
        Assert.That(p.LocalOf(7), Is.EqualTo(2));
        Assert.That(p.HealthyAt(1, 2), Is.EqualTo(7));

        // slow member 11 (the second) is in room 1 after its three healthy members
        Assert.That((p.RoomOf(11), p.LocalOf(11)), Is.EqualTo((1, 3)));

        // the witness is the next member of the room, wrapping around
        Assert.That(p.WitnessOf(0), Is.EqualTo(3));
        Assert.That(p.WitnessOf(9), Is.EqualTo(0));
    }

    [Test]
    public void WitnessOf_AloneInRoom_Itself()
    {
        var p = new Population(clients: 2, rooms: 2, slow: 0, prefix: "");
        Assert.That(p.WitnessOf(1), Is.EqualTo(1));
    }

    [TestCase("run2-c11", true, 11)]
    [TestCase("run2-c0", true, 0)]
    [TestCase("run2-c12", false, -1)]
    [TestCase("run2-c01", false, -1)]
    [TestCase("c5", false, -1)]
    [TestCase("run2-cx", false, -1)]
    [TestCase("run2-c5 ", false, -1)]
    public void TryParseName_WithPrefix_OnlyThisRunsNames(string name, bool ok, int index)
    {
        var p = new Population(clients: 10, rooms: 3, slow: 2, prefix: "run2-");
        Assert.That(p.TryParseName(Encoding.UTF8.GetBytes(name), out int client), Is.EqualTo(ok));
        Assert.That(client, Is.EqualTo(index));
        if (ok)
        {
            Assert.That(p.NameOf(client), Is.EqualTo(name));
        }
    }

    [Test]
    public void NodeOf_ThreeNodes_EveryRoomSpansThemAndEachGetsAnEqualShare()
    {
        var p = new Population(clients: 600, rooms: 30, slow: 30, prefix: "");
        for (int room = 0; room < 30; room++)
        {
            var members = Enumerable.Range(0, 630).Where(c => p.RoomOf(c) == room).ToList();
            var perNode = members.GroupBy(c => p.NodeOf(c, 3)).ToDictionary(g => g.Key, g => g.Count());
            Assert.That(perNode.Keys, Is.EquivalentTo(new[] { 0, 1, 2 }), $"room {room}");
            Assert.That(perNode.Values.Max() - perNode.Values.Min(), Is.LessThanOrEqualTo(1), $"room {room}");
        }

        // member j of room r is on node (r + j) mod 3; slow client 601 is member 20 of room 1
        Assert.That((p.NodeOf(0, 3), p.NodeOf(30, 3), p.NodeOf(31, 3), p.NodeOf(601, 3)), Is.EqualTo((0, 1, 2, 0)));
        Assert.That(Enumerable.Range(0, 630).Select(c => p.NodeOf(c, 1)).Distinct(), Is.EqualTo(new[] { 0 }));
    }
}
