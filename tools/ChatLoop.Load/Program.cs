namespace ChatLoop.Load;

/// <summary>
/// The load tool: simulates many clients against a ChatLoop server, verifies every delivery and
/// measures. Exit 0 when everything arrived as PROTOCOL.md says, 1 when anything did not, 2 for
/// bad arguments.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (!CommandLineReader.TryRead(args, Console.Out, Console.Error, out var settings, out int exitCode))
        {
            return exitCode;
        }

        var run = new LoadRun(settings!);
        var result = run.Run(settings!.ShowProgress ? Console.Error : null, !Console.IsErrorRedirected);
        SummaryWriter.Write(Console.Out, result);
        if (settings.JsonPath is { } json)
        {
            ResultFiles.WriteJson(json, result);
        }

        if (settings.CsvPath is { } csv)
        {
            ResultFiles.WriteCsv(csv, run.Timeline);
        }

        if (settings.PlotPath is { } plot)
        {
            RunPlot.Save(plot, PlotData.From(result, run.Timeline, run.Latency));
        }

        return result.Passed ? 0 : 1;
    }
}
