using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using ChatLoop.Protocol;

namespace ChatLoop.Tests.Support;

/// <summary>
/// A room member that reads its socket on its own thread, at a set pace (bytes a second) or as fast as it can,
/// and checks every block: the chats from each sender must be <c>message(0)</c>, <c>message(1)</c>, ... with none
/// missing, repeated or out of order. It notes the order of senders, when it saw each leave notice and how its
/// connection ended. Its
/// pace comes from its own reading loop (it reads what its budget allows, then sleeps): that is the client
/// behaviour under test, not a wait for the server.
/// </summary>
public sealed class PacedReader : IDisposable
{
    private readonly Socket _socket;
    private readonly Dictionary<string, int> _next;
    private readonly List<string> _order = [];
    private readonly Func<int, string> _message;
    private readonly int _expected;
    private readonly int _bytesPerSecond;
    private readonly ResponseReader _blocks = new();
    private readonly ConcurrentDictionary<string, long> _leftAt = new(StringComparer.Ordinal);
    private readonly ManualResetEventSlim _done = new();
    private readonly Thread _thread;
    private volatile bool _stop;
    private volatile int _received;
    private volatile string? _failure;
    private volatile string? _ended;
    private long _bytes;

    /// <param name="expected">Chats expected from each sender.</param>
    /// <param name="bytesPerSecond">Its reading pace; 0 reads as fast as it can.</param>
    public PacedReader(TestClient client, string sender, Func<int, string> message, int expected, int bytesPerSecond)
        : this(client, [sender], message, expected, bytesPerSecond)
    {
    }

    public PacedReader(TestClient client, string[] senders, Func<int, string> message, int expected, int bytesPerSecond)
    {
        _socket = client.Socket;
        _next = senders.ToDictionary(s => s, _ => 0, StringComparer.Ordinal);
        _message = message;
        _expected = expected * senders.Length;
        _bytesPerSecond = bytesPerSecond;
        Label = client.Label;
        _thread = new Thread(Run) { IsBackground = true, Name = "paced-reader-" + client.Label };
        _thread.Start();
    }

    public string Label { get; }

    /// <summary>Who sent each chat received, in the order received; read it once <see cref="WaitDone"/> is true.</summary>
    public IReadOnlyList<string> Order => _order;

    /// <summary>Chats from the senders received so far, all in order.</summary>
    public int Received => _received;

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>What went wrong, if anything: a wrong, missing or unexpected block, or an ERROR.</summary>
    public string? Failure => _failure;

    /// <summary>How the server ended the connection (EOF or reset), if it did.</summary>
    public string? Ended => _ended;

    /// <summary>Waits until every expected chat has arrived, or a failure, or the connection ended.</summary>
    public bool WaitDone(TimeSpan timeout) => _done.Wait(timeout);

    /// <summary>When (a <see cref="Stopwatch"/> timestamp) the notice of <paramref name="name"/> leaving arrived.</summary>
    public bool TryGetLeftAt(string name, out long timestamp) => _leftAt.TryGetValue(name, out timestamp);

    public void Dispose()
    {
        _stop = true;
        _thread.Join(Wait.Long);
        _blocks.Dispose();
        _done.Dispose();
    }

    private void Run()
    {
        var buffer = new byte[64 * 1024];
        long start = Stopwatch.GetTimestamp();
        try
        {
            while (!_stop && _failure is null && _ended is null)
            {
                int budget = buffer.Length;
                if (_bytesPerSecond > 0)
                {
                    double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                    budget = (int)Math.Min(buffer.Length, (_bytesPerSecond * seconds) - Bytes);
                    if (budget <= 0)
                    {
                        Thread.Sleep(10);
                        continue;
                    }
                }

                if (!_socket.Poll(TimeSpan.FromMilliseconds(50), SelectMode.SelectRead))
                {
                    continue;
                }

                int n = _socket.Receive(buffer, 0, budget, SocketFlags.None, out var error);
                if (error != SocketError.Success || n == 0)
                {
                    _ended = error == SocketError.Success ? "closed by the server" : error.ToString();
                    break;
                }

                Interlocked.Add(ref _bytes, n);
                _blocks.Append(buffer.AsSpan(0, n));
                while (_failure is null && _blocks.TryRead(out var block))
                {
                    Check(block!);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            _ended = e.GetType().Name;
        }
        finally
        {
            _done.Set();
        }
    }

    private void Check(Response block)
    {
        if (block.IsLeaveNotice)
        {
            _leftAt.TryAdd(block.Get("CLIENT_NAME")!, Stopwatch.GetTimestamp());
        }
        else if (block.Kind != ResponseKind.Chat || block.IsJoinNotice || !_next.TryGetValue(block.Get("CLIENT_NAME")!, out int next))
        {
            _failure = $"{Label}: unexpected block after {_received} chats: {TestClient.Show(block)}";
        }
        else if (block.Message != _message(next))
        {
            _failure = $"{Label}: chat {next} from {block.Get("CLIENT_NAME")} is wrong: {block.Message?[..Math.Min(40, block.Message.Length)]}";
        }
        else
        {
            var sender = block.Get("CLIENT_NAME")!;
            _next[sender] = next + 1;
            _order.Add(sender);
            if (++_received == _expected)
            {
                _done.Set();
            }
        }
    }
}
