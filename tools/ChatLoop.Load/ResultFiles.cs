using System.Globalization;
using System.Text.Json;

namespace ChatLoop.Load;

/// <summary>--json (the summary) and --csv (the timeline, one row a second).</summary>
internal static class ResultFiles
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static void WriteJson(string path, RunResult result)
    {
        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        var node = JsonSerializer.SerializeToNode(result, Json)!;
        node["passed"] = result.Passed;
        node.WriteTo(writer);
    }

    public static void WriteCsv(string path, IReadOnlyList<TimelineRow> rows)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("elapsed_s,joined,sent,deliveries,deliveries_per_s,self_echoes,p50_us,p99_us,max_us,failures");
        foreach (var r in rows)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.ElapsedS},{r.Joined},{r.Sent},{r.Deliveries},{r.DeliveriesPerS},{r.SelfEchoes},{r.P50Us},{r.P99Us},{r.MaxUs},{r.Failures}"));
        }
    }
}
