using ChatLoop.Protocol;
using static ChatLoop.Tests.Protocol.ParsedRequest;

namespace ChatLoop.Tests.Protocol;

/// <summary>PROTOCOL.md §2.7 code 3: a line or request too long is fatal, and is caught before its end arrives.</summary>
public sealed class RequestReaderLimitsTests
{
    // Header of a CHAT, each line counted with one terminator byte: 8 + 11 + 15 + 11 = 45.
    private const string ChatHead = "CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: a\nMESSAGE: m\n";
    private const int ChatHeadBytes = 45;

    private const string LongRoom = "a-room-with-a-long-name";
    private const string NearLimitJoin = "JOIN_CHATROOM: " + LongRoom + "\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: a\n";

    private static readonly ReaderLimits Small = new(MaxLineBytes: 32, MaxRequestBytes: 100);

    [Test]
    public void TryRead_LineOfExactlyMaxBytes_Accepted()
    {
        string line = "HELO " + new string('x', 32 - 5);

        Assert.That(RequestFeed.Parse(line + "\n", Small), Is.EqualTo(new[] { Helo(line[4..]) }));
    }

    [TestCase("\n")]
    [TestCase("\r\n")]
    [TestCase("\r")]
    public void TryRead_LineOneByteOverMax_FatalTooLong(string lineEnd)
    {
        using var reader = new RequestReader(Small);
        reader.Append(RequestFeed.Bytes("HELO " + new string('x', 33 - 5) + lineEnd + "HELO y\n"));

        Assert.That(reader.TryRead(out var request), Is.True);
        Assert.That(request.Kind, Is.EqualTo(RequestKind.Invalid));
        Assert.That(request.Error, Is.EqualTo(ErrorCode.TooLong));
        Assert.That(request.IsFatal, Is.True);
        Assert.That(reader.TryRead(out _), Is.False, "nothing is read after a fatal error");
    }

    [Test]
    public void TryRead_LineWithoutEndGrowsPastMax_ErrorAsSoonAsTheByteOverArrives()
    {
        using var reader = new RequestReader(Small);
        for (int i = 1; i <= 32; i++)
        {
            reader.Append("x"u8);
            Assert.That(reader.TryRead(out _), Is.False, $"after {i} bytes");
        }

        reader.Append("x"u8);
        Assert.That(reader.TryRead(out var request), Is.True);
        Assert.That(request.Error, Is.EqualTo(ErrorCode.TooLong));
        Assert.That(request.IsFatal, Is.True);
    }

    [Test]
    public void TryRead_DefaultLimitsEndlessLine_ErrorPastEightKiB()
    {
        using var reader = new RequestReader();
        reader.Append(new byte[ReaderLimits.DefaultMaxLineBytes]);
        Assert.That(reader.TryRead(out _), Is.False);

        reader.Append([0]);
        Assert.That(reader.TryRead(out var request), Is.True);
        Assert.That(request.Error, Is.EqualTo(ErrorCode.TooLong));
    }

    [Test]
    public void TryRead_EndlessLineInOneHugeAppend_OneFatalError()
    {
        using var reader = new RequestReader();
        reader.Append(new byte[1024 * 1024]);

        var parsed = RequestFeed.Drain(reader);

        Assert.That(parsed, Is.EqualTo(new[] { Invalid(ErrorCode.TooLong) }));
    }

    [Test]
    public void TryRead_RequestsBeforeTooLongLine_ReadFirstAndNothingAfter()
    {
        var parsed = RequestFeed.Parse("HELO a\n\nHELO b\n" + new string('z', 40) + "\nHELO c\n", Small);

        Assert.That(parsed, Is.EqualTo(new[] { Helo(" a"), Helo(" b"), Invalid(ErrorCode.TooLong) }));
    }

    [Test]
    public void TryRead_ChatOfExactlyMaxRequestBytes_Accepted()
    {
        // 45 + 5 * 10 + 4 + 1 (the blank line) = 100.
        string body = string.Concat(Enumerable.Repeat("xxxxxxxxx\n", 5)) + "xxx\n";

        var parsed = RequestFeed.Parse(ChatHead + body + "\n", Small);

        Assert.That(parsed, Is.EqualTo(new[] { Chat(0, 1, "m\n" + body.TrimEnd('\n')) }));
    }

    [Test]
    public void TryRead_ChatOneByteOverMaxRequestBytes_FatalTooLong()
    {
        string body = string.Concat(Enumerable.Repeat("xxxxxxxxx\n", 5)) + "xxxx\n";

        var parsed = RequestFeed.Parse(ChatHead + body + "\nHELO after\n", Small);

        Assert.That(parsed, Is.EqualTo(new[] { Invalid(ErrorCode.TooLong) }));
    }

    [Test]
    public void TryRead_RequestWithoutLineEndGrowsPastMax_ErrorAsSoonAsTheByteOverArrives()
    {
        var limits = new ReaderLimits(MaxLineBytes: 80, MaxRequestBytes: 100);
        using var reader = new RequestReader(limits);
        reader.Append(RequestFeed.Bytes(ChatHead));
        Assert.That(reader.TryRead(out _), Is.False);

        int room = 100 - ChatHeadBytes;
        for (int i = 1; i <= room; i++)
        {
            reader.Append("y"u8);
            Assert.That(reader.TryRead(out _), Is.False, $"after {i} body bytes");
        }

        reader.Append("y"u8);
        Assert.That(reader.TryRead(out var request), Is.True);
        Assert.That(request.Error, Is.EqualTo(ErrorCode.TooLong));
        Assert.That(request.IsFatal, Is.True);
    }

    [Test]
    public void TryRead_ChatNearLimitEndedByNextRequestLine_ThatLineNotChargedToTheChat()
    {
        // §2.3 (a): the line that starts another request is the first line of that request, not part of the CHAT.
        // CHAT: 45 + 50 = 95 bytes; the JOIN's first line is 39 bytes, the whole JOIN 75.
        string body = string.Concat(Enumerable.Repeat("xxxxxxxxx\n", 5));
        var limits = new ReaderLimits(MaxLineBytes: 40, MaxRequestBytes: 100);

        var parsed = RequestFeed.Parse(ChatHead + body + NearLimitJoin, limits);

        Assert.That(parsed, Is.EqualTo(new[] { Chat(0, 1, "m\n" + body.TrimEnd('\n')), Join(LongRoom, "a") }));
    }

    [Test]
    public void TryRead_RequestCutShortByNextRequestNearLimit_MalformedNotTooLong()
    {
        // The CHAT lacks its MESSAGE (63 bytes so far); charging the JOIN's first line to it would make it 102.
        var limits = new ReaderLimits(MaxLineBytes: 50, MaxRequestBytes: 80);
        string cutShort = "CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: " + new string('c', 30) + "\n";

        var parsed = RequestFeed.Parse(cutShort + NearLimitJoin, limits);

        Assert.That(parsed, Is.EqualTo(new[] { Invalid(ErrorCode.MalformedRequest), Join(LongRoom, "a") }));
    }

    [Test]
    public void TryRead_ManySmallRequests_LimitIsPerRequest()
    {
        var input = string.Concat(Enumerable.Repeat(ChatHead + "\n\n\n", 50));

        var parsed = RequestFeed.Parse(input, Small);

        Assert.That(parsed, Has.Count.EqualTo(50));
        Assert.That(parsed, Is.All.EqualTo(Chat(0, 1, "m")));
    }

    [Test]
    public void Append_AfterFatalError_Ignored()
    {
        using var reader = new RequestReader(Small);
        reader.Append(new byte[33]);
        Assert.That(reader.TryRead(out _), Is.True);

        reader.Append("HELO x\n"u8);

        Assert.That(reader.TryRead(out _), Is.False);
        Assert.That(reader.HasUnfinishedRequest, Is.False);
        Assert.That(reader.TryEndIdleMessage(out _), Is.False);
    }
}
