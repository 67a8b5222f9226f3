using CommandLine;

namespace ChatLoop.Load;

/// <summary>The command line as CommandLineParser reads it; <see cref="LoadSettings.TryCreate"/> validates it.</summary>
public sealed class LoadOptions
{
    [Option("host", HelpText = "Server address or host name (default 127.0.0.1).")]
    public string? Host { get; set; }

    [Option('p', "port", HelpText = "Server port (required unless --hosts is given).")]
    public int? Port { get; set; }

    [Option("hosts", HelpText = "Cluster nodes host:port,host:port,...: member j of room r connects to node (r + j) mod N, so rooms span nodes. Instead of --host/--port.")]
    public string? Hosts { get; set; }

    [Option("scenario", HelpText = "A standard benchmark of ../shared/bench/compare.sh: fanout, bigroom, paced, slow or storm. Sets --clients, --rooms, --messages, --size, --window, --rate, --slow, --connect-parallel; options given override it.")]
    public string? Scenario { get; set; }

    [Option('n', "clients", HelpText = "Simulated clients (each one connection, one room). Default 100.")]
    public int? Clients { get; set; }

    [Option('r', "rooms", HelpText = "Rooms; client i joins room i % rooms. Default 10.")]
    public int? Rooms { get; set; }

    [Option('k', "messages", HelpText = "Messages each client sends. Default 100 unless --duration is given.")]
    public int? Messages { get; set; }

    [Option('d', "duration", HelpText = "Send for this many seconds instead of a number of messages.")]
    public double? Duration { get; set; }

    [Option('s', "size", HelpText = "Message bytes; the marker (up to 52 bytes) is never cut. Default 64.")]
    public int? Size { get; set; }

    [Option("rate", HelpText = "Messages per second over all clients; 0 = as fast as --window allows. Default 0.")]
    public double? Rate { get; set; }

    [Option('w', "window", HelpText = "Messages a sender may have that its witness (the next member of its room) has not yet received. Default 16.")]
    public int? Window { get; set; }

    [Option("ramp", Default = 0.0, HelpText = "Connects per second; 0 = as fast as possible with --connect-parallel in flight.")]
    public double Ramp { get; set; }

    [Option("connect-parallel", HelpText = "Connects and joins in flight at once. Default 256.")]
    public int? ConnectParallel { get; set; }

    [Option("slow", HelpText = "Extra members that join (after the others) and never read. Default 0.")]
    public int? Slow { get; set; }

    [Option("json", HelpText = "Write the summary as JSON to this file.")]
    public string? JsonPath { get; set; }

    [Option("csv", HelpText = "Write one row per second to this CSV file.")]
    public string? CsvPath { get; set; }

    [Option("plot", HelpText = "Draw the run to this PNG file: deliveries/s, latency p50/p99/max and clients joined over time, and the latency percentile spectrum.")]
    public string? PlotPath { get; set; }

    [Option("seed", Default = 1, HelpText = "Seed for the order in which clients connect.")]
    public int Seed { get; set; } = 1;

    [Option("prefix", Default = "", HelpText = "Prefix for client and room names, so runs can share a server.")]
    public string Prefix { get; set; } = "";

    [Option("threads", Default = 1, HelpText = "Event loop threads (rooms are split between them).")]
    public int Threads { get; set; } = 1;

    [Option("timeout", Default = 300.0, HelpText = "Give up after this many seconds in all.")]
    public double Timeout { get; set; } = 300;

    [Option("stall", Default = 10.0, HelpText = "Give up after this many seconds without any progress.")]
    public double Stall { get; set; } = 10;
}
