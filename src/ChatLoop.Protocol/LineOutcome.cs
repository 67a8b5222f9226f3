namespace ChatLoop.Protocol;

/// <summary>What <see cref="RequestParser.Step"/> made of one line.</summary>
internal enum LineOutcome
{
    /// <summary>The line was taken into the request under way (or skipped); no request is complete.</summary>
    Consumed,

    /// <summary>A request (or an error for one) is complete.</summary>
    Request,

    /// <summary>A request is complete, ended by this line, which starts the next one: the line is to be read again.</summary>
    RequestThenReread,
}
