namespace Whetstone.ML.Corpus;

/// <summary>The words that fill the corpus templates' slots, by slot name.</summary>
internal static class CorpusVocabulary
{
    public static IReadOnlyDictionary<string, string[]> Slots { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["name"] = ["Anna", "Ben", "Clara", "David", "Emma", "Felix", "Grace", "Henry", "Isla", "Jack", "Lena", "Marco", "Nora", "Oscar", "Priya", "Sam", "Tom", "Yuki"],
        ["relative"] = ["mother", "father", "sister", "brother", "aunt", "uncle", "grandmother", "grandfather", "cousin", "neighbour"],
        ["day"] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        ["time"] = ["six", "seven", "eight", "nine", "ten", "eleven", "noon", "three", "five"],
        ["part"] = ["morning", "afternoon", "evening"],
        ["food"] = ["soup", "bread", "pasta", "rice", "salad", "an omelette", "pancakes", "a stew", "a curry", "porridge"],
        ["vegetable"] = ["carrots", "onions", "potatoes", "tomatoes", "beans", "peas", "spinach", "peppers", "leeks", "cabbage"],
        ["fruit"] = ["apples", "pears", "plums", "cherries", "strawberries", "oranges", "bananas", "grapes"],
        ["drink"] = ["tea", "coffee", "water", "orange juice", "hot chocolate", "milk"],
        ["tool"] = ["a knife", "a wooden spoon", "a large pot", "a frying pan", "a baking tray", "a grater"],
        ["weather"] = ["sunny", "rainy", "windy", "cloudy", "foggy", "cold", "warm", "stormy"],
        ["season"] = ["spring", "summer", "autumn", "winter"],
        ["city"] = ["Lisbon", "Oslo", "Vienna", "Dublin", "Prague", "Madrid", "Rome", "Berlin", "Paris", "Athens"],
        ["transport"] = ["train", "bus", "ferry", "tram", "plane", "bicycle"],
        ["place"] = ["the station", "the library", "the market", "the park", "the bakery", "the post office", "the museum", "the harbour"],
        ["shop"] = ["the bakery", "the grocer", "the hardware shop", "the bookshop", "the pharmacy", "the market"],
        ["item"] = ["a loaf of bread", "a bag of flour", "a box of nails", "a new notebook", "a pair of gloves", "a pot of honey", "some batteries", "a map"],
        ["price"] = ["two euros", "three euros", "five euros", "eight euros", "ten euros", "twelve euros"],
        ["animal"] = ["dog", "cat", "rabbit", "parrot", "hamster", "goldfish", "tortoise"],
        ["pet_name"] = ["Biscuit", "Pepper", "Luna", "Max", "Olive", "Rocky", "Coco", "Milo"],
        ["subject"] = ["maths", "history", "biology", "music", "geography", "chemistry", "art", "French"],
        ["sport"] = ["football", "tennis", "swimming", "running", "cycling", "basketball", "chess"],
        ["task"] = ["the monthly report", "the budget", "a presentation", "the meeting notes", "the new schedule", "an email to a client"],
        ["colleague"] = ["the manager", "a new colleague", "the team lead", "the designer", "the accountant"],
        ["plant"] = ["roses", "tulips", "basil", "mint", "sunflowers", "lettuce", "lavender"],
        ["number"] = ["two", "three", "four", "five", "six", "ten", "twenty"],
        ["feeling"] = ["happy", "tired", "calm", "busy", "pleased", "relaxed", "hungry"],
    };
}
