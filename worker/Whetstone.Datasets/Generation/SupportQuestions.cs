using System.Globalization;
using static Whetstone.Datasets.Generation.SupportCatalog;

namespace Whetstone.Datasets.Generation;

/// <summary>Multiple-choice questions whose correct answers follow from <see cref="SupportCatalog"/>.</summary>
internal static class SupportQuestions
{
    private static readonly Func<SeededRandom, Slots, (string Question, string Correct, string[] Wrong)>[] Templates =
    [
        ReturnWindowQuestion, ShippingFeeQuestion, TrailPointsQuestion, CountryQuestion, WarrantyQuestion, CancelQuestion,
        PriceMatchQuestion, PaymentQuestion, PolicyQuestion,
    ];

    private static readonly (string Question, string Correct, string[] Wrong)[] Policies =
    [
        ("How long is a sign-in reset link valid?", $"{ResetLinkHours} hours", ["1 hour", "12 hours", "7 days"]),
        ("How long does express shipping take?", "2 business days", ["The next business day", "5–7 business days", "10–15 business days"]),
        ("How long does standard shipping take?", "5–7 business days", ["2 business days", "The next business day", "10–15 business days"]),
        ("How long does international delivery take?", InternationalDelivery, ["2 business days", "5–7 business days", "30 days"]),
        ("Within how many days of delivery must damage be reported?", $"{DamageReportDays} days", ["3 days", "14 days", "30 days"]),
        ("How soon after a return arrives is the refund issued?", $"Within {RefundBusinessDays} business days", ["Within 24 hours", "Within 30 days", "After 60 days"]),
        ("When is customer support closed?", "On Sundays", ["On Mondays", "On Saturdays", "Every evening after 5 pm ET"]),
        ("Can gift cards be returned?", "No, gift cards cannot be returned", ["Yes, within 30 days", "Yes, for store credit only", "Only unused ones within 14 days"]),
        ("How long does it take to delete an account?", $"Up to {AccountDeletionDays} days", ["Immediately", "Up to 7 days", "Up to 1 year"]),
        ("How much is overnight shipping?", $"${OvernightShippingFee:0.00}", [$"${ExpressShippingFee:0.00}", $"${StandardShippingFee:0.00}", "$49.99"]),
        ("When do Trail Points expire?", $"After {PointsExpiryMonths} months", ["After 3 months", "After 24 months", "They never expire"]),
    ];

    public static (string Question, IReadOnlyList<string> Choices, int Answer) Create(SeededRandom random, Slots slots)
    {
        var template = Templates[random.Next(Templates.Length)];
        var (question, correct, wrong) = template(random, slots);
        var choices = wrong.Distinct().Where(choice => choice != correct).Take(3).Append(correct).ToList();
        for (var i = choices.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (choices[i], choices[j]) = (choices[j], choices[i]);
        }

        return (question, choices, choices.IndexOf(correct));
    }

    private static string Money(decimal value) => "$" + value.ToString("0.00", CultureInfo.InvariantCulture);

    private static (string, string, string[]) ReturnWindowQuestion(SeededRandom random, Slots slots)
    {
        var days = random.Between(1, 60);
        return (
            $"{slots.Name}'s {slots.Product.Name} (order {slots.Order}) was delivered {days} days ago. Can it still be returned?",
            days <= ReturnWindowDays ? $"Yes, {ReturnWindowDays - days} days of the return window are left" : "No, the 30-day return window has closed",
            days <= ReturnWindowDays
                ? ["No, the 30-day return window has closed", "Only with the original receipt", "Only for store credit"]
                : [$"Yes, {60 - days + 1} days of the return window are left", "Only with the original receipt", "Only for store credit"]);
    }

    private static (string, string, string[]) ShippingFeeQuestion(SeededRandom random, Slots slots)
    {
        var total = random.Between(900, 12000) / 100m;
        var correct = total >= FreeShippingThreshold ? "Free" : Money(StandardShippingFee);
        return (
            $"{slots.Name}'s cart (order {slots.Order}) totals {Money(total)} with standard shipping. What does shipping cost?",
            correct,
            ["Free", Money(StandardShippingFee), Money(ExpressShippingFee), Money(OvernightShippingFee)]);
    }

    private static (string, string, string[]) TrailPointsQuestion(SeededRandom random, Slots slots)
    {
        var total = random.Between(20, 400);
        return (
            $"How many Trail Points does {slots.Name} earn on order {slots.Order} worth ${total}?",
            $"{total} points",
            [$"{total * 2} points", $"{total / 10} points", $"{total + PointsPerReward} points"]);
    }

    private static (string, string, string[]) CountryQuestion(SeededRandom random, Slots slots)
    {
        var ships = random.Chance(0.6);
        var country = ships ? random.Pick(ShippingCountries) : random.Pick(NonShippingCountries);
        return (
            $"{slots.Name} in {country} wants to order the {slots.Product.Name}. Does {Shop} deliver there?",
            ships ? $"Yes, in {InternationalDelivery}" : "No, not to that country",
            ships ? ["No, not to that country", "Yes, in 2 business days", "Only to a pickup point"] : [$"Yes, in {InternationalDelivery}", "Yes, in 2 business days", "Only to a pickup point"]);
    }

    private static (string, string, string[]) WarrantyQuestion(SeededRandom random, Slots slots) => (
        $"Which warranty covers the {slots.Product.Name} bought by {slots.Name} (order {slots.Order})?",
        $"{slots.Product.WarrantyYears} year{(slots.Product.WarrantyYears == 1 ? string.Empty : "s")}",
        ["6 months", "1 year", "2 years", "5 years"]);

    private static (string, string, string[]) CancelQuestion(SeededRandom random, Slots slots)
    {
        var minutes = random.Pick(new[] { 10, 25, 40, 70, 95, 115, 130, 160, 200, 300 });
        return (
            $"{slots.Name} placed order {slots.Order} {minutes} minutes ago. Can it still be cancelled online?",
            minutes <= CancelWindowMinutes ? "Yes, orders can be cancelled within 2 hours" : "No, the 2-hour cancellation window has passed",
            minutes <= CancelWindowMinutes
                ? ["No, the 2-hour cancellation window has passed", "Only by phone", "Only after delivery"]
                : ["Yes, orders can be cancelled within 2 hours", "Only by phone", "Only after delivery"]);
    }

    private static (string, string, string[]) PriceMatchQuestion(SeededRandom random, Slots slots)
    {
        var days = random.Between(1, 30);
        var drop = random.Between(5, 40);
        return (
            $"The {slots.Product.Name} that {slots.Name} bought {days} days ago (order {slots.Order}) is now ${drop} cheaper. What happens?",
            days <= PriceMatchDays ? $"The ${drop} difference is refunded" : "Nothing, price matching ends after 14 days",
            days <= PriceMatchDays
                ? ["Nothing, price matching ends after 14 days", "A gift card of $5 is issued", "The order must be returned first"]
                : [$"The ${drop} difference is refunded", "A gift card of $5 is issued", "The order must be returned first"]);
    }

    private static (string, string, string[]) PaymentQuestion(SeededRandom random, Slots slots)
    {
        var refused = random.Pick(RefusedPaymentMethods);
        var accepted = PaymentMethods.OrderBy(_ => random.Next(1000)).Take(3).ToArray();
        return ($"Which payment method can {slots.Name} not use for order {slots.Order}?", refused, accepted);
    }

    private static (string, string, string[]) PolicyQuestion(SeededRandom random, Slots slots)
    {
        var (question, correct, wrong) = random.Pick(Policies);
        return ($"{slots.Name} asks about order {slots.Order}: {question}", correct, wrong);
    }
}
