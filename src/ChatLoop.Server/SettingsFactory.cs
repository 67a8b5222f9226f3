using System.Net;
using ChatLoop.Server.Polling;

namespace ChatLoop.Server;

/// <summary>Turns the command line into settings, or into one clear line saying what is wrong.</summary>
public static class SettingsFactory
{
    private static readonly string[] LogLevels = ["trace", "debug", "info", "warn", "error", "fatal", "off"];

    public static ServerSettings Create(ServerOptions o)
    {
        if (o.Port is < 0 or > 65535)
        {
            throw new ArgumentException($"port must be 0-65535, not {o.Port}");
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

        if (!(o.MaxLagS > 0) || o.MaxLagS > 86_400)
        {
            throw new ArgumentException($"--max-lag-s must be more than 0 and at most 86400, not {o.MaxLagS}");
        }

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

        if (!(o.RequestTimeoutS > 0) || !(o.JoinTimeoutS > 0))
        {
            throw new ArgumentException("--request-timeout-s and --join-timeout-s must be more than 0");
        }

        if (o.Redis is { } redis)
        {
            RedisConfig(redis);
        }

        if (!(o.NodeTimeoutS > 0) || o.RedisTimeoutMs <= 0)
        {
            throw new ArgumentException("--node-timeout-s and --redis-timeout-ms must be more than 0");
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

    private static void Positive(string name, int value)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"{name} must be more than 0, not {value}");
        }
    }
}
