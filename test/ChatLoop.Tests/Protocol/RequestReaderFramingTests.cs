using ChatLoop.Protocol;
using static ChatLoop.Tests.Protocol.ParsedRequest;

namespace ChatLoop.Tests.Protocol;

/// <summary>PROTOCOL.md §1: line ends, <c>KEY: value</c> spacing, blank lines, pipelining.</summary>
public sealed class RequestReaderFramingTests
{
    private const string Pipeline =
        "JOIN_CHATROOM: room1\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\n"
        + "CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: hello world\n\n"
        + "HELO hi\n"
        + "LEAVE_CHATROOM: 0\nJOIN_ID: 1\nCLIENT_NAME: a\n"
        + "STATS\nHELP\n"
        + "DISCONNECT: 0\nPORT: 0\nCLIENT_NAME: a\n"
        + "KILL_SERVICE\n";

    private static readonly ParsedRequest[] PipelineRequests =
    [
        Join("room1", "a"), Chat(0, 1, "hello world"), Helo(" hi"), Leave(0, 1),
        Simple(RequestKind.Stats), Simple(RequestKind.Help), Disconnect(), Simple(RequestKind.KillService),
    ];

    [TestCase("\n", TestName = "TryRead_LineEnd_LF")]
    [TestCase("\r\n", TestName = "TryRead_LineEnd_CRLF")]
    [TestCase("\r", TestName = "TryRead_LineEnd_LoneCR")]
    public void TryRead_PipelineWithLineEnd_EveryRequestInOrder(string lineEnd)
    {
        var parsed = RequestFeed.Parse(Pipeline.Replace("\n", lineEnd, StringComparison.Ordinal));

        Assert.That(parsed, Is.EqualTo(PipelineRequests));
    }

    [Test]
    public void TryRead_LineEndsMixedWithinOneRequest_SameRequests()
    {
        var parsed = RequestFeed.Parse(
            "JOIN_CHATROOM: r\r\nCLIENT_IP: 0\rPORT: 0\nCLIENT_NAME: a\r"
            + "CHAT: 0\rJOIN_ID: 1\r\nCLIENT_NAME: a\nMESSAGE: m\r\r\n"
            + "HELO x\r\n");

        Assert.That(parsed, Is.EqualTo(new[] { Join("r", "a"), Chat(0, 1, "m"), Helo(" x") }));
    }

    [Test]
    public void TryRead_CrLfSplitAcrossReads_OneLineEnd()
    {
        // If the LF after a CR were taken for a second (blank) line end, the CHAT below would end early.
        using var reader = new RequestReader();
        reader.Append("CHAT: 0\r\nJOIN_ID: 1\r\nCLIENT_NAME: a\r\nMESSAGE: line1\r"u8);
        Assert.That(RequestFeed.Drain(reader), Is.Empty);

        reader.Append("\nline2\r\n\r\n"u8);
        Assert.That(RequestFeed.Drain(reader), Is.EqualTo(new[] { Chat(0, 1, "line1\nline2") }));
    }

    [Test]
    public void TryRead_CrCr_TwoLineEnds()
    {
        // CR CR is a line and then a blank line: it ends a CHAT body.
        var parsed = RequestFeed.Parse("CHAT: 0\rJOIN_ID: 1\rCLIENT_NAME: a\rMESSAGE: m\r\rHELO x\r");

        Assert.That(parsed, Is.EqualTo(new[] { Chat(0, 1, "m"), Helo(" x") }));
    }

    [TestCase("JOIN_CHATROOM:r\nCLIENT_IP:0\nPORT:0\nCLIENT_NAME:a\n")]
    [TestCase("JOIN_CHATROOM:    r\nCLIENT_IP:   0\nPORT:\t0\nCLIENT_NAME:  \t a \t \n")]
    [TestCase("JOIN_CHATROOM : r\nCLIENT_IP  :0\n  PORT: 0\n\tCLIENT_NAME\t:\ta\n")]
    [TestCase("join_chatroom: r\nClient_Ip: 0\nport: 0\nclient_NAME: a\n")]
    public void TryRead_AnySpacingAndKeyCase_SameJoin(string input)
    {
        Assert.That(RequestFeed.Parse(input), Is.EqualTo(new[] { Join("r", "a") }));
    }

    [TestCase("CHAT:5\nJOIN_ID:6\nCLIENT_NAME:a\nMESSAGE:m\n\n")]
    [TestCase("chat :  5  \n join_id\t:\t6\t\nclient_name :a\nMessage :   m  \n\n")]
    public void TryRead_AnySpacingAndKeyCase_SameChat(string input)
    {
        Assert.That(RequestFeed.Parse(input), Is.EqualTo(new[] { Chat(5, 6, "m") }));
    }

    [Test]
    public void TryRead_BlankLinesBetweenRequests_Ignored()
    {
        var parsed = RequestFeed.Parse(
            "\n\r\n\r  \t \n"
            + "HELO x\n\n\n"
            + "JOIN_CHATROOM: r\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\n \n\t\n"
            + "CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: m\n\n\n\n"
            + "STATS\n\n");

        Assert.That(parsed, Is.EqualTo(new[] { Helo(" x"), Join("r", "a"), Chat(0, 1, "m"), Simple(RequestKind.Stats) }));
    }

    [Test]
    public void TryRead_OnlyBlankLines_NoRequestAndNothingUnfinished()
    {
        using var reader = new RequestReader();
        reader.Append("\n\r\n  \n\t\r"u8);

        Assert.That(RequestFeed.Drain(reader), Is.Empty);
        Assert.That(reader.HasUnfinishedRequest, Is.False);
    }

    [Test]
    public void TryRead_ManyPipelinedRequestsInOneBuffer_AllInOrder()
    {
        var input = string.Concat(Enumerable.Range(0, 200).Select(i =>
            $"CHAT: {i}\nJOIN_ID: {i + 1}\nCLIENT_NAME: a\nMESSAGE: message {i}\n\nHELO {i}\n"));
        var expected = Enumerable.Range(0, 200).SelectMany(i => new[] { Chat(i, i + 1, $"message {i}"), Helo($" {i}") });

        Assert.That(RequestFeed.Parse(input), Is.EqualTo(expected));
    }

    [Test]
    public void TryRead_RequestsArriveAcrossSeveralAppends_TailKeptUntilComplete()
    {
        using var reader = new RequestReader();
        reader.Append("HELO one\nJOIN_CHATROOM: r\nCLIENT_"u8);
        Assert.That(RequestFeed.Drain(reader), Is.EqualTo(new[] { Helo(" one") }));
        Assert.That(reader.HasUnfinishedRequest, Is.True);

        reader.Append("IP: 0\nPORT: 0\nCLIENT_NAME: a"u8);
        Assert.That(RequestFeed.Drain(reader), Is.Empty);

        reader.Append("\nHELO two\n"u8);
        Assert.That(RequestFeed.Drain(reader), Is.EqualTo(new[] { Join("r", "a"), Helo(" two") }));
        Assert.That(reader.HasUnfinishedRequest, Is.False);
    }

    [TestCase("HEL", true)]
    [TestCase("JOIN_CHATROOM: r\n", true)]
    [TestCase("CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: m\n", true)]
    [TestCase("HELO x\n", false)]
    [TestCase("CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: m\n\n", false)]
    [TestCase("", false)]
    public void HasUnfinishedRequest_AfterInput_TrueOnlyWhilePartOfARequestIsHeld(string input, bool unfinished)
    {
        using var reader = new RequestReader();
        reader.Append(RequestFeed.Bytes(input));
        RequestFeed.Drain(reader);

        Assert.That(reader.HasUnfinishedRequest, Is.EqualTo(unfinished));
    }

    [Test]
    public void TryRead_AfterDispose_NothingMore()
    {
        var reader = new RequestReader();
        reader.Append("HELO a\nHELO b\n"u8);
        Assert.That(reader.TryRead(out _), Is.True);

        reader.Dispose();
        reader.Append("HELO c\n"u8);

        Assert.That(reader.TryRead(out _), Is.False);
        Assert.That(reader.HasUnfinishedRequest, Is.False);
    }
}
