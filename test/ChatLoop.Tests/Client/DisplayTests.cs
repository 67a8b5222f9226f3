using System.Text;
using ChatLoop.Client;
using ChatLoop.Protocol;

namespace ChatLoop.Tests.Client;

public sealed class DisplayTests
{
    private ClientState _state = null!;

    [SetUp]
    public void SetUp()
    {
        _state = new ClientState();
        _state.OnJoined("room1", 0, 1);
    }

    [Test]
    public void Format_Chat_RoomNameSenderAndText()
    {
        var lines = Format("CHAT: 0\nCLIENT_NAME: bob\nMESSAGE: hello\n\n");

        Assert.That(lines, Is.EqualTo(new[] { "[room1] bob: hello" }));
    }

    [Test]
    public void Format_MultiLineChat_ContinuationIndentedUnderText()
    {
        var lines = Format("CHAT: 0\nCLIENT_NAME: bob\nMESSAGE: first\nsecond\n" + MessageText.Guard + "CHAT: not a request\n\n");

        Assert.That(lines, Is.EqualTo(new[]
        {
            "[room1] bob: first",
            "             second",
            "             CHAT: not a request",
        }));
    }

    [Test]
    public void Format_JoinNotice_SetApart()
    {
        var lines = Format("CHAT: 0\nCLIENT_NAME: bob\nMESSAGE: bob has joined this chatroom.\n\n");

        Assert.That(lines, Is.EqualTo(new[] { "[room1] * bob has joined" }));
    }

    [Test]
    public void Format_LeaveNotice_SetApart()
    {
        var lines = Format("CHAT: 0\nCLIENT_NAME: bob\nMESSAGE: bob has left this chatroom.\n\n");

        Assert.That(lines, Is.EqualTo(new[] { "[room1] * bob has left" }));
    }

    [Test]
    public void Format_SomeoneElsesJoinText_IsOrdinaryChat()
    {
        var lines = Format("CHAT: 0\nCLIENT_NAME: eve\nMESSAGE: bob has joined this chatroom.\n\n");

        Assert.That(lines, Is.EqualTo(new[] { "[room1] eve: bob has joined this chatroom." }));
    }

    [Test]
    public void Format_ChatFromUnknownRef_ShowsRef()
    {
        var lines = Format("CHAT: 9\nCLIENT_NAME: bob\nMESSAGE: hi\n\n");

        Assert.That(lines, Is.EqualTo(new[] { "[#9] bob: hi" }));
    }

    [Test]
    public void Format_ChatWithEscapeSequence_ControlCharactersRemoved()
    {
        var lines = Format("CHAT: 0\nCLIENT_NAME: bob\nMESSAGE: \u001b[2Jgotcha\u0007\n\n");

        Assert.That(lines, Is.EqualTo(new[] { "[room1] bob:  [2Jgotcha " }));
    }

    [Test]
    public void Format_Error_BangAndDescription()
    {
        var lines = Format("ERROR_CODE: 6\nERROR_DESCRIPTION: name in use\n");

        Assert.That(lines, Is.EqualTo(new[] { "! name in use" }));
    }

    [Test]
    public void Format_Joined_NamesRoomRefAndCurrent()
    {
        _state.OnJoined("room2", 4, 1);

        var lines = Format("JOINED_CHATROOM: room2\nSERVER_IP: 127.0.0.1\nPORT: 5000\nROOM_REF: 4\nJOIN_ID: 1\n");

        Assert.That(lines, Is.EqualTo(new[] { "* joined [room2] (ref 4, join id 1); it is now the current room" }));
    }

    [Test]
    public void Format_LeftLastRoom_SaysNoRoom()
    {
        _state.OnLeft(0);

        var lines = Format("LEFT_CHATROOM: 0\nJOIN_ID: 1\n");

        Assert.That(lines, Is.EqualTo(new[] { "* left [room1]; you are in no room now" }));
    }

    [Test]
    public void Format_LeftWithOtherRoom_NamesCurrent()
    {
        _state.OnJoined("room2", 1, 1);
        _state.OnLeft(1);

        var lines = Format("LEFT_CHATROOM: 1\nJOIN_ID: 1\n");

        Assert.That(lines, Is.EqualTo(new[] { "* left [room2]; current room: [room1]" }));
    }

    [Test]
    public void Format_HeloReply_OneReadableLine()
    {
        var lines = Format("HELO hi there\nIP:127.0.0.1\nPort:5000\nStudentID:17313056\n");

        Assert.That(lines, Is.EqualTo(new[] { "* HELO hi there: server 127.0.0.1 port 5000, student id 17313056" }));
    }

    [Test]
    public void Format_Stats_OneLineOfCounters()
    {
        var lines = Format("CLIENTS: 2\nMESSAGES_IN: 10\nUPTIME_S: 42\n\n");

        Assert.That(lines, Is.EqualTo(new[] { "* server stats: clients 2, messages in 10, uptime 42 s" }));
    }

    [TestCase(40)]
    [TestCase(60)]
    [TestCase(100)]
    public void Format_ManyCounters_LinesFitTheWidthAndNoCounterIsSplit(int width)
    {
        var wire = "CLIENTS: 1200\nROOMS: 30\nMESSAGES_IN: 1234567\nDELIVERIES_OUT: 98765432\nBYTES_IN: 123456789\nBYTES_OUT: 9876543210\nUPTIME_S: 86399\nPOLLER: select\n\n";
        var counters = new[] { "clients 1200", "rooms 30", "messages in 1234567", "deliveries out 98765432", "bytes in 123456789", "bytes out 9876543210", "uptime 86399 s", "poller select" };

        var lines = Display.Format(Block(wire), _state, width);

        Assert.That(lines, Has.Count.GreaterThan(1));
        Assert.That(lines, Has.All.Length.LessThan(width), "the last column stays free, so the terminal never wraps");
        Assert.That(lines[0], Does.StartWith("* server stats: "));
        Assert.That(lines.Skip(1), Has.All.StartWith("    "));
        var joined = string.Join(" ", lines.Select(l => l.Trim())).Replace("* server stats: ", "", StringComparison.Ordinal);
        Assert.That(joined, Is.EqualTo(string.Join(", ", counters)), "every counter whole and in order");
    }

    [Test]
    public void Format_NameInUseBeforeAnyJoin_SaysHowToPickAnother()
    {
        var block = Block("ERROR_CODE: 6\nERROR_DESCRIPTION: name in use: 'alice'\n");

        Assert.That(Display.Format(block, new ClientState()), Is.EqualTo(new[] { "! name in use: 'alice'", "* pick another name with /name NAME, then /join again" }));
        Assert.That(Display.Format(block, _state), Is.EqualTo(new[] { "! name in use: 'alice'" }), "once joined, /name cannot help");
    }

    [Test]
    public void Format_ServerHelp_OneIndentedLineEach()
    {
        var lines = Format("HELP: JOIN_CHATROOM: <room>\nHELP: HELO <text>\n\n");

        Assert.That(lines, Is.EqualTo(new[] { "* server help:", "    JOIN_CHATROOM: <room>", "    HELO <text>" }));
    }

    [Test]
    public void Rooms_TwoRooms_RefsAndCurrentMarked()
    {
        _state.OnJoined("room2", 3, 1);

        Assert.That(Display.Rooms(_state), Is.EqualTo(new[]
        {
            "* rooms joined: 2, join id 1",
            "    [room1] ref 0",
            "  > [room2] ref 3  (current)",
        }));
    }

    [Test]
    public void Rooms_None_SaysHowToJoin()
    {
        Assert.That(Display.Rooms(new ClientState()), Is.EqualTo(new[] { "* you are in no room; /join ROOM to join one" }));
    }

    private IReadOnlyList<string> Format(string wire) => Display.Format(Block(wire), _state);

    private static Response Block(string wire)
    {
        using var reader = new ResponseReader();
        reader.Append(Encoding.UTF8.GetBytes(wire));
        Assert.That(reader.TryRead(out var response), Is.True, "one whole block");
        Assert.That(reader.TryRead(out _), Is.False, "only one block");
        return response!;
    }
}
