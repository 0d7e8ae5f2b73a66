using System.Globalization;
using static Whetstone.Datasets.Generation.SupportCatalog;

namespace Whetstone.Datasets.Generation;

/// <summary>One customer question and the answer the shop's policies give, for each support topic.</summary>
internal static class SupportConversations
{
    private static readonly string[] Greetings = ["Hi!", "Hello.", "Hey there!", "Good morning.", "Hi team!", "", "Hello again.", "Good evening."];
    private static readonly string[] Closings = ["", "Thanks!", "Thank you.", "Thanks in advance, {name}.", "Appreciate it.", "Best, {name}.", "Cheers, {name}."];
    private static readonly string[] Openers = ["Hi {name}! ", "Hello {name}! ", "Thanks for reaching out, {name}. ", "Happy to help, {name}. ", "", "Good question, {name}. "];
    private static readonly string[] SignOffs = ["", " Anything else I can help with?", " Let me know if you need anything else.", " Enjoy your time outdoors!", " Have a great trip!"];

    /// <summary>Topic generators; each returns the customer's message body and the answer body.</summary>
    private static readonly Func<SeededRandom, Slots, (string User, string Assistant)>[] Topics =
    [
        OrderStatus, ReturnWindow, RefundTiming, ShippingCost, ShippingTime, International, CancelOrder, ChangeAddress,
        DamagedItem, SignInHelp, DeleteAccount, ChangeEmail, TrailPoints, PriceMatch, PaymentMethod, SupportHoursTopic,
        Warranty, GiftCardReturn,
    ];

    public static int TopicCount => Topics.Length;

    public static (string User, string Assistant) Create(SeededRandom random, int topic, Slots slots)
    {
        var (user, assistant) = Topics[topic](random, slots);
        var greeting = random.Pick(Greetings);
        var closing = random.Pick(Closings).Replace("{name}", slots.Name, StringComparison.Ordinal);
        var opener = random.Pick(Openers).Replace("{name}", slots.Name, StringComparison.Ordinal);
        var signOff = random.Pick(SignOffs);
        return (Join(greeting, user, closing), opener + assistant + signOff);
    }

    private static string Join(params string[] parts) => string.Join(' ', parts.Where(part => part.Length > 0));

    private static string Money(decimal value) => "$" + value.ToString("0.00", CultureInfo.InvariantCulture);

    private static (string, string) OrderStatus(SeededRandom random, Slots slots) => (
        random.Pick([
            $"Where is my order {slots.Order}?",
            $"Can you tell me the status of order {slots.Order}? It's the {slots.Product.Name}.",
            $"I'm still waiting for the {slots.Product.Name} I ordered (order {slots.Order}). How can I track it?",
            $"How do I track order {slots.Order}?",
        ]),
        $"You can follow order {slots.Order} under Account > Orders, and we e-mail a tracking link as soon as it ships. "
        + "Standard shipping takes 5–7 business days from dispatch, express 2 business days.");

    private static (string, string) ReturnWindow(SeededRandom random, Slots slots)
    {
        var days = random.Between(1, 60);
        var user = random.Pick([
            $"My {slots.Product.Name} was delivered {days} days ago. Can I still return it?",
            $"I got order {slots.Order} {days} days ago and want to send the {slots.Product.Name} back. Is that possible?",
            $"Is it too late to return the {slots.Product.Name}? It arrived {days} days ago.",
        ]);
        var answer = days <= ReturnWindowDays
            ? $"Yes. Returns are accepted within {ReturnWindowDays} days of delivery, so you have {ReturnWindowDays - days} day{(ReturnWindowDays - days == 1 ? string.Empty : "s")} left. "
              + $"Start the return for order {slots.Order} under Account > Orders > Return item; the refund goes to your original payment method within {RefundBusinessDays} business days after the item reaches us."
            : $"I'm sorry, the {ReturnWindowDays}-day return window for order {slots.Order} closed {days - ReturnWindowDays} day{(days - ReturnWindowDays == 1 ? string.Empty : "s")} ago. "
              + $"A manufacturing defect in the {slots.Product.Name} is still covered by its {slots.Product.WarrantyYears}-year warranty.";
        return (user, answer);
    }

    private static (string, string) RefundTiming(SeededRandom random, Slots slots) => (
        random.Pick([
            $"I returned the {slots.Product.Name} from order {slots.Order}. When will I get my money back?",
            $"How long does a refund take? I sent back order {slots.Order}.",
            $"My return for {slots.Order} was shipped yesterday. When is the refund issued?",
        ]),
        $"Refunds are issued to your original payment method within {RefundBusinessDays} business days after the return reaches our warehouse. "
        + $"For order {slots.Order} you will get an e-mail as soon as the refund of {Money(slots.Product.Price)} is on its way.");

    private static (string, string) ShippingCost(SeededRandom random, Slots slots)
    {
        var total = random.Between(900, 12000) / 100m;
        var user = random.Pick([
            $"My cart comes to {Money(total)}. Do I have to pay for shipping?",
            $"How much is shipping on a {Money(total)} order?",
            $"Is standard shipping free if I spend {Money(total)}?",
        ]);
        var answer = total >= FreeShippingThreshold
            ? $"Standard shipping is free on orders of {Money(FreeShippingThreshold)} or more, so your {Money(total)} order ships for free. Express shipping would be {Money(ExpressShippingFee)}."
            : $"Standard shipping is {Money(StandardShippingFee)} on orders under {Money(FreeShippingThreshold)}. Add {Money(FreeShippingThreshold - total)} more to your {Money(total)} cart and standard shipping becomes free.";
        return (user, answer);
    }

    private static (string, string) ShippingTime(SeededRandom random, Slots slots)
    {
        var method = random.Next(3);
        var name = method switch { 0 => "standard", 1 => "express", _ => "overnight" };
        var user = random.Pick([
            $"How long does {name} shipping take for the {slots.Product.Name}?",
            $"If I choose {name} shipping, when will my order arrive?",
            $"What's the delivery time with {name} shipping?",
        ]);
        var answer = method switch
        {
            0 => $"Standard shipping takes 5–7 business days and is free from {Money(FreeShippingThreshold)}, otherwise {Money(StandardShippingFee)}.",
            1 => $"Express shipping takes 2 business days and costs {Money(ExpressShippingFee)}.",
            _ => $"Overnight shipping arrives the next business day when you order before 1 pm ET, and costs {Money(OvernightShippingFee)}.",
        };
        return (user, answer);
    }

    private static (string, string) International(SeededRandom random, Slots slots)
    {
        var ships = random.Chance(0.7);
        var country = ships ? random.Pick(ShippingCountries) : random.Pick(NonShippingCountries);
        var user = random.Pick([
            $"Do you ship to {country}?",
            $"I live in {country}. Can I order the {slots.Product.Name}?",
            $"Can you deliver order {slots.Order} to {country}?",
        ]);
        var answer = ships
            ? $"Yes, we ship to {country}. International delivery takes {InternationalDelivery}, and import duties and taxes are paid by the customer on arrival."
            : $"I'm sorry, we don't ship to {country} yet. We currently deliver to 38 countries; the list is on our Shipping page.";
        return (user, answer);
    }

    private static (string, string) CancelOrder(SeededRandom random, Slots slots)
    {
        var minutes = random.Pick([5, 15, 30, 45, 60, 90, 110, 150, 180, 240, 300, 600]);
        var elapsed = minutes < 60 ? $"{minutes} minutes" : minutes % 60 == 0 ? $"{minutes / 60} hour{(minutes == 60 ? string.Empty : "s")}" : $"{minutes} minutes";
        var user = random.Pick([
            $"I placed order {slots.Order} {elapsed} ago. Can I still cancel it?",
            $"Please cancel order {slots.Order}, I ordered it {elapsed} ago by mistake.",
            $"Is it possible to cancel {slots.Order}? I placed it {elapsed} ago.",
        ]);
        var answer = minutes <= CancelWindowMinutes
            ? $"Yes. Orders can be cancelled within 2 hours of being placed: open Account > Orders, choose order {slots.Order} and select Cancel order. The full amount is refunded right away."
            : $"I'm sorry, orders can only be cancelled within 2 hours of being placed, and order {slots.Order} is already being packed. Once it arrives you can return it within {ReturnWindowDays} days for a full refund.";
        return (user, answer);
    }

    private static (string, string) ChangeAddress(SeededRandom random, Slots slots) => (
        random.Pick([
            $"I need to change the delivery address on order {slots.Order}.",
            $"Can I update the shipping address for {slots.Order}? I'm moving next week.",
            $"Wrong address on order {slots.Order}, can you fix it?",
        ]),
        $"You can change the address while order {slots.Order} shows the status Processing: open Account > Orders > Edit address. "
        + "Once the status is Shipped the address can no longer be changed, but you can redirect the parcel with the carrier's tracking link.");

    private static (string, string) DamagedItem(SeededRandom random, Slots slots) => (
        random.Pick([
            $"My {slots.Product.Name} arrived damaged.",
            $"Something in order {slots.Order} is broken: the {slots.Product.Name}. What can I do?",
            $"Order {slots.Order} arrived with the {slots.Product.Name} damaged.",
        ]),
        $"I'm sorry about that. Report the damage within {DamageReportDays} days of delivery under Account > Orders > Report a problem and add a photo of the {slots.Product.Name}. "
        + "We ship a replacement free of charge, and you don't pay for the return.");

    private static (string, string) SignInHelp(SeededRandom random, Slots slots) => (
        random.Pick([
            "I can't sign in to my account.",
            "I forgot how to log in to my Northwind account. How do I get back in?",
            "My sign-in isn't working anymore, can you help?",
            $"I'm locked out of my account and need to check order {slots.Order}.",
        ]),
        $"Use the \"Forgot sign-in?\" link on the sign-in page. We e-mail you a reset link that is valid for {ResetLinkHours} hours; if it has expired, simply request a new one.");

    private static (string, string) DeleteAccount(SeededRandom random, Slots slots) => (
        random.Pick([
            "How do I delete my account?",
            "Please close my Northwind account and remove my data.",
            "I want my account and personal data deleted. How does that work?",
        ]),
        $"Go to Settings > Privacy > Delete account. We confirm by e-mail and delete the account and its personal data within {AccountDeletionDays} days; open orders are completed first.");

    private static (string, string) ChangeEmail(SeededRandom random, Slots slots) => (
        random.Pick([
            "How can I change the e-mail address on my account?",
            "I have a new e-mail address. Where do I update it?",
            "Can I switch the e-mail my order confirmations go to?",
        ]),
        "Open Settings > Profile > E-mail and enter the new address. We send a confirmation link to the new address, and the change takes effect once you click it.");

    private static (string, string) TrailPoints(SeededRandom random, Slots slots)
    {
        var total = random.Between(20, 400);
        var points = total;
        var user = random.Pick([
            $"How many Trail Points do I earn on a ${total} order?",
            $"I just spent ${total} on the {slots.Product.Name}. How many points is that?",
            $"Do I get Trail Points for order {slots.Order}? It was ${total}.",
        ]);
        return (user,
            $"You earn 1 Trail Point per dollar, so a ${total} order gives {points} points. Every {PointsPerReward} points are worth ${RewardDollars} off, and points expire after {PointsExpiryMonths} months.");
    }

    private static (string, string) PriceMatch(SeededRandom random, Slots slots)
    {
        var days = random.Between(1, 30);
        var drop = random.Between(5, 40);
        var user = random.Pick([
            $"I bought the {slots.Product.Name} {days} days ago and now it's ${drop} cheaper on your site. Can I get the difference?",
            $"The price of the {slots.Product.Name} dropped by ${drop}. I ordered it {days} days ago (order {slots.Order}).",
        ]);
        var answer = days <= PriceMatchDays
            ? $"Yes. We match our own price drops within {PriceMatchDays} days of purchase, so we will refund the ${drop} difference on order {slots.Order} to your original payment method."
            : $"I'm sorry, we match our own price drops only within {PriceMatchDays} days of purchase, and order {slots.Order} was placed {days} days ago.";
        return (user, answer);
    }

    private static (string, string) PaymentMethod(SeededRandom random, Slots slots)
    {
        var accepted = random.Chance(0.6);
        var method = accepted ? random.Pick(PaymentMethods) : random.Pick(RefusedPaymentMethods);
        var user = random.Pick([
            $"Can I pay with {method}?",
            $"Do you accept {method} for the {slots.Product.Name}?",
            $"Is {method} an option at checkout?",
        ]);
        var answer = accepted
            ? $"Yes, we accept {method}. We also take {string.Join(", ", PaymentMethods.Where(other => other != method))}."
            : $"I'm sorry, we don't accept {method}. You can pay with {string.Join(", ", PaymentMethods)}.";
        return (user, answer);
    }

    private static (string, string) SupportHoursTopic(SeededRandom random, Slots slots) => (
        random.Pick([
            "When is customer support open?",
            "What are your support hours?",
            "Can I call you on a Sunday?",
            $"When can I reach someone about order {slots.Order}?",
        ]),
        $"Our support team is available {SupportHours}. Outside those hours you can leave a message in the chat and we reply the next working day.");

    private static (string, string) Warranty(SeededRandom random, Slots slots) => (
        random.Pick([
            $"Is there a warranty on the {slots.Product.Name}?",
            $"How long is the {slots.Product.Name} covered by warranty?",
            $"My {slots.Product.Name} from order {slots.Order} stopped working. Is it under warranty?",
        ]),
        $"We cover the {slots.Product.Name} with a {slots.Product.WarrantyYears}-year warranty against manufacturing defects"
        + (slots.Product.WarrantyYears == 2 ? " (Northwind-brand boots get 2 years instead of the usual 1)." : ".")
        + " Start a claim under Account > Orders > Report a problem with a photo of the defect.");

    private static (string, string) GiftCardReturn(SeededRandom random, Slots slots) => (
        random.Pick([
            "Can I return a gift card?",
            "I bought a gift card by mistake. Can I get a refund?",
            "Is a Final Sale item returnable?",
        ]),
        $"I'm sorry, gift cards and items marked Final Sale cannot be returned or refunded. Everything else can be returned within {ReturnWindowDays} days of delivery.");
}
