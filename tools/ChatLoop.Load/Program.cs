namespace ChatLoop.Load;

/// <summary>
/// The load tool: simulates many clients against a ChatLoop server, verifies every delivery and
/// measures. Exit 0 when everything arrived as PROTOCOL.md says, 1 when anything did not (or a
/// server cannot be reached, or a result file cannot be written), 2 for bad arguments.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error, showProgress: true);

    /// <summary>The whole tool; <paramref name="showProgress"/> false keeps progress lines off (tests).</summary>
    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool showProgress)
    {
        if (!CommandLineReader.TryRead(args, stdout, stderr, out var settings, out int exitCode))
        {
            return exitCode;
        }

        // Before the run, not after it: a path that cannot be written, or a server that is not there.
        if (Preflight.CheckOutputs(settings!) is { } badPath)
        {
            stderr.WriteLine($"load: {badPath}");
            return CommandLineReader.BadArguments;
        }

        if (Preflight.CheckServers(settings!.Servers, Preflight.ConnectTimeout) is { } unreachable)
        {
            stderr.WriteLine($"load: {unreachable}");
            return 1;
        }

        var run = new LoadRun(settings);
        var result = run.Run(showProgress && settings.ShowProgress ? stderr : null, showProgress && !Console.IsErrorRedirected);
        SummaryWriter.Write(stdout, result);
        try
        {
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
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"load: the result files could not be written: {e.Message}");
            return 1;
        }

        return result.Passed ? 0 : 1;
    }
}
