using System.Buffers.Text;

namespace ChatLoop.Load;

/// <summary>
/// The payload every load message carries: <c>~LG t=&lt;Stopwatch ticks&gt; s=&lt;sender&gt; q=&lt;seq&gt; </c>
/// padded with <c>x</c> to the message size (fanbench's marker, so either tool can read the other's).
/// Parsing works in place on the received bytes.
/// </summary>
internal static class PayloadMarker
{
    /// <summary>The longest marker: the prefix, three numbers and their separators.</summary>
    public const int MaxMarkerLength = 6 + 19 + 3 + 10 + 3 + 10 + 1;

    public static ReadOnlySpan<byte> Prefix => "~LG t="u8;

    public static int Length(int size) => Math.Max(size, MaxMarkerLength);

    /// <summary>Writes the payload into <paramref name="destination"/> and returns its length.</summary>
    public static int Write(Span<byte> destination, long ticks, int sender, int seq, int size)
    {
        Prefix.CopyTo(destination);
        int n = Prefix.Length;
        n += Number(destination[n..], ticks);
        " s="u8.CopyTo(destination[n..]);
        n += 3;
        n += Number(destination[n..], sender);
        " q="u8.CopyTo(destination[n..]);
        n += 3;
        n += Number(destination[n..], seq);
        destination[n++] = (byte)' ';
        if (n < size)
        {
            destination[n..size].Fill((byte)'x');
            n = size;
        }

        return n;
    }

    /// <summary>Finds the marker in a message (at its start for this tool's own payloads) and reads its numbers.</summary>
    public static bool TryParse(ReadOnlySpan<byte> message, out long ticks, out int sender, out int seq)
    {
        ticks = 0;
        sender = 0;
        seq = 0;
        if (!message.StartsWith(Prefix))
        {
            int at = message.IndexOf(Prefix);
            if (at < 0)
            {
                return false;
            }

            message = message[at..];
        }

        var rest = message[Prefix.Length..];
        if (!TryDigits(ref rest, out ticks) || !rest.StartsWith(" s="u8))
        {
            return false;
        }

        rest = rest[3..];
        if (!TryDigits(ref rest, out long s) || !rest.StartsWith(" q="u8) || s > int.MaxValue)
        {
            return false;
        }

        rest = rest[3..];
        if (!TryDigits(ref rest, out long q) || q > int.MaxValue || (rest.Length > 0 && rest[0] != (byte)' '))
        {
            return false;
        }

        sender = (int)s;
        seq = (int)q;
        return true;
    }

    private static int Number(Span<byte> destination, long value)
    {
        Utf8Formatter.TryFormat(value, destination, out int written);
        return written;
    }

    private static bool TryDigits(ref ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        int i = 0;
        while (i < text.Length && (uint)(text[i] - '0') <= 9 && i < 19)
        {
            value = (value * 10) + (text[i] - '0');
            i++;
        }

        text = text[i..];
        return i > 0;
    }
}
