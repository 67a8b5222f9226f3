using ChatLoop.Protocol;
using static ChatLoop.Tests.Protocol.ParsedRequest;

namespace ChatLoop.Tests.Protocol;

/// <summary>Each request of PROTOCOL.md §2 and §6, in its canonical form.</summary>
public sealed class RequestReaderKindsTests
{
    private static IEnumerable<TestCaseData> EveryKind()
    {
        yield return new TestCaseData("JOIN_CHATROOM: room1\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\n", Join("room1", "a")).SetName("Join");
        yield return new TestCaseData("LEAVE_CHATROOM: 3\nJOIN_ID: 7\nCLIENT_NAME: a\n", Leave(3, 7)).SetName("Leave");
        yield return new TestCaseData("CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: hello world\n\n", Chat(0, 1, "hello world")).SetName("Chat");
        yield return new TestCaseData("DISCONNECT: 0\nPORT: 0\nCLIENT_NAME: b\n", Disconnect()).SetName("Disconnect");
        yield return new TestCaseData("HELO text\n", Helo(" text")).SetName("Helo");
        yield return new TestCaseData("KILL_SERVICE\n", Simple(RequestKind.KillService)).SetName("KillService");
        yield return new TestCaseData("HELP\n", Simple(RequestKind.Help)).SetName("Help");
        yield return new TestCaseData("STATS\n", Simple(RequestKind.Stats)).SetName("Stats");
    }

    [TestCaseSource(nameof(EveryKind))]
    public void TryRead_CanonicalRequest_ExactlyThatRequest(string input, ParsedRequest expected)
    {
        Assert.That(RequestFeed.Parse(input), Is.EqualTo(new[] { expected }));
    }

    [TestCaseSource(nameof(EveryKind))]
    public void TryRead_LastLineEndArrivesLater_RequestOnlyThen(string input, ParsedRequest expected)
    {
        using var reader = new RequestReader();
        reader.Append(RequestFeed.Bytes(input[..^1]));
        Assert.That(RequestFeed.Drain(reader), Is.Empty);

        reader.Append("\n"u8);
        Assert.That(RequestFeed.Drain(reader), Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void TryRead_KeywordsInAnyCase_SameRequests()
    {
        var parsed = RequestFeed.Parse(
            "join_chatroom: r\nclient_ip: 0\nport: 0\nclient_name: a\n"
            + "Leave_Chatroom: 1\nJoin_Id: 2\nClient_Name: a\n"
            + "chat: 1\njoin_id: 2\nclient_name: a\nmessage: m\n\n"
            + "disconnect: 0\npOrT: 0\ncLiEnT_nAmE: a\n"
            + "helo x\nkill_service\nhelp\nstats\n");

        Assert.That(parsed, Is.EqualTo(new[]
        {
            Join("r", "a"), Leave(1, 2), Chat(1, 2, "m"), Disconnect(), Helo(" x"),
            Simple(RequestKind.KillService), Simple(RequestKind.Help), Simple(RequestKind.Stats),
        }));
    }

    [TestCase("HELO text\n", " text")]
    [TestCase("HELO\n", "")]
    [TestCase("HELO  two  spaces  \n", "  two  spaces  ")]
    [TestCase("HELO\ttab\n", "\ttab")]
    [TestCase("  HELO indented\n", " indented")]
    [TestCase("HELO BASE_TEST: with a colon\n", " BASE_TEST: with a colon")]
    [TestCase("HELO ünï©ødé\n", " ünï©ødé")]
    public void TryRead_Helo_TextAfterKeywordKeptWhole(string input, string text)
    {
        Assert.That(RequestFeed.Parse(input), Is.EqualTo(new[] { Helo(text) }));
    }

    [TestCase("HELOS\n")]
    [TestCase("HELO: x\n")]
    [TestCase("KILL_SERVICE now\n")]
    [TestCase("HELPME\n")]
    [TestCase("STATS please\n")]
    public void TryRead_KeywordWithSomethingGluedOn_UnknownRequest(string input)
    {
        Assert.That(RequestFeed.Parse(input), Is.EqualTo(new[] { Invalid(ErrorCode.UnknownRequest) }));
    }

    [TestCase("  KILL_SERVICE  \n", RequestKind.KillService)]
    [TestCase("\tHELP\t\n", RequestKind.Help)]
    [TestCase(" stats \n", RequestKind.Stats)]
    public void TryRead_WordRequestWithBlanksAround_Recognised(string input, RequestKind kind)
    {
        Assert.That(RequestFeed.Parse(input), Is.EqualTo(new[] { Simple(kind) }));
    }

    [Test]
    public void TryRead_JoinNames_TrimmedAndCaseKept()
    {
        var parsed = RequestFeed.Parse("JOIN_CHATROOM:   Room One \t\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME:\tMiXeD Case  \n");

        Assert.That(parsed, Is.EqualTo(new[] { Join("Room One", "MiXeD Case") }));
    }

    [Test]
    public void TryRead_JoinNameWithColon_ValueIsEverythingAfterFirstColon()
    {
        var parsed = RequestFeed.Parse("JOIN_CHATROOM: a:b: c\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: x:y\n");

        Assert.That(parsed, Is.EqualTo(new[] { Join("a:b: c", "x:y") }));
    }

    [Test]
    public void TryRead_JoinNamesUtf8_DecodedAsUtf8()
    {
        var parsed = RequestFeed.Parse("JOIN_CHATROOM: café ☕\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: Zoë 🙂\n");

        Assert.That(parsed, Is.EqualTo(new[] { Join("café ☕", "Zoë 🙂") }));
    }

    [Test]
    public void TryRead_ClientIpAndPortValues_Ignored()
    {
        var parsed = RequestFeed.Parse(
            "JOIN_CHATROOM: r\nCLIENT_IP: 10.1.2.3\nPORT: 65535\nCLIENT_NAME: a\n"
            + "DISCONNECT: 1.2.3.4\nPORT: x\nCLIENT_NAME: a\n");

        Assert.That(parsed, Is.EqualTo(new[] { Join("r", "a"), Disconnect() }));
    }

    [Test]
    public void TryRead_LeaveAndChatClientName_NotValidatedNorKept()
    {
        // The connection's bound name is the authority (PROTOCOL.md §2.3); the field must only be there.
        var parsed = RequestFeed.Parse(
            "LEAVE_CHATROOM: 1\nJOIN_ID: 2\nCLIENT_NAME:\n"
            + "CHAT: 1\nJOIN_ID: 2\nCLIENT_NAME: somebody else\nMESSAGE: m\n\n");

        Assert.That(parsed, Is.EqualTo(new[] { Leave(1, 2), Chat(1, 2, "m") }));
    }

    [TestCase("007", 7L)]
    [TestCase("0", 0L)]
    [TestCase("9223372036854775807", long.MaxValue)]
    [TestCase("9223372036854775808", long.MaxValue)]
    [TestCase("99999999999999999999999999999999999999", long.MaxValue)]
    public void TryRead_NumberFields_ParsedAndHugeOnesSaturate(string number, long expected)
    {
        var parsed = RequestFeed.Parse(
            $"LEAVE_CHATROOM: {number}\nJOIN_ID: {number}\nCLIENT_NAME: a\n"
            + $"CHAT: {number}\nJOIN_ID: {number}\nCLIENT_NAME: a\nMESSAGE: m\n\n");

        Assert.That(parsed, Is.EqualTo(new[] { Leave(expected, expected), Chat(expected, expected, "m") }));
    }
}
