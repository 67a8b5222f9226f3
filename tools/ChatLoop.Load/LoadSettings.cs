using System.Globalization;
using System.Net;
using ChatLoop.Protocol;

namespace ChatLoop.Load;

/// <summary>A validated run: all the load core sees of the command line.</summary>
internal sealed record LoadSettings
{
    /// <summary>One server, or the nodes of a cluster: member j of room r connects to node (r + j) mod N.</summary>
    public required IReadOnlyList<IPEndPoint> Servers { get; init; }

    /// <summary>The --scenario that set the run's defaults, if any (for the summary and the plot's title).</summary>
    public string? Scenario { get; init; }

    public int Clients { get; init; } = 100;

    public int Rooms { get; init; } = 10;

    /// <summary>Messages per client; null when the run is bounded by <see cref="Duration"/>.</summary>
    public int? Messages { get; init; } = 100;

    public TimeSpan Duration { get; init; }

    public int Size { get; init; } = 64;

    public double Rate { get; init; }

    public int Window { get; init; } = 16;

    public double Ramp { get; init; }

    public int ConnectParallel { get; init; } = 256;

    public int Slow { get; init; }

    public string? JsonPath { get; init; }

    public string? CsvPath { get; init; }

    public string? PlotPath { get; init; }

    public int Seed { get; init; } = 1;

    public string Prefix { get; init; } = "";

    public int Threads { get; init; } = 1;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan Stall { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Writes progress lines while running (off in tests).</summary>
    public bool ShowProgress { get; init; } = true;

    public static bool TryCreate(LoadOptions o, out LoadSettings? settings, out string? error)
    {
        settings = null;
        error = ChatLoop.Load.Scenario.Fill(o) ?? Validate(o);
        if (error is not null)
        {
            return false;
        }

        if (!ServerList.TryCreate(o.Host, o.Port, o.Hosts, out var servers, out error))
        {
            return false;
        }

        settings = new LoadSettings
        {
            Servers = servers,
            Scenario = o.Scenario,
            Clients = o.Clients.GetValueOrDefault(),
            Rooms = o.Rooms.GetValueOrDefault(),
            Messages = o.Messages,
            Duration = TimeSpan.FromSeconds(o.Duration ?? 0),
            Size = o.Size.GetValueOrDefault(),
            Rate = o.Rate.GetValueOrDefault(),
            Window = o.Window.GetValueOrDefault(),
            Ramp = o.Ramp,
            ConnectParallel = o.ConnectParallel.GetValueOrDefault(),
            Slow = o.Slow.GetValueOrDefault(),
            JsonPath = o.JsonPath,
            CsvPath = o.CsvPath,
            PlotPath = o.PlotPath,
            Seed = o.Seed,
            Prefix = o.Prefix,
            Threads = o.Threads,
            Timeout = TimeSpan.FromSeconds(o.Timeout),
            Stall = TimeSpan.FromSeconds(o.Stall),
        };
        return true;
    }

    private static string? Validate(LoadOptions o) => o switch
    {
        { Clients: < 1 } => "--clients must be at least 1",
        { Rooms: < 1 } => "--rooms must be at least 1",
        _ when o.Rooms > o.Clients => "--rooms must not exceed --clients (every room needs a client)",
        { Messages: not null, Duration: not null } => "give --messages or --duration, not both",
        { Messages: < 1 } => "--messages must be at least 1",
        { Duration: <= 0 } => "--duration must be more than 0 seconds",
        { Size: < 1 or > 1_048_576 } => "--size must be 1 to 1048576 bytes",
        { Rate: < 0 } => "--rate must not be negative",
        { Window: < 1 } => "--window must be at least 1",
        { Ramp: < 0 } => "--ramp must not be negative",
        { ConnectParallel: < 1 } => "--connect-parallel must be at least 1",
        { Slow: < 0 } => "--slow must not be negative",
        { Threads: < 1 or > 64 } => "--threads must be 1 to 64",
        _ when o.Threads > o.Rooms => "--threads must not exceed --rooms (a room belongs to one thread)",
        { Timeout: <= 0 } => "--timeout must be more than 0 seconds",
        { Stall: <= 0 } => "--stall must be more than 0 seconds",
        { PlotPath: { } plot } when !plot.EndsWith(".png", StringComparison.OrdinalIgnoreCase) => "--plot must name a .png file",
        _ => ValidatePrefix(o.Prefix, o.Clients.GetValueOrDefault() + o.Slow.GetValueOrDefault()),
    };

    private static string? ValidatePrefix(string prefix, int total)
    {
        foreach (char ch in prefix)
        {
            if (char.IsControl(ch) || ch == ':')
            {
                return "--prefix must not contain control characters or ':'";
            }
        }

        if (prefix.Length > 0 && char.IsWhiteSpace(prefix[0]))
        {
            return "--prefix must not start with a space";
        }

        int longest = System.Text.Encoding.UTF8.GetByteCount(prefix) + 5 + total.ToString(CultureInfo.InvariantCulture).Length;
        return longest > Names.MaxBytes ? $"--prefix is too long: names must stay within {Names.MaxBytes} bytes" : null;
    }
}
