using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace ChatLoop.Client;

/// <summary>
/// The thin shell around <see cref="ChatSession"/>: connects, picks the line editor (a terminal) or
/// plain lines (redirected input), pumps typed lines into the session on the main thread, and turns
/// the ending into the exit code: 0 after /quit, Ctrl-C, SIGTERM or end of input; 1 when the server
/// closed the connection or could not be reached.
/// </summary>
public static class ConsoleClient
{
    public static async Task<int> RunAsync(ClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var tcp = await ConnectAsync(settings).ConfigureAwait(false);
        if (tcp is null)
        {
            return ClientCli.ExitFailure;
        }

        bool useEditor = !settings.Plain && !Console.IsInputRedirected && !Console.IsOutputRedirected
            && Environment.GetEnvironmentVariable("TERM") is not (null or "" or "dumb");
        var lines = Channel.CreateUnbounded<string?>();
        using var editor = useEditor ? OpenEditor(settings.Name) : null;
        using var output = editor is null ? null : new EditorWriter(editor);
        using var signals = QuitOnSignals(lines.Writer);
        using (tcp)
        using (var session = new ChatSession(tcp.GetStream(), output ?? Console.Out, settings) { Width = () => Console.WindowWidth })
        {
            if (editor is not null)
            {
                session.CurrentRoomChanged += room => editor.SetPrompt(Prompt(session.Name, room));
                session.NameChanged += name => editor.SetPrompt(Prompt(name, session.CurrentRoom));
            }

            (output ?? Console.Out).WriteLine(Display.Notice($"connected to {settings.Host}:{settings.Port} as {settings.Name}; /join ROOM to start, /help for the commands"));
            session.Start();
            editor?.Open();
            StartReading(lines.Writer, editor is null ? Console.In.ReadLine : editor.ReadLine);
            return await PumpAsync(session, lines.Reader, editor).ConfigureAwait(false);
        }
    }

    private static async Task<int> PumpAsync(ChatSession session, ChannelReader<string?> lines, LineEditor? editor)
    {
        while (true)
        {
            var next = lines.ReadAsync().AsTask();
            var first = await Task.WhenAny(next, session.Closed).ConfigureAwait(false);
            if (first != next)
            {
                return await session.Closed.ConfigureAwait(false) ? ClientCli.ExitFailure : ClientCli.ExitOk;
            }

            var line = await next.ConfigureAwait(false);
            if (line is null)
            {
                session.Quit();
                return ClientCli.ExitOk;
            }

            if (!session.HandleLine(line))
            {
                return ClientCli.ExitOk;
            }

            editor?.SetPrompt(session.Continuing ? "... " : Prompt(session.Name, session.CurrentRoom));
        }
    }

    private static async Task<TcpClient?> ConnectAsync(ClientSettings settings)
    {
        var tcp = new TcpClient { NoDelay = true };
        using var timeout = new CancellationTokenSource(settings.ConnectTimeout);
        try
        {
            await tcp.ConnectAsync(settings.Host, settings.Port, timeout.Token).ConfigureAwait(false);
            return tcp;
        }
        catch (SocketException e)
        {
            await Console.Error.WriteLineAsync($"chatloop-client: cannot connect to {settings.Host}:{settings.Port}: {e.Message}").ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"chatloop-client: cannot connect to {settings.Host}:{settings.Port}: no answer within {settings.ConnectTimeout.TotalSeconds:0.#} s").ConfigureAwait(false);
        }

        tcp.Dispose();
        return null;
    }

    private static LineEditor OpenEditor(string name)
    {
        // Ctrl-C arrives as a key, so the editor can quit politely instead of being killed.
        Console.TreatControlCAsInput = true;
        return new LineEditor(Console.Out, () => Console.ReadKey(intercept: true), () => Console.WindowWidth, Prompt(name, null));
    }

    private static string Prompt(string name, string? room) => room is null ? $"{name}> " : $"{name}@{room}> ";

    /// <summary>A background thread, because Console reads cannot be cancelled; null in the channel means "quit".</summary>
    private static void StartReading(ChannelWriter<string?> lines, Func<string?> readLine)
    {
        var reader = new Thread(() =>
        {
            string? line;
            do
            {
                line = readLine();
                lines.TryWrite(line);
            }
            while (line is not null);
        })
        {
            IsBackground = true,
            Name = "console input",
        };
        reader.Start();
    }

    private static Registrations QuitOnSignals(ChannelWriter<string?> lines)
    {
        void Quit(PosixSignalContext context)
        {
            context.Cancel = true;
            lines.TryWrite(null);
        }

        return new Registrations(
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Quit),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Quit),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, Quit),
        ]);
    }
}
