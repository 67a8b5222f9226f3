using ChatLoop.Server.Polling;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Support.Blocks;
using static ChatLoop.Tests.Support.Requests;

namespace ChatLoop.Tests.Server;

/// <summary>PROTOCOL.md §5: the course grader's steps, in its order, every block checked on every member.</summary>
public sealed class GradingSequenceTests(PollerKind poller) : PollerFixture(poller)
{
    private const string Room1 = "room1";
    private const string Room2 = "room2";

    [Test]
    public void GradingSequence_FourClientsTwoRooms_EveryBlockAsTheGraderExpects()
    {
        using var server = new TestServer();
        int port = server.Port;

        using (var helo = server.Connect())
        {
            helo.Send("HELO BASE_TEST\n");
            helo.ReadExactly(Helo(" BASE_TEST", port));
        }

        var first = ConnectFour(server);
        try
        {
            var c1 = first[0];
            c1.Send(Join(Room1, "client1"));
            c1.ReadExactly(Joined(Room1, port, 0, 1) + Joins(0, "client1"));
            c1.Send(Leave(0, 1, "client1"));
            c1.ReadExactly(Left(0, 1) + Leaves(0, "client1"));
            c1.Send(Join(Room1, "client1"));
            c1.ReadExactly(Joined(Room1, port, 0, 1) + Joins(0, "client1"));

            // Two rooms per client; client3 and client4 join room2 first, so DISCONNECT's ref order is not join order.
            var room1 = new List<TestClient> { c1 };
            var room2 = new List<TestClient>();
            JoinAndCheck(first[1], Room1, 0, 2, room1, port);
            JoinAndCheck(c1, Room2, 1, 1, room2, port);
            JoinAndCheck(first[1], Room2, 1, 2, room2, port);
            JoinAndCheck(first[2], Room2, 1, 3, room2, port);
            JoinAndCheck(first[2], Room1, 0, 3, room1, port);
            JoinAndCheck(first[3], Room2, 1, 4, room2, port);
            JoinAndCheck(first[3], Room1, 0, 4, room1, port);

            ChatEverywhere(first, firstJoinId: 1);

            // DISCONNECT: the leaver and every remaining member get room1's notice, then room2's; no LEFT_CHATROOM.
            for (int n = 0; n < 4; n++)
            {
                var name = first[n].Label;
                first[n].Send(Disconnect(name));
                for (int m = n; m < 4; m++)
                {
                    first[m].ReadExactly(Leaves(0, name) + Leaves(1, name));
                }

                first[n].ExpectClosed();
            }
        }
        finally
        {
            DisposeAll(first);
        }

        var again = ConnectFour(server);
        try
        {
            // The same names on new connections: the names were freed, the rooms kept their refs, JOIN_IDs go on from 5.
            var room1 = new List<TestClient>();
            var room2 = new List<TestClient>();
            for (int n = 0; n < 4; n++)
            {
                JoinAndCheck(again[n], Room1, 0, 5 + n, room1, port);
                JoinAndCheck(again[n], Room2, 1, 5 + n, room2, port);
            }

            ChatEverywhere(again, firstJoinId: 5);

            again[0].Send(KillService);
            foreach (var client in again)
            {
                client.ExpectClosed();
            }

            Assert.That(server.Server.WaitForExit(Wait.Long), Is.True, "the server did not exit after KILL_SERVICE");
        }
        finally
        {
            DisposeAll(again);
        }
    }

    private static TestClient[] ConnectFour(TestServer server)
    {
        var clients = new TestClient[4];
        for (int n = 0; n < 4; n++)
        {
            clients[n] = server.Connect();
            clients[n].Label = $"client{n + 1}";
        }

        return clients;
    }

    /// <summary>The joiner gets JOINED_CHATROOM then the notice; every earlier member gets the notice.</summary>
    private static void JoinAndCheck(TestClient joiner, string room, long roomRef, long joinId, List<TestClient> members, int port)
    {
        joiner.Send(Join(room, joiner.Label));
        joiner.ReadExactly(Joined(room, port, roomRef, joinId) + Joins(roomRef, joiner.Label));
        foreach (var member in members)
        {
            member.ReadExactly(Joins(roomRef, joiner.Label));
        }

        members.Add(joiner);
    }

    /// <summary>Each client chats in room1 then room2; all four are in both, so each reads every chat in order.</summary>
    private static void ChatEverywhere(TestClient[] clients, long firstJoinId)
    {
        for (int n = 0; n < 4; n++)
        {
            var text = $"hello world from client {n + 1}";
            clients[n].Send(Chat(0, firstJoinId + n, clients[n].Label, text) + Chat(1, firstJoinId + n, clients[n].Label, text));
            foreach (var member in clients)
            {
                member.ReadExactly(Chat(0, clients[n].Label, text) + Chat(1, clients[n].Label, text));
            }
        }
    }

    private static void DisposeAll(TestClient[] clients)
    {
        foreach (var client in clients)
        {
            client?.Dispose();
        }
    }
}
