using System.Text;
using Whetstone.Datasets.Preprocessing;
using Whetstone.Datasets.Records;

namespace Whetstone.Datasets.Generation;

/// <summary>Builds the chat half of a support dataset, dirty records included.</summary>
internal sealed class ChatDatasetBuilder(SeededRandom random, OrderNumbers orders)
{
    private static readonly string[] BlockedSentences =
    [
        "My password is {secret}, in case you need it.",
        "Here is my password so you can check: {secret}",
        "I already changed my password to {secret} and it still fails.",
    ];

    private static readonly string[] PiiSentences =
    [
        "You can reach me at {pii}.",
        "My contact is {pii} if you need it.",
        "Please get back to me at {pii}.",
    ];

    private static readonly string[] NearDuplicateEdits = ["!", " Please help.", " Thanks a lot!", "??", " :)"];

    private readonly DistinctRecords _distinct = new();
    private readonly HashSet<ChatRecord> _nearCopied = new(ReferenceEqualityComparer.Instance);
    private readonly PiiRedactor _redactor = new(Enum.GetValues<PiiKind>());

    public (IReadOnlyList<ChatRecord> Records, SupportDatasetStats Stats) Build(int count)
    {
        var dirty = DirtyCounts.For(count, empty: 0.02, duplicates: 0.05, nearDuplicates: 0.03, blocked: 0.02, withPii: 0.05);
        var clean = new List<ChatRecord>();
        while (clean.Count < count - dirty.Total)
        {
            clean.Add(_distinct.Next(() =>
            {
                var record = NewConversation();
                return (record, (DatasetRecord)record);
            }));
        }

        var extras = new List<(ChatRecord Record, ChatRecord? Copies)>();
        var pii = new RedactionTally();
        for (var i = 0; i < dirty.WithPii; i++)
        {
            RedactionTally? inserted = null;
            extras.Add((_distinct.Next(() =>
            {
                var (record, tally) = WithPersonalData(NewConversation());
                inserted = tally;
                return (record, record.MapText(text => _redactor.Redact(text, new RedactionTally())));
            }), null));
            pii.Add(inserted!);
        }

        for (var i = 0; i < dirty.Blocked; i++)
        {
            extras.Add((WithBlockedTerm(NewConversation()), null));
        }

        for (var i = 0; i < dirty.Empty; i++)
        {
            extras.Add((Emptied(NewConversation()), null));
        }

        for (var i = 0; i < dirty.Duplicates; i++)
        {
            var original = random.Pick(clean);
            extras.Add((ExactCopy(original), original));
        }

        for (var i = 0; i < dirty.NearDuplicates; i++)
        {
            var (copy, original) = NearCopy(clean);
            extras.Add((copy, original));
        }

        var stats = new SupportDatasetStats(count, dirty.Empty, dirty.Duplicates, dirty.NearDuplicates, dirty.Blocked, pii.ToCounts());
        return (DistinctRecords.Insert(clean, extras, random), stats);
    }

    private ChatRecord NewConversation()
    {
        var slots = new Slots(random.Pick(SupportCatalog.Names), random.Pick(SupportCatalog.Products), orders.Next());
        var (user, assistant) = SupportConversations.Create(random, random.Next(SupportConversations.TopicCount), slots);
        var messages = new List<ChatMessage> { new(ChatRole.User, user), new(ChatRole.Assistant, assistant) };
        if (random.Chance(0.2))
        {
            var (followUp, answer) = SupportConversations.Create(random, random.Next(SupportConversations.TopicCount), slots);
            messages.Add(new ChatMessage(ChatRole.User, "One more thing. " + followUp));
            messages.Add(new ChatMessage(ChatRole.Assistant, answer));
        }

        return new ChatRecord(messages);
    }

    private (ChatRecord Record, RedactionTally Inserted) WithPersonalData(ChatRecord record)
    {
        var tally = new RedactionTally();
        var items = new List<string>();
        var kinds = Enum.GetValues<PiiKind>();
        for (var i = 0; i < random.Between(1, 2); i++)
        {
            var kind = random.Pick(kinds);
            tally.Add(kind);
            items.Add(kind switch
            {
                PiiKind.Email => SyntheticPii.Email(random, random.Pick(SupportCatalog.Names)),
                PiiKind.Phone => SyntheticPii.Phone(random),
                PiiKind.IdNumber => "ID number " + SyntheticPii.IdNumber(random),
                _ => "card " + SyntheticPii.BankCard(random),
            });
        }

        var sentence = random.Pick(PiiSentences).Replace("{pii}", string.Join(" or ", items), StringComparison.Ordinal);
        return (AppendToFirstUserMessage(record, " " + sentence), tally);
    }

    private ChatRecord WithBlockedTerm(ChatRecord record)
    {
        var secret = random.Pick(new[] { "trail", "summit", "maple", "river" }) + random.Between(10, 9999);
        return AppendToFirstUserMessage(record, " " + random.Pick(BlockedSentences).Replace("{secret}", secret, StringComparison.Ordinal));
    }

    private ChatRecord Emptied(ChatRecord record)
    {
        var blank = random.Pick(new[] { string.Empty, "   ", " \n " });
        var role = random.Chance(0.5) ? ChatRole.User : ChatRole.Assistant;
        return new ChatRecord(record.Messages.Select(message => message.Role == role ? message with { Content = blank } : message).ToArray());
    }

    /// <summary>The same record, or one that differs only in whitespace or full-width digits (equal after normalization).</summary>
    private ChatRecord ExactCopy(ChatRecord original) => random.Next(3) switch
    {
        0 => new ChatRecord(original.Messages.ToArray()),
        1 => (ChatRecord)original.MapText(text => "  " + text.Replace(". ", ".  ", StringComparison.Ordinal) + "\r\n"),
        _ => (ChatRecord)original.MapText(FullWidthDigits),
    };

    private (ChatRecord Copy, ChatRecord Original) NearCopy(List<ChatRecord> clean)
    {
        while (true)
        {
            var original = random.Pick(clean);
            if (!_nearCopied.Add(original))
            {
                continue; // a second copy with the same edit would be an exact duplicate of the first
            }

            var edit = random.Pick(NearDuplicateEdits);
            var copy = AppendToFirstUserMessage(original, edit);
            // Well above the 0.85 threshold, so the LSH candidate step finds it with near certainty.
            if (DistinctRecords.Similarity(copy.ContentText, original.ContentText) >= 0.92)
            {
                return (copy, original);
            }
        }
    }

    private static ChatRecord AppendToFirstUserMessage(ChatRecord record, string addition)
    {
        var first = record.Messages.ToList().FindIndex(message => message.Role == ChatRole.User);
        return new ChatRecord(record.Messages.Select((message, index) => index == first ? message with { Content = message.Content + addition } : message).ToArray());
    }

    private static string FullWidthDigits(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            builder.Append(char.IsAsciiDigit(ch) ? (char)('\uFF10' + (ch - '0')) : ch);
        }

        return builder.ToString();
    }
}
