namespace ChatLoop.Protocol;

/// <summary>What one input line is, decided once per line by <see cref="LineSyntax.Classify"/>.</summary>
public enum LineKind : byte
{
    /// <summary>Any other line: a field, a body line, or an unknown request.</summary>
    Other,
    Blank,
    Join,
    Leave,
    Chat,
    Disconnect,
    Helo,
    KillService,
    Help,
    Stats,
}
