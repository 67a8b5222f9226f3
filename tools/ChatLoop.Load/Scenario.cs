namespace ChatLoop.Load;

/// <summary>
/// A standard benchmark by name: the populations and rates of ../shared/bench/compare.sh (its
/// fanbench arguments in <c>args_of</c>), so <c>--scenario paced</c> runs what compare.sh calls
/// paced. Options given on the command line override the scenario's values; what neither sets
/// takes the tool's defaults (<see cref="Default"/>).
/// </summary>
internal sealed record Scenario(int Clients, int Rooms, int Messages, int Size, int Window, double Rate, int Slow, int ConnectParallel)
{
    /// <summary>The tool's defaults, where no scenario and no option says otherwise.</summary>
    public static readonly Scenario Default = new(100, 10, 100, 64, 16, 0, 0, 256);

    /// <summary>compare.sh's table: <c>-n -r -k -s -w [-R] [-x] [-c]</c>.</summary>
    public static readonly IReadOnlyDictionary<string, Scenario> Named = new Dictionary<string, Scenario>
    {
        ["fanout"] = new(1000, 50, 200, 64, 16, 0, 0, 256),
        ["bigroom"] = new(500, 1, 10, 64, 4, 0, 0, 256),
        ["paced"] = new(1000, 50, 100, 64, 64, 20_000, 0, 256),
        ["slow"] = new(1000, 50, 100, 64, 64, 20_000, 10, 256),
        ["storm"] = new(5000, 100, 2, 64, 2, 0, 0, 1000),
    };

    public static string Names => string.Join(", ", Named.Keys);

    /// <summary>
    /// Fills every option the command line left out from the named scenario (or the defaults);
    /// an error for an unknown name. A run bounded by --duration takes no message count.
    /// </summary>
    public static string? Fill(LoadOptions o)
    {
        var preset = Default;
        if (o.Scenario is { } name && !Named.TryGetValue(name, out preset))
        {
            return $"--scenario must be one of {Names}";
        }

        o.Clients ??= preset.Clients;
        o.Rooms ??= preset.Rooms;
        o.Messages ??= o.Duration is null ? preset.Messages : null;
        o.Size ??= preset.Size;
        o.Window ??= preset.Window;
        o.Rate ??= preset.Rate;
        o.Slow ??= preset.Slow;
        o.ConnectParallel ??= preset.ConnectParallel;
        return null;
    }
}
