using ChatLoop.Protocol;

namespace ChatLoop.Client;

/// <summary>
/// One connection to the server, for one person: typed lines in (<see cref="HandleLine"/>, from one
/// thread), server blocks out as readable lines on the output (from the receive loop).
/// Knows nothing of the console, so tests drive it over a loopback socket and a capturing writer.
/// Its parts: <see cref="SessionCommands"/> (what each command sends), <see cref="ReceiveLoop"/> (the
/// server's responses), <see cref="SharedClientState"/> (the rooms both threads see, and the replies
/// awaited), <see cref="RequestSender"/> and <see cref="OutputPrinter"/>.
/// </summary>
public sealed class ChatSession : IDisposable
{
    private readonly Stream _stream;
    private readonly ClientSettings _settings;
    private readonly OutputPrinter _printer;
    private readonly SharedClientState _state;
    private readonly SessionCommands _commands;
    private readonly ReceiveLoop _receiveLoop;
    private readonly InputAssembler _assembler = new();
    private readonly CancellationTokenSource _stop = new();
    private Task<bool>? _receiving;
    private volatile bool _quitting;
    private bool _disposed;

    public ChatSession(Stream stream, TextWriter output, ClientSettings settings)
    {
        _stream = stream;
        _settings = settings;
        _printer = new OutputPrinter(output);
        _state = new SharedClientState(_printer);
        _commands = new SessionCommands(_state, new RequestSender(stream), _printer, settings);
        _receiveLoop = new ReceiveLoop(stream);
    }

    /// <summary>Raised, outside any lock, with the new current room's name (null for none) whenever it changes.</summary>
    public event Action<string?>? CurrentRoomChanged;

    /// <summary>Raised with the new name after /name took it.</summary>
    public event Action<string>? NameChanged;

    /// <summary>The name requests carry: --name, or the one /name picked.</summary>
    public string Name => _commands.Name;

    /// <summary>The terminal's width in columns now, for laying out long replies (/stats); 80 unless set.</summary>
    public Func<int> Width { get; init; } = () => 80;

    /// <summary>
    /// Completes when the connection ends: true when the server closed it (or it failed) without
    /// the person asking to quit, false after a quit.
    /// </summary>
    public Task<bool> Closed => _receiving ?? throw new InvalidOperationException("Start the session first.");

    /// <summary>True while a message continued with a trailing backslash is being typed.</summary>
    public bool Continuing => _assembler.Continuing;

    public string? CurrentRoom => _state.CurrentRoom;

    public long? JoinId => _state.JoinId;

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
                _commands.Chat(command.Argument ?? "");
                break;
            case CommandKind.Join:
                _commands.Join(command.Argument!);
                break;
            case CommandKind.Leave:
                _commands.Leave(command.Argument);
                break;
            case CommandKind.Switch:
                if (_commands.Switch(command.Argument!))
                {
                    CurrentRoomChanged?.Invoke(command.Argument);
                }

                break;
            case CommandKind.Rooms:
                _state.PrintRooms();
                break;
            case CommandKind.Helo:
                _commands.Helo(command.Argument ?? CommandParser.DefaultHeloText);
                break;
            case CommandKind.Stats:
                _commands.Stats();
                break;
            case CommandKind.Name:
                if (_commands.Rename(command.Argument!))
                {
                    NameChanged?.Invoke(command.Argument!);
                }

                break;
            case CommandKind.Help:
                _printer.Print(Display.Help);
                break;
            case CommandKind.Quit:
                Quit();
                return false;
            case CommandKind.Unknown:
                _printer.Print(Display.Problem($"unknown command {command.Argument}; /help lists the commands"));
                break;
            default:
                _printer.Print(Display.Problem(command.Argument ?? "invalid command"));
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
        _commands.Disconnect();
        if (_receiving is { } receiving && !receiving.Wait(_settings.QuitWait))
        {
            _printer.Print(Display.Problem("the server did not close the connection in time; closing it"));
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

        _receiveLoop.Dispose();
        _stop.Dispose();
    }

    private async Task<bool> ReceiveAsync()
    {
        await _receiveLoop.RunAsync(Apply, _stop.Token).ConfigureAwait(false);
        _state.End();
        if (_quitting)
        {
            return false;
        }

        _printer.Print(Display.ServerClosed);
        return true;
    }

    private void Apply(Response response)
    {
        if (_state.Apply(response, CurrentWidth(), out var current))
        {
            CurrentRoomChanged?.Invoke(current);
        }
    }

    private int CurrentWidth()
    {
        try
        {
            int width = Width();
            return width > 0 ? width : 80;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            return 80;
        }
    }
}
