using System.Text;

namespace ChatLoop.Protocol;

/// <summary>The reader's states, one line at a time: idle, inside a request's fields, inside a CHAT body, skipping a bad request.</summary>
public sealed partial class RequestReader
{
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
        _typed = false;
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
                if (!ReadRoomRef(line.Value))
                {
                    return Reject(ErrorCode.MalformedRequest, $"{(leave ? "LEAVE_CHATROOM" : "CHAT")} needs a room ref (a non-negative integer) or the name of a room you are in, got '{LineSyntax.Show(line.Value)}'", out request);
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

    /// <summary>
    /// The ROOM_REF field of a LEAVE or CHAT: an integer is a ref, even when some room's name is all digits.
    /// Anything else that is a valid room name is kept as a name standing for a ref (PROTOCOL.md §2.3);
    /// whether it names one of this connection's rooms is the server's to decide.
    /// </summary>
    private bool ReadRoomRef(ReadOnlySpan<byte> value)
    {
        _refName = null;
        if (LineSyntax.TryParseNumber(value, out _roomRef))
        {
            return true;
        }

        _roomRef = -1;
        if (Names.Check(value) is not null)
        {
            return false;
        }

        _refName = Encoding.UTF8.GetString(value);
        return true;
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
            ? new Request { Kind = RequestKind.Leave, RoomRef = _roomRef, RoomName = _refName, JoinId = _joinId }
            : new Request { Kind = RequestKind.Disconnect };
        _state = State.Idle;
        return true;
    }
}
