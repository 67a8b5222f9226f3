using System.Net;
using System.Net.Sockets;
using ChatLoop.Client;
using ChatLoop.Server;
using ChatLoop.Server.Polling;
using ChatLoop.Tests.Support;

namespace ChatLoop.Tests.Client;

/// <summary>Two client sessions against a real in-process server on a loopback port.</summary>
public sealed class ClientServerTests(PollerKind poller) : PollerFixture(poller)
{
    private ChatServer _server = null!;
    private readonly List<IDisposable> _owned = [];

    [SetUp]
    public void SetUp()
    {
        _server = new ChatServer(new ServerSettings { Port = 0, Bind = IPAddress.Loopback, Poller = Poller });
        _server.Start();
    }

    [TearDown]
    public void TearDown()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        _owned.Clear();
        _server.Dispose();
    }

    [Test]
    public void TwoClients_JoinChatLeave_EachSeesTheOther()
    {
        var (alice, aliceOut) = Connect("alice");
        var (bob, bobOut) = Connect("bob");

        alice.HandleLine("/join room1");
        aliceOut.WaitFor("[room1] * alice has joined");
        bob.HandleLine("/join room1");
        bobOut.WaitFor("[room1] * bob has joined");
        aliceOut.WaitFor("[room1] * bob has joined");

        alice.HandleLine("hello bob");
        bobOut.WaitFor("[room1] alice: hello bob");
        aliceOut.WaitFor("[room1] alice: hello bob");
        bob.HandleLine("hi alice\\");
        bob.HandleLine("two lines");
        aliceOut.WaitFor("[room1] bob: hi alice");
        aliceOut.WaitFor("             two lines");

        bob.HandleLine("/leave");
        bobOut.WaitFor("* left [room1]; you are in no room now");
        aliceOut.WaitFor("[room1] * bob has left");
        bob.HandleLine("still here?");
        bobOut.WaitFor("! you are in no room; /join ROOM first");

        Assert.That(alice.HandleLine("/quit"), Is.False);
        Assert.That(aliceOut.Lines, Does.Contain("[room1] * alice has left"), "the leave notice arrives before the server closes");
        Assert.That(alice.Closed.Result, Is.False, "a quit is not an unexpected close");
        Assert.That(bob.Closed.IsCompleted, Is.False, "bob is still connected");
        Assert.That(bobOut.Lines, Does.Not.Contain("[room1] * alice has left"), "bob left room1 before alice quit");
    }

    [Test]
    public void TwoRooms_ChatGoesToCurrentRoomOnly()
    {
        var (alice, aliceOut) = Connect("alice");
        var (bob, bobOut) = Connect("bob");
        alice.HandleLine("/join room1");
        alice.HandleLine("/join room2");
        aliceOut.WaitFor("[room2] * alice has joined");
        bob.HandleLine("/join room2");
        bobOut.WaitFor("[room2] * bob has joined");

        alice.HandleLine("/switch room1");
        alice.HandleLine("only in one");
        alice.HandleLine("/switch room2");
        alice.HandleLine("in two");

        bobOut.WaitFor("[room2] alice: in two");
        aliceOut.WaitFor("[room1] alice: only in one");
        Assert.That(bobOut.Lines, Has.None.Contains("only in one"));
    }

    [Test]
    public void HandleLine_TextStraightAfterJoin_GoesToTheNewRoom()
    {
        var (alice, _) = Connect("alice");
        var (bob, bobOut) = Connect("bob");
        bob.HandleLine("/join room1");

        alice.HandleLine("/join room1");
        alice.HandleLine("first words");

        bobOut.WaitFor("[room1] alice: first words");
    }

    [Test]
    public void Join_NameInUse_ErrorShown()
    {
        var (alice, aliceOut) = Connect("alice");
        var (other, otherOut) = Connect("ALICE");
        alice.HandleLine("/join room1");
        aliceOut.WaitFor("[room1] * alice has joined");

        other.HandleLine("/join room1");

        otherOut.WaitUntil(l => l.StartsWith("! ", StringComparison.Ordinal), "an error line");
        Assert.That(other.CurrentRoom, Is.Null);
    }

    [Test]
    public void Name_AfterTheNameWasInUse_JoinsUnderTheNewNameWithoutRestarting()
    {
        var (alice, aliceOut) = Connect("alice");
        var (other, otherOut) = Connect("ALICE");
        alice.HandleLine("/join room1");
        aliceOut.WaitFor("[room1] * alice has joined");
        other.HandleLine("/join room1");
        otherOut.WaitFor("* pick another name with /name NAME, then /join again");

        other.HandleLine("/name alicia");
        otherOut.WaitFor("* your name is now alicia; /join ROOM to start");
        Assert.That(other.Name, Is.EqualTo("alicia"));
        other.HandleLine("/join room1");
        otherOut.WaitFor("[room1] * alicia has joined");
        aliceOut.WaitFor("[room1] * alicia has joined");
        other.HandleLine("hello from a new name");
        aliceOut.WaitFor("[room1] alicia: hello from a new name");

        // Joined, the connection's name is fixed (PROTOCOL.md §2.1): refused here, not by an ERROR from the server.
        other.HandleLine("/name ally");
        otherOut.WaitUntil(l => l.StartsWith("! this connection is joined as alicia", StringComparison.Ordinal), "the refusal");
        Assert.That(other.Name, Is.EqualTo("alicia"));
    }

    [Test]
    public void Stats_NarrowTerminal_EveryLineFits()
    {
        var tcp = new TcpClient { NoDelay = true };
        tcp.Connect(IPAddress.Loopback, _server.Port);
        var output = new CapturingWriter();
        var session = new ChatSession(tcp.GetStream(), output, new ClientSettings { Name = "narrow" }) { Width = () => 40 };
        _owned.Add(tcp);
        _owned.Add(output);
        _owned.Add(session);
        session.Start();

        session.HandleLine("/stats");
        session.HandleLine("/helo end");
        output.WaitUntil(l => l.StartsWith("* HELO end", StringComparison.Ordinal), "the HELO after the stats");

        var stats = output.Lines.TakeWhile(l => !l.StartsWith("* HELO", StringComparison.Ordinal)).ToList();
        Assert.That(stats, Has.Count.GreaterThan(2));
        Assert.That(stats, Has.All.Length.LessThan(40));
    }

    [Test]
    public void HeloAndStats_RepliesShownAsReadableLines()
    {
        var (alice, aliceOut) = Connect("alice");

        alice.HandleLine("/helo there");
        alice.HandleLine("/stats");

        aliceOut.WaitFor($"* HELO there: server 127.0.0.1 port {_server.Port}, student id 17313056");
        aliceOut.WaitUntil(l => l.StartsWith("* server stats: ", StringComparison.Ordinal) && l.Contains("clients 1", StringComparison.Ordinal), "the stats line");
    }

    [Test]
    public void Closed_ServerStops_TrueAndShown()
    {
        var (alice, aliceOut) = Connect("alice");
        alice.HandleLine("/join room1");
        aliceOut.WaitFor("[room1] * alice has joined");

        _server.Stop();

        Assert.That(alice.Closed.Wait(TimeSpan.FromSeconds(5)), Is.True);
        Assert.That(alice.Closed.Result, Is.True);
        aliceOut.WaitFor(Display.ServerClosed);
    }

    private (ChatSession Session, CapturingWriter Output) Connect(string name)
    {
        var tcp = new TcpClient { NoDelay = true };
        tcp.Connect(IPAddress.Loopback, _server.Port);
        var output = new CapturingWriter();
        var session = new ChatSession(tcp.GetStream(), output, new ClientSettings { Name = name, QuitWait = TimeSpan.FromSeconds(5) });
        _owned.Add(tcp);
        _owned.Add(output);
        _owned.Add(session);
        session.Start();
        return (session, output);
    }
}
