using System.Globalization;
using CommandLine;

namespace ChatLoop.WebBench;

/// <summary>
/// What the web gateway costs: the same chat load run straight to a ChatLoop server over TCP and through
/// the gateway over WebSockets, alternated, in one invocation. Prints messages/s, deliveries/s and the
/// latency of every delivery (send to receipt) for each run, then the ratios.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var parsed = Parser.Default.ParseArguments<BenchOptions>(args);
        if (parsed is not Parsed<BenchOptions> { Value: var o })
        {
            return parsed.Errors.Any(e => e.Tag is ErrorType.HelpRequestedError or ErrorType.VersionRequestedError) ? 0 : 2;
        }

        if (o.Clients is < 1 or > 2000 || o.RoomSize < 1 || o.Window < 1 || o.Seconds is < 1 or > 300 || o.Size is < 32 or > 4096 || o.Rounds is < 1 or > 10 || o.Rate < 0)
        {
            Console.Error.WriteLine("webbench: an option is out of range (see --help)");
            return 2;
        }

        var server = BenchRun.ParseServer(o.Server);
        var gateway = new Uri(o.Gateway);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{o.Clients} clients in rooms of {o.RoomSize}, {(o.Rate > 0 ? $"{o.Rate} msgs/s each" : "unpaced")}, window {o.Window}, {o.Size}-byte messages, {o.Seconds} s per run"));
        var results = new List<BenchResult>();
        int pid = Environment.ProcessId;
        try
        {
            for (int round = 1; round <= o.Rounds; round++)
            {
                var tcp = await BenchRun.RunAsync("tcp", async ct => await TcpTransport.ConnectAsync(server, ct).ConfigureAwait(false), o, $"t{pid}r{round}").ConfigureAwait(false);
                Console.WriteLine(tcp);
                var ws = await BenchRun.RunAsync("gateway", async ct => await WsTransport.ConnectAsync(gateway, ct).ConfigureAwait(false), o, $"w{pid}r{round}").ConfigureAwait(false);
                Console.WriteLine(ws);
                results.Add(tcp);
                results.Add(ws);
            }
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or System.Net.WebSockets.WebSocketException)
        {
            // Nothing listening, or a side gone mid-run: one line, not a stack trace.
            Console.Error.WriteLine($"webbench: {e.Message} (the server --server {o.Server}, the gateway --gateway {o.Gateway}: are both running?)");
            return 1;
        }

        var straight = results.Where(r => r.Label == "tcp").ToList();
        var through = results.Where(r => r.Label == "gateway").ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gateway / tcp: messages/s x{through.Average(r => r.MessagesPerSecond) / straight.Average(r => r.MessagesPerSecond):0.00}, " +
            $"p50 x{through.Average(r => r.P50Ms) / straight.Average(r => r.P50Ms):0.00}, p99 x{through.Average(r => r.P99Ms) / straight.Average(r => r.P99Ms):0.00}"));
        return results.Any(r => r.Problem is not null || r.Delivered != r.Expected) ? 1 : 0;
    }
}
