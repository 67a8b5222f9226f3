using System.Net;
using ChatLoop.Server.Polling;

namespace ChatLoop.Server;

/// <summary>Turns the command line into settings, or into one clear line saying what is wrong.</summary>
public static class SettingsFactory
{
    private const double MaxSeconds = 86_400;
    private const int MaxRedisTimeoutMs = 60_000;

    private static readonly string[] LogLevels = ["trace", "debug", "info", "warn", "error", "fatal", "off"];

    public static ServerSettings Create(ServerOptions o)
    {
        if (o.Port is < 0 or > 65535)
        {
            throw new ArgumentException(ServerArguments.PortProblem(o.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (!IPAddress.TryParse(o.Bind, out var bind))
        {
            throw new ArgumentException($"--bind: '{o.Bind}' is not an IP address");
        }

        if (o.MetricsPort is < 0 or > 65535)
        {
            throw new ArgumentException($"--metrics-port must be 0-65535, not {o.MetricsPort}");
        }

        if (!IPAddress.TryParse(o.MetricsBind, out var metricsBind))
        {
            throw new ArgumentException($"--metrics-bind: '{o.MetricsBind}' is not an IP address");
        }

        if (!Enum.TryParse<KillServicePolicy>(o.KillService, ignoreCase: true, out var kill) || int.TryParse(o.KillService, out _))
        {
            throw new ArgumentException($"--kill-service must be loopback, any or off, not '{o.KillService}'");
        }

        if (!LogLevels.Contains(o.LogLevel.ToLowerInvariant()))
        {
            throw new ArgumentException($"--log-level must be one of {string.Join(", ", LogLevels)}, not '{o.LogLevel}'");
        }

        var poller = ParsePoller(o.Poller);
        Positive("--max-line-bytes", o.MaxLineBytes);
        Positive("--max-request-bytes", o.MaxRequestBytes);
        Positive("--max-outbound-bytes", o.MaxOutboundBytes);
        Positive("--backpressure-bytes", o.BackpressureBytes);
        Positive("--max-rooms-per-client", o.MaxRoomsPerClient);
        Positive("--max-rooms", o.MaxRooms);
        if (o.TickBudgetBytes <= 0)
        {
            throw new ArgumentException($"--tick-budget-bytes must be more than 0, not {o.TickBudgetBytes}");
        }

        Seconds("--max-lag-s", o.MaxLagS);

        Positive("--drain-window-ms", o.DrainWindowMs);
        if (o.MaxClients < 0)
        {
            throw new ArgumentException($"--max-clients must be 0 (automatic) or more, not {o.MaxClients}");
        }

        if (o.MessageIdleMs < 0)
        {
            throw new ArgumentException($"--message-idle-ms must be 0 (off) or more, not {o.MessageIdleMs}");
        }

        if (o.MaxRequestBytes < o.MaxLineBytes)
        {
            throw new ArgumentException("--max-request-bytes must be at least --max-line-bytes");
        }

        Seconds("--request-timeout-s", o.RequestTimeoutS);
        Seconds("--join-timeout-s", o.JoinTimeoutS);

        if (o.Redis is { } redis)
        {
            RedisConfig(redis);
        }

        Seconds("--node-timeout-s", o.NodeTimeoutS);
        if (o.RedisTimeoutMs is <= 0 or > MaxRedisTimeoutMs)
        {
            throw new ArgumentException($"--redis-timeout-ms must be more than 0 and at most {MaxRedisTimeoutMs}, not {o.RedisTimeoutMs}");
        }

        return new ServerSettings
        {
            Port = o.Port,
            Bind = bind,
            StudentId = o.StudentId,
            KillService = kill,
            MessageIdle = TimeSpan.FromMilliseconds(o.MessageIdleMs),
            MaxClients = o.MaxClients == 0 ? ServerSettings.DefaultMaxClients() : o.MaxClients,
            MaxLineBytes = o.MaxLineBytes,
            MaxRequestBytes = o.MaxRequestBytes,
            MaxOutboundBytes = o.MaxOutboundBytes,
            BackpressureBytes = o.BackpressureBytes,
            MaxRoomsPerClient = o.MaxRoomsPerClient,
            TickBudgetBytes = o.TickBudgetBytes,
            MaxLag = TimeSpan.FromSeconds(o.MaxLagS),
            DrainWindow = TimeSpan.FromMilliseconds(o.DrainWindowMs),
            MaxRooms = o.MaxRooms,
            RequestTimeout = TimeSpan.FromSeconds(o.RequestTimeoutS),
            JoinTimeout = TimeSpan.FromSeconds(o.JoinTimeoutS),
            Redis = o.Redis,
            NodeTimeout = TimeSpan.FromSeconds(o.NodeTimeoutS),
            RedisTimeout = TimeSpan.FromMilliseconds(o.RedisTimeoutMs),
            MetricsPort = o.MetricsPort,
            MetricsBind = metricsBind,
            Poller = poller,
        };
    }

    private static void RedisConfig(string redis)
    {
        const string example = "--redis needs a Redis address, e.g. 127.0.0.1:6379";
        if (string.IsNullOrWhiteSpace(redis))
        {
            throw new ArgumentException(example);
        }

        try
        {
            if (StackExchange.Redis.ConfigurationOptions.Parse(redis).EndPoints.Count == 0)
            {
                throw new ArgumentException(example);
            }
        }
        catch (Exception e) when (e is not ArgumentException)
        {
            throw new ArgumentException($"--redis: '{redis}' is not a Redis configuration: {e.Message}");
        }
        catch (ArgumentException e) when (e.Message != example)
        {
            throw new ArgumentException($"--redis: '{redis}' is not a Redis configuration: {e.Message}");
        }
    }

    private static PollerKind ParsePoller(string name)
    {
        var kind = name.ToLowerInvariant() switch
        {
            "select" => PollerKind.Select,
            "epoll" => PollerKind.Epoll,
            _ => throw new ArgumentException($"--poller must be select or epoll, not '{name}'"),
        };
        if (!PollerFactory.IsSupported(kind))
        {
            throw new ArgumentException($"--poller {name}: this platform ({System.Runtime.InteropServices.RuntimeInformation.OSDescription}) has no epoll; use --poller select");
        }

        return kind;
    }

    /// <summary>A duration in seconds: more than 0 and at most a day (TimeSpan and the tick arithmetic stay far from overflow).</summary>
    private static void Seconds(string name, double value)
    {
        if (!(value > 0) || value > MaxSeconds)
        {
            throw new ArgumentException($"{name} must be more than 0 and at most {MaxSeconds}, not {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
    }

    private static void Positive(string name, int value)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"{name} must be more than 0, not {value}");
        }
    }
}
