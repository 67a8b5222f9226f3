namespace ChatLoop.Protocol;

/// <summary>Bounds on what one connection may send (PROTOCOL.md §2.7 code 3).</summary>
/// <param name="MaxLineBytes">Longest line, without its terminator.</param>
/// <param name="MaxRequestBytes">Longest request, all its lines counted with one terminator byte each.</param>
public sealed record ReaderLimits(int MaxLineBytes = ReaderLimits.DefaultMaxLineBytes, int MaxRequestBytes = ReaderLimits.DefaultMaxRequestBytes)
{
    public const int DefaultMaxLineBytes = 8 * 1024;
    public const int DefaultMaxRequestBytes = 64 * 1024;

    public static ReaderLimits Default { get; } = new();
}
