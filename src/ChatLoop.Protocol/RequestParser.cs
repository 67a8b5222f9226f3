using System.Buffers;
using System.Text;

namespace ChatLoop.Protocol;

/// <summary>
/// The states of <see cref="RequestReader"/>, one line at a time: idle, inside a request's fields, inside a
/// CHAT body, skipping a bad request. Owns what the request under way has shown so far (its room, ref,
/// JOIN_ID, text) and the netcat rule's count for it; lines and bounds are the reader's.
/// </summary>
internal sealed class RequestParser
{
    private enum State { Idle, Join, Leave, Chat, Disconnect, ChatBody, Skipping, Closed }

    private static readonly byte[][] JoinFields = [Encoding.ASCII.GetBytes("CLIENT_IP"), Encoding.ASCII.GetBytes("PORT"), Encoding.ASCII.GetBytes("CLIENT_NAME")];
    private static readonly byte[][] LeaveFields = [Encoding.ASCII.GetBytes("JOIN_ID"), Encoding.ASCII.GetBytes("CLIENT_NAME")];
    private static readonly byte[][] ChatFields = [Encoding.ASCII.GetBytes("JOIN_ID"), Encoding.ASCII.GetBytes("CLIENT_NAME"), Encoding.ASCII.GetBytes("MESSAGE")];
    private static readonly byte[][] DisconnectFields = [Encoding.ASCII.GetBytes("PORT"), Encoding.ASCII.GetBytes("CLIENT_NAME")];

    private readonly MessageBody _body;
    private readonly NetcatRule _netcat = new();
    private State _state;
    private int _field;
    private bool _sawLine;
    private string? _roomName;
    private string? _refName;
    private long _roomRef;
    private long _joinId;

    public RequestParser(ArrayPool<byte> pool) => _body = new MessageBody(pool);

    public bool IsClosed => _state == State.Closed;

    /// <summary>No request is under way: the next line that is not blank starts one (or is skipped, after a bad one).</summary>
    public bool IsBetweenRequests => _state is State.Idle or State.Skipping;

    /// <summary>A request has begun and not ended.</summary>
    public bool IsInRequest => _state is State.Join or State.Leave or State.Chat or State.Disconnect or State.ChatBody;

    /// <summary>With no partial line held, a silence would end an open body not typed, or count for an open CHAT head.</summary>
    public bool AwaitsSilence => (_state == State.Chat && _netcat.SilenceAfterEachLine(_field)) || (_state == State.ChatBody && !_netcat.Typed);

    /// <summary>The open CHAT was typed line by line (<see cref="NetcatRule"/>): its body waits for its blank line.</summary>
    public bool IsTypedChat => _netcat.Typed && _state is State.Chat or State.ChatBody;

    /// <summary>A silence after a complete line of a CHAT's head is counted (the netcat rule); false when no CHAT head is open.</summary>
    public bool TryCountHeadSilence()
    {
        if (_state != State.Chat)
        {
            return false;
        }

        _netcat.CountSilence();
        return true;
    }

    /// <summary>After a silence, with every line held read: an open CHAT body not typed ends here (PROTOCOL.md §2.3 (b)).</summary>
    public bool TryEndBodyAtSilence(out Request request)
    {
        if (_state == State.ChatBody && !_netcat.Typed)
        {
            request = CompleteChat();
            return true;
        }

        request = default;
        return false;
    }

    /// <summary>The client closed its sending side: an open body ends even when it was typed.</summary>
    public void InputEnded() => _netcat.Forget();

    /// <summary>Nothing more is read (a fatal error, the HTTP request, dispose).</summary>
    public void Close() => _state = State.Closed;

    /// <summary>Between requests nothing needs the text buffer: it goes back to the pool.</summary>
    public void ReleaseBodyIfBetweenRequests()
    {
        if (IsBetweenRequests)
        {
            _body.Release();
        }
    }

    public void Dispose()
    {
        _state = State.Closed;
        _netcat.Forget();
        _body.Release();
    }

    public LineOutcome Step(in InputLine line, out Request request)
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

                return LineOutcome.Consumed;

            case State.ChatBody:
                if (line.Kind == LineKind.Blank)
                {
                    request = CompleteChat();
                    return LineOutcome.Request;
                }

                if (LineSyntax.StartsRequest(line.Kind))
                {
                    request = CompleteChat();
                    return LineOutcome.RequestThenReread;
                }

                _body.Append("\n"u8);
                _body.Append(line.Text);
                return LineOutcome.Consumed;

            default:
                return Field(line, out request);
        }
    }

    private LineOutcome Start(in InputLine line, out Request request)
    {
        request = default;
        if (line.Kind == LineKind.Blank)
        {
            return LineOutcome.Consumed;
        }

        bool first = !_sawLine;
        _sawLine = true;
        if (first && LineSyntax.IsHttpRequestLine(line.Text))
        {
            _state = State.Closed;
            request = new Request { Kind = RequestKind.Http };
            return LineOutcome.Request;
        }

        _field = 0;
        _netcat.Reset();
        switch (line.Kind)
        {
            case LineKind.Helo:
                _body.Start(line.Value);
                request = new Request { Kind = RequestKind.Helo, Message = _body.Text };
                return LineOutcome.Request;

            case LineKind.KillService or LineKind.Help or LineKind.Stats:
                var kind = line.Kind switch { LineKind.KillService => RequestKind.KillService, LineKind.Help => RequestKind.Help, _ => RequestKind.Stats };
                request = new Request { Kind = kind };
                return LineOutcome.Request;

            case LineKind.Join:
                var problem = Names.Check(line.Value);
                if (problem is not null)
                {
                    return Reject(ErrorCode.InvalidName, "room name " + problem, out request);
                }

                _roomName = Encoding.UTF8.GetString(line.Value);
                _state = State.Join;
                return LineOutcome.Consumed;

            case LineKind.Leave or LineKind.Chat:
                bool leave = line.Kind == LineKind.Leave;
                if (!RoomRefField.TryRead(line.Value, out _roomRef, out _refName))
                {
                    return Reject(ErrorCode.MalformedRequest, $"{(leave ? "LEAVE_CHATROOM" : "CHAT")} needs a room ref (a non-negative integer) or the name of a room you are in, got '{LineSyntax.Show(line.Value)}'", out request);
                }

                _state = leave ? State.Leave : State.Chat;
                return LineOutcome.Consumed;

            case LineKind.Disconnect:
                _state = State.Disconnect;
                return LineOutcome.Consumed;

            default:
                var shown = line.Key.IsEmpty ? LineSyntax.Trim(line.Text) : line.Key;
                return Reject(ErrorCode.UnknownRequest, $"unknown request '{LineSyntax.Show(shown)}'; send HELP for the list", out request);
        }
    }

    private LineOutcome Field(in InputLine line, out Request request)
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
                request = Request.Invalid(ErrorCode.MalformedRequest, missing + ", got a blank line");
                return LineOutcome.Request;
            }

            if (LineSyntax.StartsRequest(line.Kind))
            {
                _state = State.Idle;
                request = Request.Invalid(ErrorCode.MalformedRequest, missing + ", got the start of another request");
                return LineOutcome.RequestThenReread;
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
            _state = State.Idle;

            // CLIENT_NAME is the JOIN's last line: nothing of it is left to skip, the next line is a new request.
            request = problem is not null
                ? Request.Invalid(ErrorCode.InvalidName, "client name " + problem)
                : new Request { Kind = RequestKind.Join, RoomName = _roomName, ClientName = Encoding.UTF8.GetString(value) };
            return LineOutcome.Request;
        }
        else if (_state == State.Chat && expected == ChatFields[2])
        {
            _body.Start(value);
            _state = State.ChatBody;
            request = default;
            return LineOutcome.Consumed;
        }

        if (++_field < fields.Length)
        {
            request = default;
            return LineOutcome.Consumed;
        }

        // DISCONNECT has no ref or id of its own; it must not carry the previous request's.
        request = _state == State.Leave
            ? new Request { Kind = RequestKind.Leave, RoomRef = _roomRef, RoomName = _refName, JoinId = _joinId }
            : new Request { Kind = RequestKind.Disconnect };
        _state = State.Idle;
        return LineOutcome.Request;
    }

    private Request CompleteChat()
    {
        _state = State.Idle;
        return new Request { Kind = RequestKind.Chat, RoomRef = _roomRef, RoomName = _refName, JoinId = _joinId, Message = _body.Text };
    }

    private LineOutcome Reject(ErrorCode code, string description, out Request request)
    {
        _state = State.Skipping;
        request = Request.Invalid(code, description);
        return LineOutcome.Request;
    }
}
