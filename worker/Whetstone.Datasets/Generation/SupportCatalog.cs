namespace Whetstone.Datasets.Generation;

/// <summary>
/// The facts of the fictional outdoor shop "Northwind Outfitters". Every generated answer is derived from these
/// values, so the dataset never contradicts itself and a model can learn the policies.
/// </summary>
public static class SupportCatalog
{
    /// <summary>Shop name.</summary>
    public const string Shop = "Northwind Outfitters";

    /// <summary>Days after delivery during which items can be returned.</summary>
    public const int ReturnWindowDays = 30;

    /// <summary>Business days for a refund after the return arrives.</summary>
    public const int RefundBusinessDays = 5;

    /// <summary>Order total from which standard shipping is free, in dollars.</summary>
    public const decimal FreeShippingThreshold = 50m;

    /// <summary>Standard shipping fee below the threshold.</summary>
    public const decimal StandardShippingFee = 5.99m;

    /// <summary>Express shipping fee.</summary>
    public const decimal ExpressShippingFee = 14.99m;

    /// <summary>Overnight shipping fee.</summary>
    public const decimal OvernightShippingFee = 29.99m;

    /// <summary>Minutes after ordering during which an order can be cancelled.</summary>
    public const int CancelWindowMinutes = 120;

    /// <summary>Days after delivery to report damage.</summary>
    public const int DamageReportDays = 7;

    /// <summary>Hours a sign-in reset link stays valid.</summary>
    public const int ResetLinkHours = 24;

    /// <summary>Days to delete an account.</summary>
    public const int AccountDeletionDays = 30;

    /// <summary>Days after purchase for a price match.</summary>
    public const int PriceMatchDays = 14;

    /// <summary>Trail Points needed for a reward.</summary>
    public const int PointsPerReward = 100;

    /// <summary>Dollars off per reward.</summary>
    public const int RewardDollars = 5;

    /// <summary>Months before Trail Points expire.</summary>
    public const int PointsExpiryMonths = 12;

    /// <summary>Business days for international delivery.</summary>
    public const string InternationalDelivery = "10–15 business days";

    /// <summary>Support opening hours.</summary>
    public const string SupportHours = "Monday to Friday 8 am–8 pm ET and Saturday 9 am–5 pm ET (closed on Sundays)";

    /// <summary>Products: name, category, price, warranty in years.</summary>
    public static IReadOnlyList<(string Name, decimal Price, int WarrantyYears)> Products { get; } =
    [
        ("Ridgeline 2 tent", 229.00m, 1), ("Summit 45L backpack", 149.00m, 1), ("Northwind Trail boots", 139.00m, 2),
        ("Northwind Alpine boots", 189.00m, 2), ("Cascade rain jacket", 119.00m, 1), ("Ember down sleeping bag", 199.00m, 1),
        ("Lumen 400 headlamp", 39.00m, 1), ("Pika camp stove", 54.00m, 1), ("Talus trekking poles", 79.00m, 1),
        ("Drift merino socks", 18.00m, 1), ("Granite water filter", 44.00m, 1), ("Harbor fleece hoodie", 69.00m, 1),
        ("Switchback trail runners", 129.00m, 1), ("Canyon 20L daypack", 59.00m, 1), ("Aspen camp chair", 49.00m, 1),
        ("Basin cook set", 36.00m, 1), ("Polar insulated bottle", 29.00m, 1), ("Meadow picnic blanket", 34.00m, 1),
        ("Glacier sunglasses", 89.00m, 1), ("Trailhead gaiters", 27.00m, 1),
    ];

    /// <summary>Countries the shop ships to (a sample of the 38).</summary>
    public static IReadOnlyList<string> ShippingCountries { get; } =
        ["Canada", "Mexico", "the United Kingdom", "Ireland", "Germany", "France", "Spain", "Italy", "the Netherlands", "Sweden", "Norway", "Japan", "South Korea", "Australia", "New Zealand", "Singapore"];

    /// <summary>Countries the shop does not ship to.</summary>
    public static IReadOnlyList<string> NonShippingCountries { get; } =
        ["Brazil", "Argentina", "India", "Egypt", "Nigeria", "Kenya", "Peru", "Vietnam"];

    /// <summary>Accepted payment methods.</summary>
    public static IReadOnlyList<string> PaymentMethods { get; } = ["Visa", "Mastercard", "American Express", "PayPal", "Apple Pay"];

    /// <summary>Payment methods the shop does not accept.</summary>
    public static IReadOnlyList<string> RefusedPaymentMethods { get; } = ["cash on delivery", "Bitcoin", "a bank transfer", "a personal check"];

    /// <summary>Customer first names used in conversations.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "Alice", "Ben", "Chloe", "Daniel", "Emma", "Farid", "Grace", "Hiro", "Isabel", "Jonas", "Kara", "Liam", "Mei", "Noah",
        "Olivia", "Priya", "Quentin", "Rosa", "Sam", "Tariq", "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe", "Aiden", "Bianca",
        "Carlos", "Dana", "Elif", "Felix", "Hannah", "Ivan", "Julia", "Kenji", "Lena", "Marco", "Nadia", "Oscar",
    ];
}
