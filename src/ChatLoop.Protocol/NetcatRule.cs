namespace ChatLoop.Protocol;

/// <summary>
/// The netcat rule, which sets a typed CHAT apart from a program's (PROTOCOL.md §1, §2.3 (b)).
/// <para>
/// A CHAT is typed when each line of its head (<c>CHAT:</c>, <c>JOIN_ID:</c>, <c>CLIENT_NAME:</c>) was
/// followed by a silence of the message idle time, as a person's lines are, one Enter at a time. Only then
/// does the reader depart from §2.3 (b): that CHAT's body ends at its blank line, a line that starts a
/// request, or EOF, never at a silence. A head that came with fewer silences (a burst, a program writing a
/// line at a time, one descheduled between two writes, or one that pauses once before its MESSAGE line)
/// keeps §2.3 (b) byte for byte.
/// </para>
/// </summary>
internal sealed class NetcatRule
{
    // The lines of a CHAT's head before its MESSAGE line: CHAT, JOIN_ID, CLIENT_NAME.
    private const int ChatHeadLines = 3;

    // Silences counted after the open CHAT's head lines, one a line while each line had one.
    private int _silences;

    /// <summary>The open CHAT's head was typed line by line: only its blank line ends its body.</summary>
    public bool Typed { get; private set; }

    /// <summary>A request begins: nothing is counted yet.</summary>
    public void Reset()
    {
        _silences = 0;
        Typed = false;
    }

    /// <summary>Each of the head's <paramref name="headLines"/> lines so far was followed by a silence: one now may show a person typing.</summary>
    public bool SilenceAfterEachLine(int headLines) => _silences == headLines;

    /// <summary>A silence after the head's latest line; after the last head line it marks the CHAT typed.</summary>
    public void CountSilence() => Typed = ++_silences == ChatHeadLines;

    /// <summary>The input ended: nothing more can come, so a typed body ends as any other.</summary>
    public void Forget() => Typed = false;
}
