using System.Diagnostics;
using ChatLoop.Client;
using ChatLoop.Protocol;

namespace ChatLoop.Tests.Client;

/// <summary>The session against a scripted peer on a loopback socket: exact bytes out, lines shown for bytes in.</summary>
public sealed class ChatSessionTests
{
    private const string JoinRequest = "JOIN_CHATROOM: room1\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: alice\n";
    private const string JoinedReply = "JOINED_CHATROOM: room1\nSERVER_IP: 127.0.0.1\nPORT: 5000\nROOM_REF: 7\nJOIN_ID: 3\n"
        + "CHAT: 7\nCLIENT_NAME: alice\nMESSAGE: alice has joined this chatroom.\n\n";

    private ScriptedPeer _peer = null!;
    private CapturingWriter _output = null!;
    private ChatSession _session = null!;

    [SetUp]
    public void SetUp()
    {
        _peer = new ScriptedPeer();
        _output = new CapturingWriter();
        _session = new ChatSession(_peer.ConnectClient(), _output, new ClientSettings { Name = "alice", QuitWait = TimeSpan.FromSeconds(5) });
        _session.Start();
    }

    [TearDown]
    public void TearDown()
    {
        _session.Dispose();
        _peer.Dispose();
        _output.Dispose();
    }

    [Test]
    public void HandleLine_JoinThenText_ChatUsesRefAndJoinIdFromReply()
    {
        JoinRoom1();

        _session.HandleLine("hello world");

        Assert.That(_peer.ReadUntilEndsWith("\n\n"), Is.EqualTo("CHAT: 7\nJOIN_ID: 3\nCLIENT_NAME: alice\nMESSAGE: hello world\n\n"));
        Assert.That(_session.CurrentRoom, Is.EqualTo("room1"));
        Assert.That(_session.JoinId, Is.EqualTo(3));
    }

    [Test]
    public void HandleLine_TextWithNoRoom_SaysSoAndSendsNothing()
    {
        _session.HandleLine("anyone there?");
        _session.HandleLine("/helo x");

        _output.WaitFor("! you are in no room; /join ROOM first");
        Assert.That(_peer.ReadUntilEndsWith("\n"), Is.EqualTo("HELO x\n"), "the HELO is the first thing sent");
    }

    [Test]
    public void HandleLine_ContinuedLines_OneMultiLineChatWithGuardedRequestLine()
    {
        JoinRoom1();

        Assert.That(_session.HandleLine("first \\"), Is.True);
        Assert.That(_session.Continuing, Is.True);
        _session.HandleLine("CHAT: 99");

        Assert.That(_peer.ReadUntilEndsWith("\n\n"), Is.EqualTo($"CHAT: 7\nJOIN_ID: 3\nCLIENT_NAME: alice\nMESSAGE: first\n{MessageText.Guard}CHAT: 99\n\n"));
    }

    [Test]
    public void HandleLine_LeaveWithoutRoom_LeavesCurrentAndShowsNotice()
    {
        JoinRoom1();
        string? announced = "unset";
        _session.CurrentRoomChanged += room => announced = room;

        var leaving = Task.Run(() => _session.HandleLine("/leave"));
        Assert.That(_peer.ReadUntilEndsWith("alice\n"), Is.EqualTo("LEAVE_CHATROOM: 7\nJOIN_ID: 3\nCLIENT_NAME: alice\n"));
        _peer.Send("LEFT_CHATROOM: 7\nJOIN_ID: 3\nCHAT: 7\nCLIENT_NAME: alice\nMESSAGE: alice has left this chatroom.\n\n");
        Assert.That(leaving.Wait(TimeSpan.FromSeconds(5)), Is.True);

        _output.WaitFor("[room1] * alice has left");
        Assert.That(_output.Lines, Does.Contain("* left [room1]; you are in no room now"));
        Assert.That(_session.CurrentRoom, Is.Null);
        Assert.That(announced, Is.Null);
    }

    [Test]
    public void HandleLine_LeaveRoomNotJoined_SaysSo()
    {
        JoinRoom1();

        _session.HandleLine("/leave room2");

        _output.WaitFor("! you are not in [room2]");
    }

    [Test]
    public void HandleLine_SwitchToJoinedRoom_BecomesCurrent()
    {
        JoinRoom1();
        var joining = Task.Run(() => _session.HandleLine("/join room2"));
        _peer.ReadUntilEndsWith("alice\n");
        _peer.Send("JOINED_CHATROOM: room2\nSERVER_IP: 127.0.0.1\nPORT: 5000\nROOM_REF: 8\nJOIN_ID: 3\n");
        Assert.That(joining.Wait(TimeSpan.FromSeconds(5)), Is.True);
        Assert.That(_session.CurrentRoom, Is.EqualTo("room2"), "the reply has been taken in when /join returns");

        _session.HandleLine("/switch room1");
        _session.HandleLine("to room one");

        _output.WaitFor("* current room: [room1]");
        Assert.That(_peer.ReadUntilEndsWith("\n\n"), Does.StartWith("CHAT: 7\n"));
    }

    [Test]
    public void HandleLine_SwitchToRoomNotJoined_SaysSoAndKeepsCurrent()
    {
        JoinRoom1();

        _session.HandleLine("/switch lobby");

        _output.WaitFor("! you are not in [lobby]; /join lobby first");
        Assert.That(_session.CurrentRoom, Is.EqualTo("room1"));
    }

    [Test]
    public void HandleLine_UnknownCommand_ClearMessage()
    {
        _session.HandleLine("/dance");

        _output.WaitFor("! unknown command /dance; /help lists the commands");
    }

    [Test]
    public void HandleLine_Stats_SendsStatsAndShowsReply()
    {
        _session.HandleLine("/stats");
        Assert.That(_peer.ReadUntilEndsWith("\n"), Is.EqualTo("STATS\n"));

        _peer.Send("CLIENTS: 1\nROOMS: 0\n\n");

        _output.WaitFor("* server stats: clients 1, rooms 0");
    }

    [Test]
    public void HandleLine_Quit_SendsDisconnectShowsNoticesAndReturnsOnServerClose()
    {
        JoinRoom1();

        var quitting = Task.Run(() => _session.HandleLine("/quit"));
        Assert.That(_peer.ReadUntilEndsWith("alice\n"), Is.EqualTo("DISCONNECT: 0\nPORT: 0\nCLIENT_NAME: alice\n"));
        _peer.Send("CHAT: 7\nCLIENT_NAME: alice\nMESSAGE: alice has left this chatroom.\n\n");
        _peer.Close();

        Assert.That(quitting.Wait(TimeSpan.FromSeconds(5)), Is.True, "quit returns once the server has closed");
        Assert.That(quitting.Result, Is.False, "the session is over");
        Assert.That(_output.Lines, Does.Contain("[room1] * alice has left"));
        Assert.That(_session.Closed.Result, Is.False, "a quit is not an unexpected close");
        Assert.That(_output.Lines, Does.Not.Contain(Display.ServerClosed));
    }

    [Test]
    public void Quit_ServerKeepsConnectionOpen_ReturnsAfterQuitWait()
    {
        using var peer = new ScriptedPeer();
        using var output = new CapturingWriter();
        using var session = new ChatSession(peer.ConnectClient(), output, new ClientSettings { Name = "alice", QuitWait = TimeSpan.FromMilliseconds(300) });
        session.Start();
        var clock = Stopwatch.StartNew();

        session.Quit();

        Assert.That(clock.Elapsed, Is.InRange(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3)));
        Assert.That(peer.ReadUntilEndsWith("alice\n"), Is.EqualTo("DISCONNECT: 0\nPORT: 0\nCLIENT_NAME: alice\n"));
        Assert.That(output.Lines, Does.Contain("! the server did not close the connection in time; closing it"));
    }

    [Test]
    public void HandleLine_JoinUnanswered_ReturnsAfterReplyWaitAndSaysSo()
    {
        using var peer = new ScriptedPeer();
        using var output = new CapturingWriter();
        using var session = new ChatSession(peer.ConnectClient(), output, new ClientSettings { Name = "alice", ReplyWait = TimeSpan.FromMilliseconds(200) });
        session.Start();
        var clock = Stopwatch.StartNew();

        Assert.That(session.HandleLine("/join room1"), Is.True);

        Assert.That(clock.Elapsed, Is.InRange(TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(3)));
        Assert.That(output.Lines, Is.EqualTo(new[] { "! no reply from the server yet" }));
    }

    [Test]
    public void HandleLine_JoinAnsweredWithError_ReturnsAtOnceWithErrorShown()
    {
        var joining = Task.Run(() => _session.HandleLine("/join room1"));
        _peer.ReadUntilEndsWith("alice\n");
        _peer.Send("ERROR_CODE: 6\nERROR_DESCRIPTION: name in use\n");

        Assert.That(joining.Wait(TimeSpan.FromSeconds(5)), Is.True);
        Assert.That(_output.Lines, Is.EqualTo(new[] { "! name in use", "* pick another name with /name NAME, then /join again" }));
        Assert.That(_session.CurrentRoom, Is.Null);
    }

    [Test]
    public void Closed_ServerClosesUnasked_TrueAndShown()
    {
        _peer.Send("ERROR_CODE: 9\nERROR_DESCRIPTION: server full\n");
        _peer.Close();

        Assert.That(_session.Closed.Wait(TimeSpan.FromSeconds(5)), Is.True);
        Assert.That(_session.Closed.Result, Is.True);
        Assert.That(_output.Lines, Is.EqualTo(new[] { "! server full", Display.ServerClosed }));
    }

    [Test]
    public void Dispose_OpenSession_ClientClosesItsSide()
    {
        _session.Dispose();

        Assert.That(_peer.ClientClosed(), Is.True);
    }

    private void JoinRoom1()
    {
        var joining = Task.Run(() => _session.HandleLine("/join room1"));
        Assert.That(_peer.ReadUntilEndsWith("alice\n"), Is.EqualTo(JoinRequest));
        _peer.Send(JoinedReply);
        Assert.That(joining.Wait(TimeSpan.FromSeconds(5)), Is.True, "/join returns once its reply is in");
        _output.WaitFor("[room1] * alice has joined");
    }
}
