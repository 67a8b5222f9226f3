using System.Globalization;

namespace ChatLoop.Load;

/// <summary>The end-of-run summary for a person: one line per aspect, the verdict last.</summary>
internal static class SummaryWriter
{
    private const double MinSendSecondsToJudgeCpu = 0.25;

    public static void Write(TextWriter w, RunResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        w.WriteLine($"load    {LoadLine(r)}");
        w.WriteLine(string.Create(inv, $"join    {r.Joined:N0}/{r.Clients:N0} connected and joined in {r.JoinS:0.000} s = {r.JoinsPerS:N0} joins/s"));
        w.WriteLine(string.Create(inv, $"send    {Words.Count(r.Sent, "message")} in {r.SendS:0.000} s = {r.MessagesPerS:N0} messages/s"));
        w.WriteLine(string.Create(inv, $"deliver {r.Deliveries:N0} of {r.ExpectedDeliveries:N0} to other members = {r.DeliveriesPerS:N0} deliveries/s  (+{r.SelfEchoes:N0} own echoes)"));
        w.WriteLine(string.Create(inv, $"latency p50 {Ms(r.LatencyP50Us)}  p90 {Ms(r.LatencyP90Us)}  p99 {Ms(r.LatencyP99Us)}  p99.9 {Ms(r.LatencyP999Us)}  max {Ms(r.LatencyMaxUs)}  (send to delivery)"));
        w.WriteLine(string.Create(inv, $"bytes   sent {Mb(r.BytesSent)}  received {Mb(r.BytesReceived)}"));
        w.WriteLine(string.Create(inv, $"verify  lost {r.Lost:N0}  duplicated {r.Duplicated:N0}  out of order {r.OutOfOrder:N0}  unexpected {r.UnexpectedBlocks:N0}  errors {r.Errors:N0}  closed early {r.ClosedEarly:N0}  join notices {JoinText(r)}"));
        if (r.Slow > 0)
        {
            w.WriteLine(string.Create(inv, $"slow    {r.Slow} never reading: {r.SlowCutOff} cut off by the server (ERROR 10), {r.SlowClosedOther} closed otherwise, {r.SlowStillOpen} still open; {r.SlowLeaveNoticesSeen} leave notices seen (expected, not failures)"));
        }

        string bottleneck = GeneratorMayBeBottleneck(r) ? "  <- the generator may be the bottleneck" : "";
        w.WriteLine(string.Create(inv, $"cpu     {r.CpuSendS:0.00} s in the {r.SendS:0.00} s send phase = {r.CpuSendShare * 100:0}% of a core ({Words.Count(r.Threads, "loop thread")}), {r.Gen0Collections} gen0 GCs; whole run {r.CpuRunS:0.00} s CPU / {r.WallRunS:0.00} s wall{bottleneck}"));
        if (r.StoppedBecause is not null)
        {
            w.WriteLine($"stopped {r.StoppedBecause}");
        }

        foreach (var problem in r.Problems)
        {
            w.WriteLine($"problem {problem}");
        }

        w.WriteLine(r.Passed ? "result  PASS" : "result  FAIL");
    }

    /// <summary>
    /// The load tool's own loop threads were busy for nearly all of a send phase long enough to measure (a short
    /// phase is mostly start-up and JIT, whatever the load): then the tool, not the server, may set the pace.
    /// </summary>
    public static bool GeneratorMayBeBottleneck(RunResult r) => r.SendS >= MinSendSecondsToJudgeCpu && r.CpuSendShare >= 0.9 * r.Threads;

    /// <summary>What was run, against what: the summary's first line, and the plot's title.</summary>
    public static string LoadLine(RunResult r)
    {
        string what = r.MessagesPerClient is { } k ? $"{Words.Count(k, "message")} each" : $"for {r.DurationS:0.#} s";
        string rate = r.Rate > 0 ? $"rate {r.Rate:N0}/s" : "rate unlimited";
        string slow = r.Slow > 0 ? $" (+{r.Slow} slow)" : "";
        string on = r.JoinedPerServer.Count > 1
            ? $"{r.JoinedPerServer.Count} nodes {r.Server} (joined {string.Join(" + ", r.JoinedPerServer)})"
            : r.Server;
        string scenario = r.Scenario is null ? "" : $"scenario {r.Scenario}: ";
        return string.Create(CultureInfo.InvariantCulture,
            $"{scenario}{Words.Count(r.Clients, "client")}{slow} in {Words.Count(r.Rooms, "room")} on {on}, {what} of {r.Size} B, window {r.Window}, {rate}");
    }

    private static string JoinText(RunResult r)
    {
        var j = r.JoinNotices;
        if (j.Problems == 0 && r.JoinOrderErrors == 0 && r.DuplicateNotices == 0)
        {
            return "ok";
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{j.MissingOwn} own missing, {j.MissingPairs} pairs missing, {j.BothWays} both ways, {j.InconsistentRooms} rooms out of order, {j.MissingSlow} slow missing, {r.DuplicateNotices} duplicated, {r.JoinOrderErrors} misplaced");
    }

    private static string Ms(double micros) => string.Create(CultureInfo.InvariantCulture, $"{micros / 1000:0.00} ms");

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB");
}
