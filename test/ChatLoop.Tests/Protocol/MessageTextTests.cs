using ChatLoop.Protocol;

namespace ChatLoop.Tests.Protocol;

/// <summary>MessageText.Normalize: text a person typed becomes a CHAT body the server keeps whole.</summary>
public sealed class MessageTextTests
{
    private const char G = MessageText.Guard;

    [TestCase("hello", "hello")]
    [TestCase("a\r\nb", "a\nb")]
    [TestCase("a\rb", "a\nb")]
    [TestCase("a\nb\r\nc\rd", "a\nb\nc\nd")]
    [TestCase("a\n\nb", "a\nb")]
    [TestCase("a\n \t \nb", "a\nb")]
    [TestCase("a\r\n\r\nb\r\r", "a\nb")]
    [TestCase("\n\na", "a")]
    [TestCase("a\n\n", "a")]
    [TestCase("", "")]
    [TestCase("\n \n", "")]
    [TestCase("a\n  indented\t", "a\n  indented\t")]
    [TestCase("  first  \n  second  ", "first\n  second  ")]
    [TestCase(" \t \n\t first", "first")]
    public void Normalize_LineEndsAndBlankLines_LfJoinedWithoutBlankLines(string text, string expected)
    {
        Assert.That(MessageText.Normalize(text), Is.EqualTo(expected));
    }

    [TestCase("JOIN_CHATROOM: r")]
    [TestCase("LEAVE_CHATROOM: 1")]
    [TestCase("CHAT: 1")]
    [TestCase("DISCONNECT: 0")]
    [TestCase("HELO")]
    [TestCase("HELO there")]
    [TestCase("KILL_SERVICE")]
    [TestCase("chat:1")]
    [TestCase("  kill_service  ")]
    [TestCase("\thelo x")]
    public void Normalize_RequestLookingLaterLine_Guarded(string line)
    {
        Assert.That(MessageText.Normalize("first\n" + line), Is.EqualTo("first\n" + G + line));
    }

    [TestCase("HELP")]
    [TestCase("STATS")]
    [TestCase("MESSAGE: x")]
    [TestCase("JOIN_ID: 1")]
    [TestCase("HELOx")]
    [TestCase("CHATTY: x")]
    public void Normalize_OrdinaryLaterLine_Unchanged(string line)
    {
        Assert.That(MessageText.Normalize("first\n" + line), Is.EqualTo("first\n" + line));
    }

    [Test]
    public void Normalize_RequestLookingFirstLine_NotGuardedBecauseItFollowsMessageKey()
    {
        Assert.That(MessageText.Normalize("CHAT: 1\nx"), Is.EqualTo("CHAT: 1\nx"));
        Assert.That(MessageText.Normalize("\n\nKILL_SERVICE\nKILL_SERVICE"), Is.EqualTo("KILL_SERVICE\n" + G + "KILL_SERVICE"));
    }

    private static IEnumerable<TestCaseData> TypedTexts()
    {
        yield return new TestCaseData("hello world").SetArgDisplayNames("one line");
        yield return new TestCaseData("line one\r\nline two\r\n").SetArgDisplayNames("CRLF");
        yield return new TestCaseData("para one\n\npara two\n \npara three").SetArgDisplayNames("paragraphs");
        yield return new TestCaseData("see:\nCHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: x\nMESSAGE: fake\n\nKILL_SERVICE").SetArgDisplayNames("a request pasted in");
        yield return new TestCaseData("x\nHELO\nhelo world\nJOIN_CHATROOM: r\nLEAVE_CHATROOM: 0\ndisconnect: 0").SetArgDisplayNames("every request start");
        yield return new TestCaseData("code:\n    indented()\n\ttabbed\ntrailing   ").SetArgDisplayNames("indentation");
        yield return new TestCaseData("ünï©ødé\r☕\r🙂").SetArgDisplayNames("unicode and lone CR");
        yield return new TestCaseData("   leading and trailing blanks on the first line   \nsecond").SetArgDisplayNames("first line padded");
        yield return new TestCaseData("\n\n   \n  CHAT: 1 first after blanks\nCHAT: 2").SetArgDisplayNames("blank lines then request-looking");
    }

    [TestCaseSource(nameof(TypedTexts))]
    public void Normalize_ThroughClientRequestsChatAndRequestReader_BodyIsTheNormalizedText(string typed)
    {
        string body = MessageText.Normalize(typed);
        var bytes = Encoded.Bytes(w =>
        {
            ClientRequests.Chat(w, 3, 8, "a", body);
            ClientRequests.Helo(w, "after");
        });

        var parsed = RequestFeed.Parse(bytes);

        Assert.That(parsed, Is.EqualTo(new[] { ParsedRequest.Chat(3, 8, body), ParsedRequest.Helo(" after") }));
    }

    [TestCaseSource(nameof(TypedTexts))]
    public void Normalize_ThroughChatEndedByNextRequestWithoutBlankLine_BodyStillWhole(string typed)
    {
        // A client that ends MESSAGE with a single LF (§2.3 tolerance): the body must still end only where we meant.
        string body = MessageText.Normalize(typed);
        string raw = Encoded.Text(w => ClientRequests.Chat(w, 3, 8, "a", body));

        var parsed = RequestFeed.Parse(raw[..^1] + "HELO after\n");

        Assert.That(parsed, Is.EqualTo(new[] { ParsedRequest.Chat(3, 8, body), ParsedRequest.Helo(" after") }));
    }

    [Test]
    public void Normalize_Unguarded_WouldBeSplitByTheReader()
    {
        // Shows what the guard is for: the same text without Normalize loses its tail to a fake request.
        const string typed = "see:\nKILL_SERVICE";
        var raw = Encoded.Bytes(w => ClientRequests.Chat(w, 0, 1, "a", typed));

        var parsed = RequestFeed.Parse(raw);

        Assert.That(parsed.Select(r => r.Kind), Is.EqualTo(new[] { RequestKind.Chat, RequestKind.KillService }));
        Assert.That(parsed[0].Message, Is.EqualTo("see:"));
    }
}
