using System.Text;
using ChatLoop.Protocol;

namespace ChatLoop.Tests.Protocol;

/// <summary>Feeds bytes to a <see cref="RequestReader"/> the way the server does: append a chunk, read until false.</summary>
public static class RequestFeed
{
    // A reader that never stops yielding is a bug; fail instead of hanging the run.
    private const int MaxRequests = 100_000;

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static List<ParsedRequest> Parse(string text, ReaderLimits? limits = null) => Parse(Bytes(text), limits);

    public static List<ParsedRequest> Parse(byte[] bytes, ReaderLimits? limits = null) => ParseChunks([bytes], limits);

    public static List<ParsedRequest> ParseChunks(IEnumerable<ReadOnlyMemory<byte>> chunks, ReaderLimits? limits = null)
    {
        using var reader = new RequestReader(limits);
        var seen = new List<ParsedRequest>();
        foreach (var chunk in chunks)
        {
            reader.Append(chunk.Span);
            Drain(reader, seen);
        }

        return seen;
    }

    public static void Drain(RequestReader reader, List<ParsedRequest> into)
    {
        while (reader.TryRead(out var request))
        {
            into.Add(ParsedRequest.From(request));
            if (into.Count > MaxRequests)
            {
                Assert.Fail("the reader kept yielding requests");
            }
        }
    }

    public static List<ParsedRequest> Drain(RequestReader reader)
    {
        var seen = new List<ParsedRequest>();
        Drain(reader, seen);
        return seen;
    }

    /// <summary>As the server does when the message idle time passes, or at EOF: end what it ends, then read every request it completes.</summary>
    public static List<ParsedRequest> EndIdle(RequestReader reader)
    {
        var seen = new List<ParsedRequest>();
        if (reader.TryEndIdleMessage(out var first))
        {
            seen.Add(ParsedRequest.From(first));
            Drain(reader, seen);
        }

        return seen;
    }

    public static IEnumerable<ReadOnlyMemory<byte>> SplitAt(byte[] bytes, int cut) =>
        [bytes.AsMemory(0, cut), bytes.AsMemory(cut)];

    public static IEnumerable<ReadOnlyMemory<byte>> OneByteAtATime(byte[] bytes)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            yield return bytes.AsMemory(i, 1);
        }
    }
}
