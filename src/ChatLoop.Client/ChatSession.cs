using System.Buffers;
using ChatLoop.Protocol;

namespace ChatLoop.Client;

/// <summary>
/// One connection to the server, for one person: typed lines in (<see cref="HandleLine"/>, from one
/// thread), server blocks out as readable lines on <paramref name="output"/> (from the receive loop).
/// Knows nothing of the console, so tests drive it over a loopback socket and a capturing writer.
/// </summary>
public sealed class ChatSession : IDisposable
{
    private readonly Stream _stream;
    private readonly TextWriter _output;
    private readonly ClientSettings _settings;
    private readonly ClientState _state = new();
    private readonly InputAssembler _assembler = new();
    private readonly ResponseReader _reader = new();
    private readonly ArrayBufferWriter<byte> _sendBuffer = new(1024);
    private readonly object _outputLock = new();
    private readonly object _sendLock = new();
    private readonly CancellationTokenSource _stop = new();
    private Task<bool>? _receiving;
    private volatile bool _quitting;
    private bool _disposed;

    public ChatSession(Stream stream, TextWriter output, ClientSettings settings)
    {
        _stream = stream;
        _output = output;
        _settings = settings;
    }

    /// <summary>Raised, outside any lock, with the new current room's name (null for none) whenever it changes.</summary>
    public event Action<string?>? CurrentRoomChanged;

    /// <summary>
    /// Completes when the connection ends: true when the server closed it (or it failed) without
    /// the person asking to quit, false after a quit.
    /// </summary>
    public Task<bool> Closed => _receiving ?? throw new InvalidOperationException("Start the session first.");

    /// <summary>True while a message continued with a trailing backslash is being typed.</summary>
    public bool Continuing => _assembler.Continuing;

    public string? CurrentRoom
    {
        get
        {
            lock (_state)
            {
                return _state.Current?.Name;
            }
        }
    }

    public long? JoinId
    {
        get
        {
            lock (_state)
            {
                return _state.JoinId;
            }
        }
    }

    /// <summary>Starts reading from the server.</summary>
    public void Start() => _receiving ??= Task.Run(ReceiveAsync);

    /// <summary>Handles one typed line. Returns false once the session is over (after /quit).</summary>
    public bool HandleLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (_quitting)
        {
            return false;
        }

        if (!_assembler.TryComplete(line, out var text))
        {
            return true;
        }

        var command = CommandParser.Parse(text);
        switch (command.Kind)
        {
            case CommandKind.None:
                break;
            case CommandKind.Chat:
                Chat(command.Argument ?? "");
                break;
            case CommandKind.Join:
                Send(w => ClientRequests.Join(w, command.Argument!, _settings.Name));
                break;
            case CommandKind.Leave:
                Leave(command.Argument);
                break;
            case CommandKind.Switch:
                Switch(command.Argument!);
                break;
            case CommandKind.Rooms:
                lock (_state)
                {
                    Print(Display.Rooms(_state));
                }

                break;
            case CommandKind.Helo:
                Send(w => ClientRequests.Helo(w, command.Argument ?? CommandParser.DefaultHeloText));
                break;
            case CommandKind.Stats:
                Send(ClientRequests.Stats);
                break;
            case CommandKind.Help:
                Print(Display.Help);
                break;
            case CommandKind.Quit:
                Quit();
                return false;
            case CommandKind.Unknown:
                Print(Display.Problem($"unknown command {command.Argument}; /help lists the commands"));
                break;
            default:
                Print(Display.Problem(command.Argument ?? "invalid command"));
                break;
        }

        return true;
    }

    /// <summary>
    /// Sends DISCONNECT and waits, at most the quit wait, for the server's leave notices and its close.
    /// Safe to call more than once.
    /// </summary>
    public void Quit()
    {
        if (_quitting)
        {
            return;
        }

        _quitting = true;
        Send(w => ClientRequests.Disconnect(w, _settings.Name));
        if (_receiving is { } receiving && !receiving.Wait(_settings.QuitWait))
        {
            Print(Display.Problem("the server did not close the connection in time; closing it"));
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _quitting = true;
        _stop.Cancel();
        _stream.Dispose();
        try
        {
            _receiving?.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // The receive loop's own failures are reported through Closed.
        }

        _reader.Dispose();
        _stop.Dispose();
    }

    private void Chat(string typed)
    {
        JoinedRoom? room;
        long? joinId;
        lock (_state)
        {
            room = _state.Current;
            joinId = _state.JoinId;
        }

        if (room is null || joinId is null)
        {
            Print(Display.Problem("you are in no room; /join ROOM first"));
            return;
        }

        var message = MessageText.Normalize(typed);
        if (message.Length > 0)
        {
            Send(w => ClientRequests.Chat(w, room.Ref, joinId.Value, _settings.Name, message));
        }
    }

    private void Leave(string? name)
    {
        JoinedRoom? room;
        long? joinId;
        lock (_state)
        {
            room = name is null ? _state.Current : _state.Find(name);
            joinId = _state.JoinId;
        }

        if (room is null || joinId is null)
        {
            Print(Display.Problem(name is null ? "you are in no room" : $"you are not in {Display.RoomLabel(name)}"));
            return;
        }

        Send(w => ClientRequests.Leave(w, room.Ref, joinId.Value, _settings.Name));
    }

    private void Switch(string name)
    {
        bool switched;
        lock (_state)
        {
            switched = _state.TrySwitch(name);
        }

        if (!switched)
        {
            Print(Display.Problem($"you are not in {Display.RoomLabel(name)}; /join {name} first"));
            return;
        }

        Print(Display.Notice($"current room: {Display.RoomLabel(name)}"));
        CurrentRoomChanged?.Invoke(name);
    }

    private void Send(Action<IBufferWriter<byte>> encode)
    {
        lock (_sendLock)
        {
            _sendBuffer.ResetWrittenCount();
            encode(_sendBuffer);
            try
            {
                _stream.Write(_sendBuffer.WrittenSpan);
                _stream.Flush();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The connection is gone; the receive loop sees it too and reports it once.
            }
        }
    }

    private async Task<bool> ReceiveAsync()
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int n = await _stream.ReadAsync(buffer, _stop.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                _reader.Append(buffer.AsSpan(0, n));
                while (_reader.TryRead(out var response))
                {
                    Apply(response!);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // A reset or our own close: either way the connection has ended.
        }

        if (_quitting)
        {
            return false;
        }

        Print(Display.ServerClosed);
        return true;
    }

    private void Apply(Response response)
    {
        IReadOnlyList<string> lines;
        bool changed;
        string? current;
        lock (_state)
        {
            var before = _state.Current;
            if (response.Kind == ResponseKind.Joined
                && response.Get("JOINED_CHATROOM") is { } name
                && response.GetNumber("ROOM_REF") is { } roomRef
                && response.GetNumber("JOIN_ID") is { } joinId)
            {
                _state.OnJoined(name, roomRef, joinId);
            }
            else if (response.Kind == ResponseKind.Left && response.GetNumber("LEFT_CHATROOM") is { } leftRef)
            {
                _state.OnLeft(leftRef);
            }

            lines = Display.Format(response, _state);
            changed = before != _state.Current;
            current = _state.Current?.Name;
        }

        Print(lines);
        if (changed)
        {
            CurrentRoomChanged?.Invoke(current);
        }
    }

    private void Print(string line) => Print([line]);

    private void Print(IReadOnlyList<string> lines)
    {
        lock (_outputLock)
        {
            try
            {
                foreach (var line in lines)
                {
                    _output.WriteLine(line);
                }

                _output.Flush();
            }
            catch (IOException)
            {
                // Output gone (a closed pipe): nothing useful to do but keep the connection's logic going.
            }
        }
    }
}
