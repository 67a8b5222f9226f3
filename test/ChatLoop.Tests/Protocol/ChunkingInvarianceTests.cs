using ChatLoop.Protocol;

namespace ChatLoop.Tests.Protocol;

/// <summary>
/// PROTOCOL.md §1: "TCP is a stream". However the bytes are split into reads, the reader must yield
/// the same requests as when it gets them all at once.
/// </summary>
public sealed class ChunkingInvarianceTests
{
    private const string Session =
        "JOIN_CHATROOM: room1\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\n"
        + "CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: hello world\n\n"
        + "LEAVE_CHATROOM: 0\nJOIN_ID: 1\nCLIENT_NAME: a\n"
        + "DISCONNECT: 0\nPORT: 0\nCLIENT_NAME: b\n";

    private const string Mixed =
        "HELO BASE_TEST\n\n"
        + "JOIN_CHATROOM: room1\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: client1\n"
        + "JOIN_CHATROOM: room2\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: client1\n"
        + "CHAT: 1\nJOIN_ID: 1\nCLIENT_NAME: client1\nMESSAGE: hello world from client 1\nsecond line\n  third, indented\n\n"
        + "CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: client1\nMESSAGE: single LF end\n"
        + "LEAVE_CHATROOM: 1\nJOIN_ID: 1\nCLIENT_NAME: client1\n"
        + "STATS\nHELP\n"
        + "CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: client1\nMESSAGE: ends at kill\n"
        + "KILL_SERVICE\n";

    private const string Errors =
        "FOO\nBAR\n\n"
        + "JOIN_CHATROOM:\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\n\n"
        + "JOIN_CHATROOM: r\nPORT: 0\nCLIENT_NAME: a\n"
        + "LEAVE_CHATROOM:\nJOIN_ID: 1\nCLIENT_NAME: a\n"
        + "CHAT: 0\nJOIN_ID: x\nCLIENT_NAME: a\nMESSAGE: skipped\nalso skipped\n\n"
        + "CHAT: 0\nJOIN_ID: 1\nMESSAGE: m\n\n"
        + "JOIN_CHATROOM: r\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: \u0001\n"
        + "HELO still here\n"
        + "GET / HTTP/1.1\n\n"
        + "LEAVE_CHATROOM: 99999999999999999999999\nJOIN_ID: 18446744073709551616\nCLIENT_NAME: a\n";

    private static readonly ReaderLimits Small = new(MaxLineBytes: 40, MaxRequestBytes: 120);

    // Hundreds of comparisons per test: only build NUnit's detailed message when one differs.
    private static void AssertSame(List<ParsedRequest> split, List<ParsedRequest> whole, int cut)
    {
        if (!split.SequenceEqual(whole))
        {
            Assert.That(split, Is.EqualTo(whole), $"split after byte {cut}");
        }
    }

    private static IEnumerable<TestCaseData> Corpus()
    {
        TestCaseData Case(string name, string input, string kinds, ReaderLimits? limits = null) =>
            new TestCaseData(RequestFeed.Bytes(input), limits, kinds).SetArgDisplayNames(name);

        yield return Case("§4 session LF", Session, "Join Chat Leave Disconnect");
        yield return Case("§4 session CRLF", Session.Replace("\n", "\r\n", StringComparison.Ordinal), "Join Chat Leave Disconnect");
        yield return Case("§4 session lone CR", Session.Replace("\n", "\r", StringComparison.Ordinal), "Join Chat Leave Disconnect");
        yield return Case("pipelined mix LF", Mixed, "Helo Join Join Chat Chat Leave Stats Help Chat KillService");
        yield return Case("pipelined mix CRLF", Mixed.Replace("\n", "\r\n", StringComparison.Ordinal), "Helo Join Join Chat Chat Leave Stats Help Chat KillService");
        yield return Case("pipelined mix lone CR", Mixed.Replace("\n", "\r", StringComparison.Ordinal), "Helo Join Join Chat Chat Leave Stats Help Chat KillService");
        yield return Case("line ends mixed", "HELO a\r\n\rJOIN_CHATROOM: r\rCLIENT_IP: 0\r\nPORT: 0\nCLIENT_NAME: a\r\rCHAT: 0\r\nJOIN_ID: 1\rCLIENT_NAME: a\nMESSAGE: x\r\ny\r\r\n", "Helo Join Chat");
        yield return Case("errors", Errors, "Invalid Invalid Invalid Invalid Invalid Invalid Invalid Helo Invalid Leave");
        yield return Case("errors CRLF", Errors.Replace("\n", "\r\n", StringComparison.Ordinal), "Invalid Invalid Invalid Invalid Invalid Invalid Invalid Helo Invalid Leave");
        yield return Case("room names for refs", "LEAVE_CHATROOM: -1\nJOIN_ID: 6666\nCLIENT_NAME: a\nCHAT: room1\nJOIN_ID: 0\nCLIENT_NAME: a\nMESSAGE: m\n\nCHAT:  Whatsapp 22 \nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: n\nCHAT: 42\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: o\n\n", "Leave Chat Chat Chat");
        yield return Case("HTTP first", "GET / HTTP/1.1\r\nHost: x\r\n\r\nHELO a\n", "Http");
        yield return Case("UTF-8 names and body", "JOIN_CHATROOM: café ☕\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: Zoë 🙂\nCHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: Zoë\nMESSAGE: ünï©ødé\n🙂🙂\n\n", "Join Chat");
        yield return Case("line too long", "HELO a\n" + new string('x', 50) + "\nHELO b\n", "Helo Invalid", Small);
        yield return Case("line too long no end", "HELO a\r\n" + new string('x', 50), "Helo Invalid", Small);
        yield return Case("line of max bytes CRLF", "HELO " + new string('x', 35) + "\r\nHELO b\r\n", "Helo Helo", Small);
        yield return Case("request too long", "HELO a\n" + "CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: m\n" + string.Concat(Enumerable.Repeat("0123456789abcdefghij\n", 5)) + "\nHELO b\n", "Helo Invalid", Small);
        yield return Case("request too long no end", "CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: m\n" + string.Concat(Enumerable.Repeat("0123456789abcdefghij\n", 3)) + new string('x', 39), "Invalid", Small);
        yield return Case("request just fits", "CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: m\n" + string.Concat(Enumerable.Repeat("0123456789abcdefghij\n", 3)) + "0123456789\n\nHELO b\n", "Chat Helo", Small);
        yield return Case("CHAT near limit ended by request", "CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: m\n" + string.Concat(Enumerable.Repeat("0123456789abcdefghij\n", 3)) + "0123456789\nJOIN_CHATROOM: a-room-with-a-long-name\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\n", "Chat Join", Small);
        yield return Case("CHAT near limit then body line over", "CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: m\n" + string.Concat(Enumerable.Repeat("0123456789abcdefghij\n", 3)) + "0123456789\n  chat  x" + new string('y', 20) + "\n\n", "Invalid", Small);
        yield return Case("CHAT near limit then look-alikes", "CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: m\n" + string.Concat(Enumerable.Repeat("0123456789abcdefghij\n", 3)) + "0123456789\nKILL_SERVICE  x\n\n", "Invalid", Small);
        yield return Case("CHAT near limit then HELO", "CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: m\n" + string.Concat(Enumerable.Repeat("0123456789abcdefghij\n", 3)) + "0123456789\n \thelo  " + new string('h', 20) + "\n", "Chat Helo", Small);
        yield return Case("request cut short near limit", "LEAVE_CHATROOM: 1\nJOIN_ID: 2\n" + new string(' ', 39) + "\n", "Invalid", new ReaderLimits(40, 60));
        yield return Case("only blank lines", "\n\r\n\r\r\n \t \n", "");
        yield return Case("unfinished at the end", "HELO a\nJOIN_CHATROOM: r\nCLIENT_IP: 0\n", "Helo");
    }

    [TestCaseSource(nameof(Corpus))]
    public void TryRead_Whole_ExpectedKinds(byte[] input, ReaderLimits? limits, string kinds)
    {
        var whole = RequestFeed.Parse(input, limits);

        Assert.That(string.Join(" ", whole.Select(r => r.Kind)), Is.EqualTo(kinds));
    }

    [TestCaseSource(nameof(Corpus))]
    public void TryRead_SplitAtEveryPoint_SameAsWhole(byte[] input, ReaderLimits? limits, string kinds)
    {
        var whole = RequestFeed.Parse(input, limits);

        for (int cut = 1; cut < input.Length; cut++)
        {
            var split = RequestFeed.ParseChunks(RequestFeed.SplitAt(input, cut), limits);
            AssertSame(split, whole, cut);
        }
    }

    [TestCaseSource(nameof(Corpus))]
    public void TryRead_OneByteAtATime_SameAsWhole(byte[] input, ReaderLimits? limits, string kinds)
    {
        var whole = RequestFeed.Parse(input, limits);

        var trickled = RequestFeed.ParseChunks(RequestFeed.OneByteAtATime(input), limits);

        Assert.That(trickled, Is.EqualTo(whole));
    }

    [TestCaseSource(nameof(Corpus))]
    public void TryRead_RandomChunks_SameAsWhole(byte[] input, ReaderLimits? limits, string kinds)
    {
        var whole = RequestFeed.Parse(input, limits);
        var random = new Random(input.Length);

        for (int round = 0; round < 50; round++)
        {
            var chunks = new List<ReadOnlyMemory<byte>>();
            for (int at = 0; at < input.Length;)
            {
                int size = Math.Min(input.Length - at, random.Next(1, 12));
                chunks.Add(input.AsMemory(at, size));
                at += size;
            }

            Assert.That(RequestFeed.ParseChunks(chunks, limits), Is.EqualTo(whole), $"round {round}");
        }
    }

    // A CHAT 119 bytes into a 120-byte limit, ended by a line without a blank line before it: if that
    // line starts a request it belongs to the next request; otherwise it is a body line and too much.
    // Split anywhere, the partial line must be judged as the whole line is.
    [TestCase("JOIN_CHATROOM: r", true)]
    [TestCase("join_chatroom:r", true)]
    [TestCase("  JOIN_CHATROOM \t: r", true)]
    [TestCase("JOIN_CHATROOMS: r", false)]
    [TestCase("JOIN_CHAT: r", false)]
    [TestCase("JOIN_CHATROOM r", false)]
    [TestCase("LEAVE_CHATROOM: 1", true)]
    [TestCase("Leave_Chatroom:", true)]
    [TestCase("CHAT: 1", true)]
    [TestCase("\tchat :1", true)]
    [TestCase("CHAT", false)]
    [TestCase("CHATS: 1", false)]
    [TestCase("CHA", false)]
    [TestCase("DISCONNECT: 0", true)]
    [TestCase("DISCONNECTED: 0", false)]
    [TestCase("HELO", true)]
    [TestCase("HELO x", true)]
    [TestCase("  helo\tx", true)]
    [TestCase("HELOx", false)]
    [TestCase("HEL", false)]
    [TestCase("KILL_SERVICE", true)]
    [TestCase("kill_service \t ", true)]
    [TestCase("KILL_SERVICE x", false)]
    [TestCase("KILL_SERVICEX", false)]
    [TestCase("MESSAGE: x", false)]
    [TestCase("HELP", false)]
    [TestCase("STATS", false)]
    [TestCase("\u00A0CHAT: 1", false)]
    public void TryRead_LineAfterChatAtLimitSplitAnywhere_JudgedAsTheWholeLine(string line, bool startsRequest)
    {
        var limits = new ReaderLimits(MaxLineBytes: 40, MaxRequestBytes: 120);
        var input = RequestFeed.Bytes("CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: m\n"
            + string.Concat(Enumerable.Repeat("0123456789abcdefghij\n", 3)) + "012345678\n" + line + "\nHELO z\n");

        var whole = RequestFeed.Parse(input, limits);

        Assert.That(whole[0].Kind, Is.EqualTo(startsRequest ? RequestKind.Chat : RequestKind.Invalid));
        for (int cut = 1; cut < input.Length; cut++)
        {
            AssertSame(RequestFeed.ParseChunks(RequestFeed.SplitAt(input, cut), limits), whole, cut);
        }

        Assert.That(RequestFeed.ParseChunks(RequestFeed.OneByteAtATime(input), limits), Is.EqualTo(whole));
    }

    [Test]
    public void TryRead_SessionWhole_ExactRequests()
    {
        Assert.That(RequestFeed.Parse(Session), Is.EqualTo(new[]
        {
            ParsedRequest.Join("room1", "a"), ParsedRequest.Chat(0, 1, "hello world"),
            ParsedRequest.Leave(0, 1), ParsedRequest.Disconnect(),
        }));
    }
}
