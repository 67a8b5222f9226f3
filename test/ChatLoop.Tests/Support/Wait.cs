namespace ChatLoop.Tests.Support;

/// <summary>The bounds every wait in the server tests uses.</summary>
public static class Wait
{
    /// <summary>How long a test waits for something the server must do; long enough for a loaded CI machine.</summary>
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(5);

    /// <summary>How long a test listens for something that must not happen (used only where nothing else can show it).</summary>
    public static readonly TimeSpan Short = TimeSpan.FromMilliseconds(200);
}
