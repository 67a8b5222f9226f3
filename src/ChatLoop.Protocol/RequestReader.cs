using System.Buffers;

namespace ChatLoop.Protocol;

/// <summary>
/// The server's side of PROTOCOL.md: bytes in as they arrive, requests out, in order. Pure: no
/// sockets, no clock. The caller feeds what it received with <see cref="Append"/>, then calls
/// <see cref="TryRead"/> until it returns false; the incomplete tail is kept for the next read.
/// A bad request yields one <see cref="RequestKind.Invalid"/> and the rest of it is skipped up to a
/// blank line or the start of the next request. The caller says when the message idle time has passed
/// with no byte, with <see cref="TryEndIdleMessage"/>, and when the client closed its sending side, with
/// <see cref="TryEndInput"/>: that ends a last line sent without its line end, and an open CHAT body
/// (PROTOCOL.md §1, §2.3).
/// <para>
/// The reader owns the lines (<see cref="LineBuffer"/>), the bounds on line and request length, and the
/// message idle time; what one line means for the request under way is <see cref="RequestParser"/>'s, and
/// a CHAT typed line by line into netcat ends only at its blank line (<see cref="NetcatRule"/>).
/// </para>
/// </summary>
public sealed class RequestReader : IDisposable
{
    private readonly ReaderLimits _limits;
    private readonly LineBuffer _lines;
    private readonly RequestParser _parser;

    // Bytes of the request under way so far, its first line's included.
    private int _requestBytes;

    // TryEndIdleMessage was called and no byte has come since: an open CHAT body ends once the lines held are read.
    private bool _idleEnded;

    /// <param name="limits">Line and request bounds; <see cref="ReaderLimits.Default"/> when null.</param>
    /// <param name="pool">Where buffers come from; <see cref="ArrayPool{T}.Shared"/> by default.</param>
    public RequestReader(ReaderLimits? limits = null, ArrayPool<byte>? pool = null)
    {
        _limits = limits ?? ReaderLimits.Default;
        pool ??= ArrayPool<byte>.Shared;
        _lines = new LineBuffer(pool);
        _parser = new RequestParser(pool);
    }

    /// <summary>Part of a request has arrived and its end has not (for the unfinished-request timeout).</summary>
    public bool HasUnfinishedRequest => _parser.IsInRequest || (!_parser.IsClosed && _lines.PendingBytes > 0);

    /// <summary>
    /// The message idle time would end something or tell something: a line has begun and not ended (any
    /// request, any line); or a CHAT not typed has an open body and the last byte received ended a line; or
    /// a CHAT's head is open after a complete line and a silence followed each of its lines before it (a
    /// silence now may show a person typing it).
    /// </summary>
    public bool IsAwaitingMessageEnd => !_parser.IsClosed
        && (_lines.HasUnterminatedLine || (_lines.PendingBytes == 0 && _parser.AwaitsSilence));

    /// <summary>The open CHAT was typed line by line (<see cref="NetcatRule"/>): its body waits for its blank line.</summary>
    public bool IsTypedChat => _parser.IsTypedChat;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (!_parser.IsClosed && !data.IsEmpty)
        {
            _idleEnded = false;
            _lines.Append(data);
        }
    }

    /// <summary>The next complete request. <see cref="Request.Message"/> is valid until the next call.</summary>
    public bool TryRead(out Request request)
    {
        while (!_parser.IsClosed)
        {
            if (!_lines.TryReadLine(out var line))
            {
                if (_idleEnded && _lines.PendingBytes == 0 && _parser.TryEndBodyAtSilence(out request))
                {
                    _idleEnded = false;
                    return true;
                }

                _idleEnded = false;
                return CheckIncompleteLine(out request);
            }

            if (line.Length > _limits.MaxLineBytes)
            {
                request = Fatal($"line longer than {_limits.MaxLineBytes} bytes");
                return true;
            }

            // A line that starts another request ends this one (PROTOCOL.md §2.3) and is counted
            // in the request it starts, not in this one.
            var kind = LineSyntax.Classify(line, out var key, out var value);
            if (_parser.IsBetweenRequests)
            {
                if (kind != LineKind.Blank)
                {
                    _requestBytes = line.Length + 1;
                }
            }
            else if (!LineSyntax.StartsRequest(kind))
            {
                _requestBytes += line.Length + 1;
                if (_requestBytes > _limits.MaxRequestBytes)
                {
                    request = Fatal($"request longer than {_limits.MaxRequestBytes} bytes");
                    return true;
                }
            }

            var outcome = _parser.Step(new InputLine(line, kind, key, value), out request);
            if (outcome == LineOutcome.RequestThenReread)
            {
                _lines.UnreadLine();
            }

            if (outcome != LineOutcome.Consumed)
            {
                return true;
            }
        }

        request = default;
        return false;
    }

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

        if (_lines.PendingBytes == 0 && _parser.TryCountHeadSilence())
        {
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
        _parser.InputEnded();
        if (!IsAwaitingMessageEnd)
        {
            request = default;
            return false;
        }

        return EndHeldInput(out request);
    }

    public void Dispose()
    {
        _parser.Dispose();
        _lines.Dispose();
    }

    private bool EndHeldInput(out Request request)
    {
        _lines.EndLine();
        _idleEnded = true;
        return TryRead(out request);
    }

    private bool CheckIncompleteLine(out Request request)
    {
        int pending = _lines.PendingBytes;
        if (pending > _limits.MaxLineBytes)
        {
            request = Fatal($"line longer than {_limits.MaxLineBytes} bytes");
            return true;
        }

        // Same rule as for a whole line, decided as soon as the bytes so far allow it, so the outcome
        // does not depend on how the line was split.
        if (!_parser.IsBetweenRequests && _requestBytes + pending > _limits.MaxRequestBytes
            && !LineSyntax.MayStartRequest(_lines.Pending))
        {
            request = Fatal($"request longer than {_limits.MaxRequestBytes} bytes");
            return true;
        }

        _lines.ReleaseIfEmpty();
        _parser.ReleaseBodyIfBetweenRequests();
        request = default;
        return false;
    }

    private Request Fatal(string description)
    {
        _parser.Close();
        _lines.Dispose();
        return Request.Invalid(ErrorCode.TooLong, description);
    }
}
