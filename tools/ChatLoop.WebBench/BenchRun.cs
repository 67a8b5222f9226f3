using System.Diagnostics;
using System.Net;
using HdrHistogram;

namespace ChatLoop.WebBench;

/// <summary>One run: the clients connect (straight or through the gateway), join their rooms, chat for the set time, drain.</summary>
public static class BenchRun
{
    public static async Task<BenchResult> RunAsync(string label, Func<CancellationToken, Task<IBenchTransport>> connect, BenchOptions o, string runId)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(o.Seconds + 120));
        var clients = new List<BenchClient>();
        try
        {
            for (int i = 0; i < o.Clients; i++)
            {
                var transport = await connect(cts.Token).ConfigureAwait(false);
                var client = new BenchClient(i, $"{runId}-c{i}", $"{runId}-room{i / o.RoomSize}", transport, o.Window, o.Size);
                clients.Add(client);
                await client.JoinAsync(cts.Token).ConfigureAwait(false);
            }

            var receivers = clients.Select(c => Task.Run(() => c.ReceiveAsync(cts.Token))).ToList();
            long start = Stopwatch.GetTimestamp();
            long stopAt = start + (long)(o.Seconds * Stopwatch.Frequency);
            await Task.WhenAll(clients.Select(c => Task.Run(() => c.SendAsync(stopAt, o.Rate, cts.Token)))).ConfigureAwait(false);
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var drained = await Task.WhenAll(clients.Select(c => c.DrainAsync(TimeSpan.FromSeconds(10)))).ConfigureAwait(false);

            // Every member of a room gets every message sent into it, its sender's included. A sender sees
            // its own last message back before the other members have all read theirs: wait for them (bounded).
            long expected = clients.GroupBy(c => c.Room).Sum(room => room.Sum(c => c.Sent) * room.Count());
            var deadline = Stopwatch.GetTimestamp() + 10 * Stopwatch.Frequency;
            while (clients.Sum(c => c.Delivered) < expected && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
            }

            await cts.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(receivers).ConfigureAwait(false);
            var latency = new LongHistogram(60_000_000, 3);
            foreach (var c in clients)
            {
                latency.Add(c.Latency);
            }

            return new BenchResult(label, clients.Sum(c => c.Sent), clients.Sum(c => c.Delivered), expected, seconds, latency,
                drained.All(d => d) ? clients.Select(c => c.Problem).FirstOrDefault(p => p is not null) : "some messages never came back");
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public static DnsEndPoint ParseServer(string text)
    {
        int colon = text.LastIndexOf(':');
        return colon > 0 && int.TryParse(text.AsSpan(colon + 1), out int port)
            ? new DnsEndPoint(text[..colon], port)
            : throw new ArgumentException($"--server '{text}' is not HOST:PORT");
    }
}
