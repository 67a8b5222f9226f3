namespace ChatLoop.Protocol;

/// <summary>One input line as read once: its text and what <see cref="LineSyntax.Classify"/> made of it.</summary>
internal readonly ref struct InputLine
{
    public InputLine(ReadOnlySpan<byte> text, LineKind kind, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        Text = text;
        Kind = kind;
        Key = key;
        Value = value;
    }

    public ReadOnlySpan<byte> Text { get; }

    public LineKind Kind { get; }

    public ReadOnlySpan<byte> Key { get; }

    public ReadOnlySpan<byte> Value { get; }
}
