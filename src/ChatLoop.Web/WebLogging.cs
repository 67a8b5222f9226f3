using NLog;
using NLog.Config;
using NLog.Targets;
using NLog.Targets.Wrappers;

namespace ChatLoop.Web;

/// <summary>The gateway's log: stderr, through an async wrapper that drops rather than blocks.</summary>
public static class WebLogging
{
    public static void Configure(string level)
    {
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
