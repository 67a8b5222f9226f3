namespace ChatLoop.Protocol;

/// <summary>
/// The message idle time and the end of input (PROTOCOL.md §1, §2.3 (b)), and the netcat rule that sets a
/// typed CHAT apart from a program's.
/// <para>
/// The netcat rule: a CHAT is typed when each line of its head (<c>CHAT:</c>, <c>JOIN_ID:</c>,
/// <c>CLIENT_NAME:</c>) was followed by a silence of the message idle time, as a person's lines are, one
/// Enter at a time. Only then does the reader depart from §2.3 (b): that CHAT's body ends at its blank
/// line, a line that starts a request, or EOF, never at a silence. A head that came with fewer silences (a
/// burst, a program writing a line at a time, one descheduled between two writes, or one that pauses once
/// before its MESSAGE line) keeps §2.3 (b) byte for byte.
/// </para>
/// </summary>
public sealed partial class RequestReader
{
    // The lines of a CHAT's head before its MESSAGE line: CHAT, JOIN_ID, CLIENT_NAME.
    private const int ChatHeadLines = 3;

    /// <summary>
    /// The message idle time would end something or tell something: a line has begun and not ended (any
    /// request, any line); or a CHAT not typed has an open body and the last byte received ended a line; or
    /// a CHAT's head is open after a complete line and a silence followed each of its lines before it (a
    /// silence now may show a person typing it).
    /// </summary>
    public bool IsAwaitingMessageEnd => _state != State.Closed
        && (_lines.HasUnterminatedLine
            || (_lines.PendingBytes == 0 && ((_state == State.Chat && _headSilences == _field) || (_state == State.ChatBody && !_typed))));

    /// <summary>The open CHAT was typed line by line (the netcat rule above): its body waits for its blank line.</summary>
    public bool IsTypedChat => _typed && _state is State.Chat or State.ChatBody;

    /// <summary>
    /// No byte has arrived for the message idle time: a line begun and not ended counts as ended (PROTOCOL.md
    /// §1), and an open CHAT body not typed ends once the lines held are read (§2.3 (b)). A silence after a
    /// complete line of a CHAT's head is counted: after the last of its head lines, each followed by one, it
    /// marks that CHAT typed (the netcat rule) and yields nothing. Yields the first request that completes,
    /// as <see cref="TryRead"/> does; read on with <see cref="TryRead"/> for the rest (ending a line can
    /// complete a CHAT and start another request). False when nothing completed (the line, if any, is still
    /// ended: it may be part of a request).
    /// </summary>
    public bool TryEndIdleMessage(out Request request)
    {
        if (!IsAwaitingMessageEnd)
        {
            request = default;
            return false;
        }

        if (_state == State.Chat && _lines.PendingBytes == 0)
        {
            _typed = ++_headSilences == ChatHeadLines;
            request = default;
            return false;
        }

        return EndHeldInput(out request);
    }

    /// <summary>
    /// The client closed its sending side (EOF): as <see cref="TryEndIdleMessage"/>, except that an open CHAT
    /// body ends even when it was typed (nothing more can come to end it).
    /// </summary>
    public bool TryEndInput(out Request request)
    {
        _typed = false;
        if (!IsAwaitingMessageEnd)
        {
            request = default;
            return false;
        }

        return EndHeldInput(out request);
    }

    private bool EndHeldInput(out Request request)
    {
        _lines.EndLine();
        _idleEnded = true;
        return TryRead(out request);
    }
}
