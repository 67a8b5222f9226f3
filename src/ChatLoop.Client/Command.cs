namespace ChatLoop.Client;

/// <summary>One line the person typed, understood. <see cref="Argument"/> is the room, the text, or a message, by kind.</summary>
public sealed record Command(CommandKind Kind, string? Argument = null)
{
    public static Command None { get; } = new(CommandKind.None);
}
