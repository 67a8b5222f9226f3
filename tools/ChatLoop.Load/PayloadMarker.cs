using System.Buffers.Text;
using System.Runtime.CompilerServices;

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

        int i = Prefix.Length;
        if (!Digits(message, ref i, out ticks) || !Separator(message, ref i, (byte)'s')
            || !Digits(message, ref i, out long s) || s > int.MaxValue || !Separator(message, ref i, (byte)'q')
            || !Digits(message, ref i, out long q) || q > int.MaxValue
            || (i < message.Length && message[i] != (byte)' '))
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

    /// <summary>Reads up to 19 digits at <paramref name="i"/>. An index, not a sliced span, keeps this loop in registers (it was the hottest code of a run).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Digits(ReadOnlySpan<byte> text, ref int i, out long value)
    {
        int start = i;
        int limit = start + 19;
        long v = 0;
        int k = start;

        // (uint)k < (uint)text.Length in the condition lets the JIT drop the bounds check
        while ((uint)k < (uint)text.Length && k < limit)
        {
            uint digit = (uint)(text[k] - '0');
            if (digit > 9)
            {
                break;
            }

            v = (v * 10) + digit;
            k++;
        }

        i = k;
        value = v;
        return k > start;
    }

    /// <summary>Skips <c> x=</c> for the given letter.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Separator(ReadOnlySpan<byte> text, ref int i, byte letter)
    {
        if (i + 3 > text.Length || text[i] != (byte)' ' || text[i + 1] != letter || text[i + 2] != (byte)'=')
        {
            return false;
        }

        i += 3;
        return true;
    }
}
