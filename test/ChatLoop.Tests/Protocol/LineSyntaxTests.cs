using System.Text;
using ChatLoop.Protocol;

namespace ChatLoop.Tests.Protocol;

/// <summary>How one line reads (PROTOCOL.md §1).</summary>
public sealed class LineSyntaxTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static string S(ReadOnlySpan<byte> b) => Encoding.UTF8.GetString(b);

    [TestCase("KEY: value", "KEY", "value")]
    [TestCase("KEY:value", "KEY", "value")]
    [TestCase("KEY:   value  ", "KEY", "value")]
    [TestCase("  KEY \t:\t value", "KEY", "value")]
    [TestCase("KEY:", "KEY", "")]
    [TestCase(":value", "", "value")]
    [TestCase("KEY: a: b", "KEY", "a: b")]
    [TestCase("KEY: inner  spaces  kept", "KEY", "inner  spaces  kept")]
    public void TrySplit_LineWithColon_KeyAndValueTrimmed(string line, string key, string value)
    {
        Assert.That(LineSyntax.TrySplit(B(line), out var k, out var v), Is.True);
        Assert.That(S(k), Is.EqualTo(key));
        Assert.That(S(v), Is.EqualTo(value));
    }

    [TestCase("")]
    [TestCase("HELO x")]
    [TestCase("KILL_SERVICE")]
    public void TrySplit_NoColon_False(string line)
    {
        Assert.That(LineSyntax.TrySplit(B(line), out _, out _), Is.False);
    }

    [TestCase("JOIN_ID: 5", true)]
    [TestCase("join_id: 5", true)]
    [TestCase("Join_Id:5", true)]
    [TestCase(" JOIN_ID :5", true)]
    [TestCase("JOIN_IDS: 5", false)]
    [TestCase("JOIN ID: 5", false)]
    [TestCase("JOIN_ID 5", false)]
    [TestCase("X: JOIN_ID: 5", false)]
    public void KeyIs_AnyCaseAndSpacing_MatchesOnlyThatKey(string line, bool matches)
    {
        Assert.That(LineSyntax.KeyIs(B(line), "JOIN_ID"u8, out var value), Is.EqualTo(matches));
        Assert.That(S(value), Is.EqualTo(matches ? "5" : ""));
    }

    [TestCase("HELO", true, "")]
    [TestCase("HELO x", true, " x")]
    [TestCase("helo x", true, " x")]
    [TestCase("HeLo\tx ", true, "\tx ")]
    [TestCase("  HELO x", true, " x")]
    [TestCase("HELOx", false, "")]
    [TestCase("HELO:x", false, "")]
    [TestCase("HEL", false, "")]
    [TestCase("X HELO", false, "")]
    public void IsHelo_Line_KeywordThenTextKeptWhole(string line, bool isHelo, string text)
    {
        Assert.That(LineSyntax.IsHelo(B(line), out var t), Is.EqualTo(isHelo));
        Assert.That(S(t), Is.EqualTo(text));
    }

    [TestCase("KILL_SERVICE", true)]
    [TestCase("kill_service", true)]
    [TestCase(" \tKILL_SERVICE \t", true)]
    [TestCase("KILL_SERVICES", false)]
    [TestCase("KILL_SERVICE:", false)]
    [TestCase("KILL SERVICE", false)]
    public void IsWord_Line_ExactWordAnyCase(string line, bool isWord)
    {
        Assert.That(LineSyntax.IsWord(B(line), "KILL_SERVICE"u8), Is.EqualTo(isWord));
    }

    [TestCase("", true)]
    [TestCase(" ", true)]
    [TestCase("\t \t", true)]
    [TestCase("x", false)]
    [TestCase(" \u00A0 ", false)]
    public void IsBlank_Line_OnlySpacesAndTabs(string line, bool blank)
    {
        Assert.That(LineSyntax.IsBlank(B(line)), Is.EqualTo(blank));
    }

    [TestCase("JOIN_CHATROOM: r", true)]
    [TestCase("LEAVE_CHATROOM: 1", true)]
    [TestCase("CHAT: 1", true)]
    [TestCase("DISCONNECT: 0", true)]
    [TestCase("HELO", true)]
    [TestCase("HELO anything", true)]
    [TestCase("KILL_SERVICE", true)]
    [TestCase("chat:x", true)]
    [TestCase("  Join_Chatroom :", true)]
    [TestCase("HELP", false)]
    [TestCase("STATS", false)]
    [TestCase("JOIN_ID: 1", false)]
    [TestCase("CLIENT_NAME: a", false)]
    [TestCase("MESSAGE: m", false)]
    [TestCase("CHATTER: x", false)]
    [TestCase("CHAT", false)]
    [TestCase("JOIN_CHATROOM", false)]
    [TestCase("\u00A0CHAT: 1", false)]
    [TestCase("hello world", false)]
    [TestCase("", false)]
    public void StartsRequest_Line_OnlyTheSixRequestStartsOfSection2_3(string line, bool starts)
    {
        Assert.That(LineSyntax.StartsRequest(B(line)), Is.EqualTo(starts));
    }

    [TestCase("0", 0L)]
    [TestCase("42", 42L)]
    [TestCase("000123", 123L)]
    [TestCase("9223372036854775806", long.MaxValue - 1)]
    [TestCase("9223372036854775807", long.MaxValue)]
    [TestCase("9223372036854775808", long.MaxValue)]
    [TestCase("9223372036854775817", long.MaxValue)]
    [TestCase("92233720368547758070", long.MaxValue)]
    [TestCase("184467440737095516160000000000", long.MaxValue)]
    public void TryParseNumber_NonNegativeInteger_ValueSaturated(string text, long expected)
    {
        Assert.That(LineSyntax.TryParseNumber(B(text), out long number), Is.True);
        Assert.That(number, Is.EqualTo(expected));
    }

    [TestCase("")]
    [TestCase("-1")]
    [TestCase("+1")]
    [TestCase(" 1")]
    [TestCase("1 ")]
    [TestCase("1.0")]
    [TestCase("1e3")]
    [TestCase("0x10")]
    [TestCase("abc")]
    [TestCase("١٢")]
    [TestCase("1,000")]
    public void TryParseNumber_NotANonNegativeInteger_False(string text)
    {
        Assert.That(LineSyntax.TryParseNumber(B(text), out _), Is.False);
    }

    [TestCase("GET / HTTP/1.1", true)]
    [TestCase("POST /x HTTP/1.1", true)]
    [TestCase("OPTIONS * HTTP/1.1", true)]
    [TestCase("GET", false)]
    [TestCase("GETS / HTTP/1.1", false)]
    [TestCase("HELO GET / HTTP/1.1", false)]
    [TestCase("JOIN_CHATROOM: GET ", false)]
    public void IsHttpRequestLine_Line_MethodThenSpace(string line, bool isHttp)
    {
        Assert.That(LineSyntax.IsHttpRequestLine(B(line)), Is.EqualTo(isHttp));
    }

    [TestCase("plain", "plain")]
    [TestCase("tab\there", "tab here")]
    [TestCase("new\nline\r", "new line ")]
    [TestCase("nul\u0000 esc\u001b del\u007f c1\u0085", "nul  esc  del  c1 ")]
    [TestCase("ünï©ødé ☕ \u00A0", "ünï©ødé ☕ \u00A0")]
    public void Sanitize_Text_ControlCharactersBecomeSpaces(string text, string expected)
    {
        Assert.That(LineSyntax.Sanitize(text), Is.EqualTo(expected));
    }

    [Test]
    public void Show_LongValue_First64BytesThenEllipsis()
    {
        string shown = LineSyntax.Show(B(new string('x', 64) + "tail"));

        Assert.That(shown, Is.EqualTo(new string('x', 64) + "..."));
    }

    [Test]
    public void Show_ValueOf64Bytes_Unchanged()
    {
        Assert.That(LineSyntax.Show(B(new string('x', 64))), Is.EqualTo(new string('x', 64)));
    }

    [Test]
    public void Show_InvalidUtf8AndControls_ReplacedAndOneLine()
    {
        string shown = LineSyntax.Show([0x61, 0xFF, 0x0A, 0x62, 0x0D]);

        Assert.That(shown, Is.EqualTo("a\uFFFD b "));
    }
}
