using System.Text;

namespace ChatLoop.Protocol;

/// <summary>How one input line reads: <c>KEY: value</c>, keywords, numbers (PROTOCOL.md §1).</summary>
public static class LineSyntax
{
    private static ReadOnlySpan<byte> Blanks => " \t"u8;

    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s) => s.Trim(Blanks);

    public static bool IsBlank(ReadOnlySpan<byte> line) => Trim(line).IsEmpty;

    /// <summary>Splits at the first colon; key and value trimmed. False when there is no colon.</summary>
    public static bool TrySplit(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        int colon = line.IndexOf((byte)':');
        if (colon < 0)
        {
            key = default;
            value = default;
            return false;
        }

        key = Trim(line[..colon]);
        value = Trim(line[(colon + 1)..]);
        return true;
    }

    /// <summary>The key of a <c>KEY: value</c> line equals <paramref name="upperKey"/>, ignoring ASCII case.</summary>
    public static bool KeyIs(ReadOnlySpan<byte> line, ReadOnlySpan<byte> upperKey, out ReadOnlySpan<byte> value)
    {
        if (TrySplit(line, out var key, out value) && Ascii.EqualsIgnoreCase(key, upperKey))
        {
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>
    /// A HELO line: the keyword (any case) then a space or the end. <paramref name="text"/> is everything
    /// after the keyword, untrimmed, so the reply can echo it whole.
    /// </summary>
    public static bool IsHelo(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> text)
    {
        var s = line.TrimStart(Blanks);
        if (s.Length >= 4 && Ascii.EqualsIgnoreCase(s[..4], "HELO"u8) && (s.Length == 4 || s[4] == (byte)' ' || s[4] == (byte)'\t'))
        {
            text = s[4..];
            return true;
        }

        text = default;
        return false;
    }

    /// <summary>A line that is exactly <paramref name="upperWord"/> (trimmed, any case).</summary>
    public static bool IsWord(ReadOnlySpan<byte> line, ReadOnlySpan<byte> upperWord) =>
        Ascii.EqualsIgnoreCase(Trim(line), upperWord);

    /// <summary>Lines that start a request; they also end an unterminated CHAT body (PROTOCOL.md §2.3).</summary>
    public static bool StartsRequest(ReadOnlySpan<byte> line) => StartsRequest(Classify(line, out _, out _));

    /// <summary>The kinds of line that start a request (HELP and STATS are extensions and do not end a body).</summary>
    public static bool StartsRequest(LineKind kind) => kind is LineKind.Join or LineKind.Leave or LineKind.Chat
        or LineKind.Disconnect or LineKind.Helo or LineKind.KillService;

    /// <summary>
    /// Reads a line once: which keyword it starts with, if any. For a <c>KEY: value</c> line,
    /// <paramref name="key"/> and <paramref name="value"/> are set (trimmed; key empty when there is no
    /// colon); for HELO, <paramref name="value"/> is the text after the keyword, untrimmed.
    /// </summary>
    public static LineKind Classify(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        key = default;
        value = default;
        var s = line.TrimStart(Blanks);
        if (s.IsEmpty)
        {
            return LineKind.Blank;
        }

        switch (s[0] | 0x20)
        {
            case 'h':
                if (IsHelo(s, out value))
                {
                    return LineKind.Helo;
                }

                if (IsWord(s, "HELP"u8))
                {
                    return LineKind.Help;
                }

                break;
            case 'k':
                if (IsWord(s, "KILL_SERVICE"u8))
                {
                    return LineKind.KillService;
                }

                break;
            case 's':
                if (IsWord(s, "STATS"u8))
                {
                    return LineKind.Stats;
                }

                break;
        }

        if (!TrySplit(s, out key, out value))
        {
            return LineKind.Other;
        }

        return key.Length switch
        {
            4 when Ascii.EqualsIgnoreCase(key, "CHAT"u8) => LineKind.Chat,
            10 when Ascii.EqualsIgnoreCase(key, "DISCONNECT"u8) => LineKind.Disconnect,
            13 when Ascii.EqualsIgnoreCase(key, "JOIN_CHATROOM"u8) => LineKind.Join,
            14 when Ascii.EqualsIgnoreCase(key, "LEAVE_CHATROOM"u8) => LineKind.Leave,
            _ => LineKind.Other,
        };
    }

    /// <summary>
    /// Whether a line of which only <paramref name="partial"/> has arrived may still turn out to
    /// <see cref="StartsRequest"/>. False is final: no further bytes can make the line start a request.
    /// </summary>
    internal static bool MayStartRequest(ReadOnlySpan<byte> partial)
    {
        var s = partial.TrimStart(Blanks);
        return MayBeKeyLine(s, "JOIN_CHATROOM"u8)
            || MayBeKeyLine(s, "LEAVE_CHATROOM"u8)
            || MayBeKeyLine(s, "CHAT"u8)
            || MayBeKeyLine(s, "DISCONNECT"u8)
            || (AgreesWith(s, "HELO"u8) && (s.Length <= 4 || s[4] == (byte)' ' || s[4] == (byte)'\t'))
            || (AgreesWith(s, "KILL_SERVICE"u8) && (s.Length <= 12 || IsBlank(s[12..])));
    }

    // KEY, blanks, then the colon: anything else after the key rules it out.
    private static bool MayBeKeyLine(ReadOnlySpan<byte> s, ReadOnlySpan<byte> upperKey)
    {
        if (!AgreesWith(s, upperKey))
        {
            return false;
        }

        var rest = s.Length <= upperKey.Length ? default : s[upperKey.Length..].TrimStart(Blanks);
        return rest.IsEmpty || rest[0] == (byte)':';
    }

    // As far as s goes, it spells upperWord (any case).
    private static bool AgreesWith(ReadOnlySpan<byte> s, ReadOnlySpan<byte> upperWord)
    {
        int n = Math.Min(s.Length, upperWord.Length);
        return Ascii.EqualsIgnoreCase(s[..n], upperWord[..n]);
    }

    /// <summary>A non-negative decimal integer; values past <see cref="long.MaxValue"/> saturate.</summary>
    public static bool TryParseNumber(ReadOnlySpan<byte> value, out long number)
    {
        number = 0;
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (byte b in value)
        {
            uint digit = (uint)(b - '0');
            if (digit > 9)
            {
                return false;
            }

            number = number > (long.MaxValue - digit) / 10 ? long.MaxValue : (number * 10) + digit;
        }

        return true;
    }

    private static readonly string[] HttpMethods = ["GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE "];

    /// <summary>An HTTP request line (<c>POST /x HTTP/1.1</c>): a browser, or a page trying to reach this port.</summary>
    public static bool IsHttpRequestLine(ReadOnlySpan<byte> line)
    {
        foreach (var method in HttpMethods)
        {
            if (line.Length >= method.Length && Ascii.Equals(line[..method.Length], method))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Decodes a value for an error message: at most 64 bytes, invalid bytes replaced.</summary>
    public static string Show(ReadOnlySpan<byte> value)
    {
        var shown = value.Length > 64 ? value[..64] : value;
        var text = Encoding.UTF8.GetString(shown);
        return Sanitize(text) + (value.Length > 64 ? "..." : "");
    }

    /// <summary>Makes any text safe for one protocol line: control characters become spaces.</summary>
    public static string Sanitize(string text)
    {
        bool clean = true;
        foreach (char c in text)
        {
            if (char.IsControl(c))
            {
                clean = false;
                break;
            }
        }

        if (clean)
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]))
            {
                chars[i] = ' ';
            }
        }

        return new string(chars);
    }
}
