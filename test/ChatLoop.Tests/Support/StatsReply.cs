using System.Globalization;

namespace ChatLoop.Tests.Support;

/// <summary>Reads one counter out of a STATS reply block (PROTOCOL.md §6: "KEY: value" lines).</summary>
internal static class StatsReply
{
    public static long Value(string stats, string key)
    {
        var line = stats.Split('\n').Single(l => l.StartsWith(key + ": ", StringComparison.Ordinal));
        return long.Parse(line[(key.Length + 2)..], CultureInfo.InvariantCulture);
    }
}
