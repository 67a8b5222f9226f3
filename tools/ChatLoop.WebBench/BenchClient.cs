using System.Diagnostics;
using System.Globalization;
using HdrHistogram;

namespace ChatLoop.WebBench;

/// <summary>
/// One chatting client: sends messages stamped with the send time (a window of them in flight, paced
/// or not) and records, for every message it receives, how long it took from its sender to here.
/// </summary>
public sealed class BenchClient
{
    private readonly IBenchTransport _transport;
    private readonly SemaphoreSlim _window;
    private readonly string _padding;
    private long _delivered;

    public BenchClient(int index, string name, string room, IBenchTransport transport, int window, int size)
    {
        Index = index;
        Name = name;
        Room = room;
        _transport = transport;
        _window = new SemaphoreSlim(window, window);
        Window = window;
        _padding = new string('x', Math.Max(0, size - 40));
    }

    public int Index { get; }

    public string Name { get; }

    public string Room { get; }

    public int Window { get; }

    public long RoomRef { get; private set; }

    public long JoinId { get; private set; }

    public long Sent { get; private set; }

    /// <summary>Deliveries so far, read by the run while this client's receive loop counts them.</summary>
    public long Delivered => Volatile.Read(ref _delivered);

    public string? Problem { get; private set; }

    /// <summary>Microseconds from send to receipt, one value per delivery.</summary>
    public LongHistogram Latency { get; } = new(60_000_000, 3);

    public async Task JoinAsync(CancellationToken ct)
    {
        await _transport.SendJoinAsync(Room, Name, ct).ConfigureAwait(false);
        while (await _transport.ReceiveAsync(ct).ConfigureAwait(false) is { } block)
        {
            if (block.Kind == BenchBlockKind.Joined)
            {
                (RoomRef, JoinId) = (block.RoomRef, block.JoinId);
                return;
            }

            if (block.Kind == BenchBlockKind.Other)
            {
                throw new InvalidOperationException($"{Name} could not join {Room}: {block.Message}");
            }
        }

        throw new InvalidOperationException($"{Name}: the connection ended while joining");
    }

    public async Task ReceiveAsync(CancellationToken ct)
    {
        try
        {
            while (await _transport.ReceiveAsync(ct).ConfigureAwait(false) is { } block)
            {
                if (block.Kind == BenchBlockKind.Other)
                {
                    Problem ??= block.Message;
                }

                if (block.Kind != BenchBlockKind.Chat)
                {
                    continue;
                }

                // "<sender index>:<timestamp>:<padding>"
                var text = block.Message!.AsSpan();
                int colon = text.IndexOf(':');
                int sender = int.Parse(text[..colon], CultureInfo.InvariantCulture);
                var rest = text[(colon + 1)..];
                long stamp = long.Parse(rest[..rest.IndexOf(':')], CultureInfo.InvariantCulture);
                Latency.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(stamp).TotalMicroseconds));
                Interlocked.Increment(ref _delivered);
                if (sender == Index)
                {
                    _window.Release();
                }
            }

            Problem ??= "the connection ended";
        }
        catch (OperationCanceledException)
        {
            // the run is over
        }
    }

    /// <summary>Sends until <paramref name="stopAt"/> (a Stopwatch timestamp), at most the window in flight, paced when rate > 0.</summary>
    public async Task SendAsync(long stopAt, double rate, CancellationToken ct)
    {
        long interval = rate > 0 ? (long)(Stopwatch.Frequency / rate) : 0;
        long next = Stopwatch.GetTimestamp() + (interval > 0 ? Random.Shared.NextInt64(interval) : 0);
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            if (interval > 0)
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, ct).ConfigureAwait(false);
                }

                next += interval;
            }

            if (!await _window.WaitAsync(TimeSpan.FromSeconds(10), ct).ConfigureAwait(false))
            {
                Problem ??= "no echo of its own message for 10 s";
                return;
            }

            var message = string.Create(CultureInfo.InvariantCulture, $"{Index}:{Stopwatch.GetTimestamp()}:{_padding}");
            await _transport.SendChatAsync(RoomRef, JoinId, Name, message, ct).ConfigureAwait(false);
            Sent++;
        }
    }

    /// <summary>Waits until every message this client sent has come back to it, or the bound passes.</summary>
    public async Task<bool> DrainAsync(TimeSpan bound)
    {
        for (int i = 0; i < Window; i++)
        {
            if (!await _window.WaitAsync(bound).ConfigureAwait(false))
            {
                return false;
            }
        }

        return true;
    }

    public ValueTask DisposeAsync() => _transport.DisposeAsync();
}
