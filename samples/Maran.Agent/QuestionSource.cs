namespace Maran.Agent;

/// <summary>Questions the workload asks, in a fixed rotation: about the documents, and some that need a tool.</summary>
internal sealed class QuestionSource
{
    private static readonly string[] Questions =
    [
        "What causes spring tides?",
        "Why does bread dough rise?",
        "How do honeybees tell each other where food is?",
        "What is 12 * 7?",
        "Where do volcanoes form?",
        "What did the Fresnel lens change for lighthouses?",
        "What makes a good compost heap?",
        "How many words in 'government of the people, by the people, for the people'?",
        "Why did printing with movable type spread knowledge?",
        "How long is a sleep cycle?",
        "Why is the sky darker between two rainbows?",
        "What is 144 / 12?",
        "Which errors should an agent retry?",
        "What was dedicated at Gettysburg?",
    ];

    private int _next;

    public string Next() => Questions[_next++ % Questions.Length];
}
