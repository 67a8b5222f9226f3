using System.Buffers;
using System.Text;

namespace ChatLoop.Protocol;

/// <summary>
/// The server's side of PROTOCOL.md: bytes in as they arrive, requests out, in order. Pure: no
/// sockets, no clock. The caller feeds what it received with <see cref="Append"/>, then calls
/// <see cref="TryRead"/> until it returns false; the incomplete tail is kept for the next read.
/// A bad request yields one <see cref="RequestKind.Invalid"/> and the rest of it is skipped up to a
/// blank line or the start of the next request.
/// </summary>
public sealed class RequestReader : IDisposable
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
    private long _roomRef;
    private long _joinId;
    private byte[]? _body;
    private int _bodyLength;

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

    /// <summary>A CHAT body is open and the last byte received ended a line, so the message idle time may end it.</summary>
    public bool IsAwaitingMessageEnd => _state == State.ChatBody && _lines.PendingBytes == 0;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_state != State.Closed)
        {
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

    /// <summary>Ends an open CHAT body because no byte arrived for the message idle time (PROTOCOL.md §2.3 (b)).</summary>
    public bool TryEndIdleMessage(out Request request)
    {
        if (!IsAwaitingMessageEnd)
        {
            request = default;
            return false;
        }

        request = CompleteChat();
        return true;
    }

    public void Dispose()
    {
        _state = State.Closed;
        _lines.Dispose();
        ReleaseBody();
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

    private bool Step(in Line line, out Request request)
    {
        request = default;
        switch (_state)
        {
            case State.Idle:
                return Start(line, out request);

            case State.Skipping:
                if (line.Kind == LineKind.Blank)
                {
                    _state = State.Idle;
                }
                else if (LineSyntax.StartsRequest(line.Kind))
                {
                    _state = State.Idle;
                    return Start(line, out request);
                }

                return false;

            case State.ChatBody:
                if (line.Kind == LineKind.Blank)
                {
                    request = CompleteChat();
                    return true;
                }

                if (LineSyntax.StartsRequest(line.Kind))
                {
                    _lines.UnreadLine();
                    request = CompleteChat();
                    return true;
                }

                AppendBody("\n"u8);
                AppendBody(line.Text);
                return false;

            default:
                return Field(line, out request);
        }
    }

    private bool Start(in Line line, out Request request)
    {
        request = default;
        if (line.Kind == LineKind.Blank)
        {
            return false;
        }

        bool first = !_sawLine;
        _sawLine = true;
        if (first && LineSyntax.IsHttpRequestLine(line.Text))
        {
            _state = State.Closed;
            request = new Request { Kind = RequestKind.Http };
            return true;
        }

        _field = 0;
        _requestBytes = line.Text.Length + 1;
        switch (line.Kind)
        {
            case LineKind.Helo:
                _bodyLength = 0;
                AppendBody(line.Value);
                request = new Request { Kind = RequestKind.Helo, Message = _body.AsMemory(0, _bodyLength) };
                return true;

            case LineKind.KillService:
                request = new Request { Kind = RequestKind.KillService };
                return true;

            case LineKind.Help:
                request = new Request { Kind = RequestKind.Help };
                return true;

            case LineKind.Stats:
                request = new Request { Kind = RequestKind.Stats };
                return true;

            case LineKind.Join:
                var problem = Names.Check(line.Value);
                if (problem is not null)
                {
                    return Reject(ErrorCode.InvalidName, "room name " + problem, out request);
                }

                _roomName = Encoding.UTF8.GetString(line.Value);
                _state = State.Join;
                return false;

            case LineKind.Leave or LineKind.Chat:
                bool leave = line.Kind == LineKind.Leave;
                if (!LineSyntax.TryParseNumber(line.Value, out _roomRef))
                {
                    return Reject(ErrorCode.MalformedRequest, $"{(leave ? "LEAVE_CHATROOM" : "CHAT")} needs a room ref (a non-negative integer), got '{LineSyntax.Show(line.Value)}'", out request);
                }

                _state = leave ? State.Leave : State.Chat;
                return false;

            case LineKind.Disconnect:
                _state = State.Disconnect;
                return false;

            default:
                var shown = line.Key.IsEmpty ? LineSyntax.Trim(line.Text) : line.Key;
                return Reject(ErrorCode.UnknownRequest, $"unknown request '{LineSyntax.Show(shown)}'; send HELP for the list", out request);
        }
    }

    private bool Field(in Line line, out Request request)
    {
        var (fields, name) = _state switch
        {
            State.Join => (JoinFields, "JOIN_CHATROOM"),
            State.Leave => (LeaveFields, "LEAVE_CHATROOM"),
            State.Chat => (ChatFields, "CHAT"),
            _ => (DisconnectFields, "DISCONNECT"),
        };
        var expected = fields[_field];
        var value = line.Value;

        if (line.Kind != LineKind.Other || !Ascii.EqualsIgnoreCase(line.Key, expected) || line.Key.IsEmpty)
        {
            string missing = $"{name} request: expected {Encoding.ASCII.GetString(expected)} in line {_field + 2}";
            if (line.Kind == LineKind.Blank)
            {
                _state = State.Idle;
                return Invalid(ErrorCode.MalformedRequest, missing + ", got a blank line", out request);
            }

            if (LineSyntax.StartsRequest(line.Kind))
            {
                _lines.UnreadLine();
                _state = State.Idle;
                return Invalid(ErrorCode.MalformedRequest, missing + ", got the start of another request", out request);
            }

            return Reject(ErrorCode.MalformedRequest, missing, out request);
        }

        if (expected == LeaveFields[0] || expected == ChatFields[0])
        {
            if (!LineSyntax.TryParseNumber(value, out _joinId))
            {
                return Reject(ErrorCode.MalformedRequest, $"JOIN_ID must be a non-negative integer, got '{LineSyntax.Show(value)}'", out request);
            }
        }
        else if (_state == State.Join && expected == JoinFields[2])
        {
            var problem = Names.Check(value);
            if (problem is not null)
            {
                // CLIENT_NAME is the JOIN's last line: nothing of it is left to skip, the next line is a new request.
                _state = State.Idle;
                return Invalid(ErrorCode.InvalidName, "client name " + problem, out request);
            }

            request = new Request { Kind = RequestKind.Join, RoomName = _roomName, ClientName = Encoding.UTF8.GetString(value) };
            _state = State.Idle;
            return true;
        }
        else if (_state == State.Chat && expected == ChatFields[2])
        {
            _bodyLength = 0;
            AppendBody(value);
            _state = State.ChatBody;
            request = default;
            return false;
        }

        if (++_field < fields.Length)
        {
            request = default;
            return false;
        }

        // DISCONNECT has no ref or id of its own; it must not carry the previous request's.
        request = _state == State.Leave
            ? new Request { Kind = RequestKind.Leave, RoomRef = _roomRef, JoinId = _joinId }
            : new Request { Kind = RequestKind.Disconnect };
        _state = State.Idle;
        return true;
    }

    private Request CompleteChat()
    {
        _state = State.Idle;
        return new Request { Kind = RequestKind.Chat, RoomRef = _roomRef, JoinId = _joinId, Message = _body.AsMemory(0, _bodyLength) };
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
