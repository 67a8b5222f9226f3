using System.Text;
using System.Text.Unicode;

namespace ChatLoop.Protocol;

/// <summary>Client and room names (PROTOCOL.md §3): 1 to 64 bytes of UTF-8 after trimming, no control characters.</summary>
public static class Names
{
    public const int MaxBytes = 64;

    /// <summary>Checks a trimmed name; returns null when valid, else why not.</summary>
    public static string? Check(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return "is empty";
        }

        if (utf8.Length > MaxBytes)
        {
            return "is longer than 64 bytes";
        }

        if (!Utf8.IsValid(utf8))
        {
            return "is not valid UTF-8";
        }

        Span<char> chars = stackalloc char[MaxBytes];
        int n = Encoding.UTF8.GetChars(utf8, chars);
        foreach (var rune in ((ReadOnlySpan<char>)chars[..n]).EnumerateRunes())
        {
            if (Rune.IsControl(rune))
            {
                return "contains a control character";
            }
        }

        return null;
    }

    /// <summary>Checks a name given as a string (the client side).</summary>
    public static string? Check(string name)
    {
        var trimmed = name.AsSpan().Trim(" \t");
        if (Encoding.UTF8.GetByteCount(trimmed) > MaxBytes)
        {
            return "is longer than 64 bytes";
        }

        Span<byte> bytes = stackalloc byte[MaxBytes];
        int n = Encoding.UTF8.GetBytes(trimmed, bytes);
        return Check(bytes[..n]);
    }
}
