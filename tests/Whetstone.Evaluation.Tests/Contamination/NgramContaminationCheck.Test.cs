using Whetstone.Evaluation.Contamination;

namespace Whetstone.Evaluation.Tests.Contamination;

public sealed class NgramContaminationCheckTest
{
    private static readonly string[] Boilerplate = ["Please answer the customer politely and accurately using the store policy below and keep it short"];

    private static List<IEnumerable<string>> Training() =>
        [.. Enumerable.Range(0, 200).Select(i => (IEnumerable<string>)[.. Boilerplate, $"Order {i} of customer number {i * 7} was shipped on day {i % 30} from warehouse {i % 5} with parcel tracking code {i * 13} and note {i}"])];

    [Fact]
    public void A_test_split_seeded_with_training_records_is_flagged_with_the_matching_ngram()
    {
        var training = Training();
        var test = Enumerable.Range(0, 40).Select(i => (IEnumerable<string>)[.. Boilerplate, $"A brand new question number {i} about returning a tent after {i} days of camping trip in rain"]).ToList();
        test[5] = training[17];                                                          // exact duplicate
        test[9] = ["Hello, " + string.Join(' ', training[33].Skip(1)) + " thanks!"];     // copied text inside another record

        var finding = new NgramContaminationCheck(new ContaminationOptions()).Run(training, test);

        Assert.Equal([5, 9], finding.ContaminatedIndices);
        Assert.Equal(1, finding.ExactDuplicates);
        Assert.Equal(0.05, finding.Overlap, 1e-12);
        Assert.True(finding.Overlap > 0.01);
        Assert.Equal(17, finding.Examples[0].TrainingIndex);
        Assert.Equal(33, finding.Examples[1].TrainingIndex);
        Assert.StartsWith("order 33 of customer number 231", finding.Examples[1].Ngram, StringComparison.Ordinal);
        Assert.True(finding.IgnoredNgrams > 0, "the shared instruction's n-grams are boilerplate");
    }

    [Fact]
    public void An_ngram_joining_a_template_to_its_first_word_is_boilerplate_but_a_copy_after_the_template_is_found()
    {
        // 200 training records open with the same 15-word template, then one of 50 words (each opener in 4 records,
        // under the 5 % limit of 10), then their own content. A test record with the template, a shared opener and
        // new content shares the 13-gram "template's last 12 words + opener" with 4 training records: boilerplate,
        // not a copy. A test record that copies a training record's content after the template is still found.
        var template = "please answer the customer politely and accurately using the store policy below and keep";
        string[] openers = [.. Enumerable.Range(0, 50).Select(i => $"opener{i}")];
        var training = Enumerable.Range(0, 200).Select(i => (IEnumerable<string>)[$"{template} {openers[i % 50]} order {i} of customer {i * 7} shipped on day {i % 30} from warehouse {i % 5} code {i * 13}"]).ToList();
        List<IEnumerable<string>> test =
        [
            [$"{template} {openers[7]} a brand new question about returning a tent after a rainy camping trip in the hills"],
            [$"{template} {openers[3]} order 53 of customer 371 shipped on day 23 from warehouse 3 code 689 thank you"],
        ];

        var finding = new NgramContaminationCheck(new ContaminationOptions()).Run(training, test);

        Assert.Equal([1], finding.ContaminatedIndices);
        Assert.Equal(53, finding.Examples[0].TrainingIndex);
        Assert.StartsWith("opener3 order 53 of customer 371", finding.Examples[0].Ngram, StringComparison.Ordinal);
    }

    [Fact]
    public void Boilerplate_shared_by_every_record_does_not_flag_a_clean_split()
    {
        var test = Enumerable.Range(0, 40).Select(i => (IEnumerable<string>)[.. Boilerplate, $"Fresh question {i}"]).ToList();
        var finding = new NgramContaminationCheck(new ContaminationOptions()).Run(Training(), test);
        Assert.Empty(finding.ContaminatedIndices);

        var strict = new NgramContaminationCheck(new ContaminationOptions(MaxDocumentShare: 1.0)).Run(Training(), test);
        Assert.Equal(40, strict.ContaminatedIndices.Count);
    }

    [Fact]
    public void Ngrams_do_not_span_fields_so_a_shared_answer_list_after_similar_wording_is_not_contamination_but_a_copied_question_is()
    {
        // Templated multiple-choice data: every question ends the same way and offers the same answer list; the
        // cents of the amount repeat across a few records. Read as one text, "<cents> with standard shipping what
        // does shipping cost 5 99 14 99 free" would be a 13-gram shared with the training records of equal cents.
        string[] choices = ["$5.99", "$14.99", "Free"];
        var training = Enumerable.Range(0, 200)
            .Select(i => (IEnumerable<string>)[$"Cart of customer {i} totals ${10 + i}.{i % 97:00} with standard shipping. What does shipping cost?", .. choices])
            .ToList();
        var test = Enumerable.Range(0, 40)
            .Select(k => (IEnumerable<string>)[$"Shopper {1000 + k} has a cart of ${500 + k}.{k % 97:00} with standard shipping. What does shipping cost?", .. choices])
            .ToList();
        test[3] = [training[7].First(), "$1.00", "$2.00", "$3.00"];                    // the question itself copied

        var finding = new NgramContaminationCheck(new ContaminationOptions()).Run(training, test);

        Assert.Equal([3], finding.ContaminatedIndices);
        Assert.Equal(7, finding.Examples[0].TrainingIndex);
        Assert.Equal(0, finding.ExactDuplicates);
    }
}
