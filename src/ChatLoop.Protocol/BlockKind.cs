namespace ChatLoop.Protocol;

public enum BlockKind
{
    Chat,
    Joined,
    Left,
    Error,
    Helo,

    /// <summary>A blank line where a block should start (the grading client fails on these).</summary>
    StrayBlankLine,

    /// <summary>A line that starts no block this tool knows; consumed one line at a time.</summary>
    Unknown,
}
