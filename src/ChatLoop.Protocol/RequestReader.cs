using System.Buffers;
using System.Text;

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
/// The netcat rule: the silence ends a CHAT body only when the CHAT came as a program sends it, in one
/// burst. A silence of the message idle time after a complete line of the CHAT's head (before its MESSAGE
/// line) shows a person typing it line by line: that CHAT's body then ends only at its blank line (or a
/// line that starts a request, or EOF), so a person can type a message of several lines into netcat.
/// </para>
/// </summary>
public sealed partial class RequestReader : IDisposable
{
    private enum State { Idle, Join, Leave, Chat, Disconnect, ChatBody, Skipping, Closed }

    private static readonly byte[][] JoinFields = [Encoding.ASCII.GetBytes("CLIENT_IP"), Encoding.ASCII.GetBytes("PORT"), Encoding.ASCII.GetBytes("CLIENT_NAME")];
    private static readonly byte[][] LeaveFields = [Encoding.ASCII.GetBytes("JOIN_ID"), Encoding.ASCII.GetBytes("CLIENT_NAME")];
    private static readonly byte[][] ChatFields = [Encoding.ASCII.GetBytes("JOIN_ID"), Encoding.ASCII.GetBytes("CLIENT_NAME"), Encoding.ASCII.GetBytes("MESSAGE")];
    private static readonly byte[][] DisconnectFields = [Encoding.ASCII.GetBytes("PORT"), Encoding.ASCII.GetBytes("CLIENT_NAME")];

    private readonly ReaderLimits _limits;
    private readonly ArrayPool<byte> _pool;
    private readonly LineBuffer _lines;
    private State _state;
    private int _field;
    private int _requestBytes;
    private bool _sawLine;
    private string? _roomName;
    private string? _refName;
    private long _roomRef;
    private long _joinId;
    private byte[]? _body;
    private int _bodyLength;

    // TryEndIdleMessage was called and no byte has come since: an open CHAT body ends once the lines held are read.
    private bool _idleEnded;

    // The open CHAT's head was typed line by line (a silence came after one of its lines): only its blank line ends its body.
    private bool _typed;

    /// <param name="limits">Line and request bounds; <see cref="ReaderLimits.Default"/> when null.</param>
    /// <param name="pool">Where buffers come from; <see cref="ArrayPool{T}.Shared"/> by default.</param>
    public RequestReader(ReaderLimits? limits = null, ArrayPool<byte>? pool = null)
    {
        _limits = limits ?? ReaderLimits.Default;
        _pool = pool ?? ArrayPool<byte>.Shared;
        _lines = new LineBuffer(_pool);
    }

    /// <summary>Part of a request has arrived and its end has not (for the unfinished-request timeout).</summary>
    public bool HasUnfinishedRequest => _state is State.Join or State.Leave or State.Chat or State.Disconnect or State.ChatBody
        || (_state != State.Closed && _lines.PendingBytes > 0);

    /// <summary>
    /// The message idle time would end something or tell something: a line has begun and not ended (any
    /// request, any line); or a CHAT sent in one burst has an open body and the last byte received ended a
    /// line; or a CHAT's head is open after a complete line (a silence now shows a person typing it).
    /// </summary>
    public bool IsAwaitingMessageEnd => _state != State.Closed
        && (_lines.HasUnterminatedLine || (_state is State.Chat or State.ChatBody && !_typed && _lines.PendingBytes == 0));

    /// <summary>The open CHAT was typed line by line (see the netcat rule above): its body waits for its blank line.</summary>
    public bool IsTypedChat => _typed && _state is State.Chat or State.ChatBody;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_state != State.Closed && !data.IsEmpty)
        {
            _idleEnded = false;
            _lines.Append(data);
        }
    }

    /// <summary>The next complete request. <see cref="Request.Message"/> is valid until the next call.</summary>
    public bool TryRead(out Request request)
    {
        while (_state != State.Closed)
        {
            if (!_lines.TryReadLine(out var line))
            {
                if (_idleEnded && _state == State.ChatBody && !_typed && _lines.PendingBytes == 0)
                {
                    _idleEnded = false;
                    request = CompleteChat();
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
            if (_state is not (State.Idle or State.Skipping) && !LineSyntax.StartsRequest(kind))
            {
                _requestBytes += line.Length + 1;
                if (_requestBytes > _limits.MaxRequestBytes)
                {
                    request = Fatal($"request longer than {_limits.MaxRequestBytes} bytes");
                    return true;
                }
            }

            if (Step(new Line(line, kind, key, value), out request))
            {
                return true;
            }
        }

        request = default;
        return false;
    }

    /// <summary>
    /// No byte has arrived for the message idle time: a line begun and not ended counts as ended (PROTOCOL.md
    /// §1), and an open CHAT body sent in one burst ends once the lines held are read (§2.3 (b)). A silence
    /// after a complete line of a CHAT's head marks that CHAT as typed by a person (the netcat rule): it
    /// yields nothing, and that CHAT's body then ends only at its blank line. Yields the first request that
    /// completes, as <see cref="TryRead"/> does; read on with <see cref="TryRead"/> for the rest (ending a line
    /// can complete a CHAT and start another request). False when nothing completed (the line, if any, is
    /// still ended: it may be part of a request).
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
            _typed = true;
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

    public void Dispose()
    {
        _state = State.Closed;
        _typed = false;
        _lines.Dispose();
        ReleaseBody();
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
        if (_state is not (State.Idle or State.Skipping) && _requestBytes + pending > _limits.MaxRequestBytes
            && !LineSyntax.MayStartRequest(_lines.Pending))
        {
            request = Fatal($"request longer than {_limits.MaxRequestBytes} bytes");
            return true;
        }

        _lines.ReleaseIfEmpty();
        if (_state is State.Idle or State.Skipping)
        {
            ReleaseBody();
        }

        request = default;
        return false;
    }

    private Request CompleteChat()
    {
        _state = State.Idle;
        return new Request { Kind = RequestKind.Chat, RoomRef = _roomRef, RoomName = _refName, JoinId = _joinId, Message = _body.AsMemory(0, _bodyLength) };
    }

    private bool Reject(ErrorCode code, string description, out Request request)
    {
        _state = State.Skipping;
        request = Request.Invalid(code, description);
        return true;
    }

    private static bool Invalid(ErrorCode code, string description, out Request request)
    {
        request = Request.Invalid(code, description);
        return true;
    }

    private Request Fatal(string description)
    {
        _state = State.Closed;
        _lines.Dispose();
        return Request.Invalid(ErrorCode.TooLong, description);
    }

    private void AppendBody(ReadOnlySpan<byte> bytes)
    {
        if (_body is null || _bodyLength + bytes.Length > _body.Length)
        {
            var bigger = _pool.Rent(Math.Max(256, Math.Max(_bodyLength + bytes.Length, (_body?.Length ?? 0) * 2)));
            if (_body is not null)
            {
                _body.AsSpan(0, _bodyLength).CopyTo(bigger);
                _pool.Return(_body);
            }

            _body = bigger;
        }

        bytes.CopyTo(_body.AsSpan(_bodyLength));
        _bodyLength += bytes.Length;
    }

    private void ReleaseBody()
    {
        if (_body is not null)
        {
            _pool.Return(_body);
            _body = null;
            _bodyLength = 0;
        }
    }

    /// <summary>One line as read once: its text and what <see cref="LineSyntax.Classify"/> made of it.</summary>
    private readonly ref struct Line
    {
        public Line(ReadOnlySpan<byte> text, LineKind kind, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
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
}
