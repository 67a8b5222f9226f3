using NLog;
using NLog.Config;
using NLog.Targets;
using NLog.Targets.Wrappers;

namespace ChatLoop.Web;

/// <summary>The gateway's log: stderr, through an async wrapper that drops rather than blocks.</summary>
public static class WebLogging
{
    private static readonly string[] Levels = ["trace", "debug", "info", "warn", "error", "off"];

    /// <summary>Logs from <paramref name="level"/> up; a level not in the list throws <see cref="ArgumentException"/> saying which are.</summary>
    public static void Configure(string level)
    {
        if (!Levels.Contains(level, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"--log-level must be {string.Join(", ", Levels[..^1])} or {Levels[^1]}, not '{level}'");
        }

        var min = NLog.LogLevel.FromString(level);
        var console = new ConsoleTarget("console")
        {
            StdErr = true,
            Layout = "${date:format=HH\\:mm\\:ss.fff} ${level:uppercase=true:padding=-5} ${message}${onexception:${newline}${exception:format=tostring}}",
        };
        var config = new LoggingConfiguration();
        var async = new AsyncTargetWrapper(console) { OverflowAction = AsyncTargetWrapperOverflowAction.Discard, QueueLimit = 10000 };
        if (min != NLog.LogLevel.Off)
        {
            config.AddRule(min, NLog.LogLevel.Fatal, async);
        }

        LogManager.Configuration = config;
    }
}
