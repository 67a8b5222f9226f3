using ChatLoop.Protocol;
using ChatLoop.Server;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Metrics;
using ChatLoop.Server.Reactor;
using ChatLoop.Server.Rooms;
using ChatLoop.Tests.Support;
using Moq;

namespace ChatLoop.Tests.Fuzz;

/// <summary>
/// Pushes many random and mutated inputs through the reader and the handler exactly as the reactor
/// does, and checks after each that nothing escaped, rooms and names are consistent, and no client
/// received a line it should not have.
/// </summary>
public sealed class HandlerFuzzTests
{
    private const int Inputs = 120_000;
    private const int Clients = 6;

    [Test]
    public void Handle_HundredThousandMutatedInputs_NoExceptionAndStateStaysConsistent()
    {
        var settings = new ServerSettings { MaxLineBytes = 512, MaxRequestBytes = 2048, MaxRooms = 4, MaxRoomsPerClient = 3, MessageIdle = TimeSpan.FromMilliseconds(1) };
        var work = new TickWork();
        var control = new Mock<IServerControl>();
        var handler = new CommandHandler(settings, new ServerStats(), control.Object, work) { Port = 5000 };
        var limits = new ReaderLimits(settings.MaxLineBytes, settings.MaxRequestBytes);
        var mutator = new InputMutator(seed: 20261124);
        var clients = new Connection[Clients];
        long nextId = 1;
        for (int i = 0; i < Clients; i++)
        {
            clients[i] = new Connection(nextId++, LoopbackSocket.Accepted(), null, work, limits, settings.MaxOutboundBytes, settings.BackpressureBytes, 0);
        }

        int requests = 0;
        for (int n = 0; n < Inputs; n++)
        {
            int who = mutator.Random.Next(Clients);
            var sender = clients[who];
            var input = mutator.Next();
            int at = 0;
            while (at < input.Length)
            {
                int chunk = Math.Min(input.Length - at, 1 + mutator.Random.Next(input.Length));
                sender.Reader.Append(input.AsSpan(at, chunk));
                at += chunk;
                while (sender.IsOpen && sender.Reader.TryRead(out var request))
                {
                    handler.Handle(sender, request);
                    requests++;
                }
            }

            if (sender.IsOpen && mutator.Random.Next(4) == 0 && sender.Reader.TryEndIdleMessage(out var idle))
            {
                handler.Handle(sender, idle);
            }

            foreach (var c in work.Closing)
            {
                handler.Retire(c);
            }

            CheckOutput(clients, who);
            CheckRooms(handler, clients);
            for (int i = 0; i < Clients; i++)
            {
                if (!clients[i].IsOpen)
                {
                    clients[i].Reader.Dispose();
                    clients[i].Socket.Dispose();
                    clients[i] = new Connection(nextId++, LoopbackSocket.Accepted(), null, work, limits, settings.MaxOutboundBytes, settings.BackpressureBytes, 0);
                }
            }

            work.Closing.Clear();
            work.Dirty.Clear();
        }

        control.Verify(c => c.RequestShutdown(It.IsAny<string>()), Times.Never, "no peer here is on loopback, so KILL_SERVICE is refused");
        Assert.That(requests, Is.GreaterThan(Inputs / 2), "most inputs must reach the handler as requests, or the fuzzer tests nothing");
    }

    /// <summary>No CR is ever sent, output parses as whole blocks, and ERRORs go only to the client that caused them.</summary>
    private static void CheckOutput(Connection[] clients, int sender)
    {
        for (int i = 0; i < clients.Length; i++)
        {
            var c = clients[i];
            var bytes = c.Outbound.Pending;
            Assert.That(bytes.IndexOf((byte)'\r'), Is.EqualTo(-1), "the server never sends CR");
            using var reader = new ResponseReader();
            reader.Append(bytes);
            while (reader.TryRead(out var block))
            {
                if (block!.Kind == ResponseKind.Error && i != sender)
                {
                    Assert.Fail($"client {i} got an ERROR caused by client {sender}: {block.Get("ERROR_DESCRIPTION")}");
                }
            }

            Assert.That(reader.InBlock, Is.False, $"client {i} was sent part of a block");
            c.Outbound.Consume(c.Outbound.Length);
        }
    }

    private static void CheckRooms(CommandHandler handler, Connection[] clients)
    {
        int memberships = 0;
        foreach (var room in handler.Rooms.All)
        {
            Assert.That(room.Members, Is.Unique);
            foreach (var member in room.Members)
            {
                Assert.That(member.Member.Retired, Is.False, "a retired connection is still in a room");
                Assert.That(member.Member.Rooms, Does.Contain(room));
            }

            memberships += room.Members.Count;
        }

        int held = clients.Where(c => !c.Member.Retired).Sum(c => c.Member.Rooms?.Count ?? 0);
        Assert.That(memberships, Is.EqualTo(held), "rooms and clients disagree on who is where");
        Assert.That(handler.Rooms.Count, Is.LessThanOrEqualTo(4));
        Assert.That(handler.NamesBound, Is.EqualTo(clients.Count(c => c.IsOpen && c.Member.Name is not null)));
    }
}
