using System.Buffers;
using ChatLoop.Protocol;

namespace ChatLoop.Client;

/// <summary>
/// One connection to the server, for one person: typed lines in (<see cref="HandleLine"/>, from one
/// thread), server blocks out as readable lines on <paramref name="output"/> (from the receive loop).
/// Knows nothing of the console, so tests drive it over a loopback socket and a capturing writer.
/// </summary>
public sealed partial class ChatSession : IDisposable
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
    private int _awaitingReplies;
    private bool _ended;
    private volatile bool _quitting;
    private bool _disposed;

    // The name this person goes by: --name, until /name picks another (only before the first join binds one).
    private string _name;

    public ChatSession(Stream stream, TextWriter output, ClientSettings settings)
    {
        _stream = stream;
        _output = output;
        _settings = settings;
        _name = settings.Name;
    }

    /// <summary>Raised, outside any lock, with the new current room's name (null for none) whenever it changes.</summary>
    public event Action<string?>? CurrentRoomChanged;

    /// <summary>Raised with the new name after /name took it.</summary>
    public event Action<string>? NameChanged;

    /// <summary>The name requests carry: --name, or the one /name picked.</summary>
    public string Name => _name;

    /// <summary>The terminal's width in columns now, for laying out long replies (/stats); 80 unless set.</summary>
    public Func<int> Width { get; init; } = () => 80;

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
                SendAndAwaitReply(w => ClientRequests.Join(w, command.Argument!, _name));
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
            case CommandKind.Name:
                Rename(command.Argument!);
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
        Send(w => ClientRequests.Disconnect(w, _name));
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
}
