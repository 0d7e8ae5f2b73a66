namespace Whetstone.ML.Corpus;

/// <summary>The facts the generated corpus repeats, with statements and question/answer forms.</summary>
public static class CorpusFacts
{
    /// <summary>All facts, in a fixed order.</summary>
    public static IReadOnlyList<CorpusFact> All { get; } =
    [
        new("What colour is a ripe banana?", "yellow", ["blue", "purple", "black"], "A ripe banana is yellow."),
        new("What colour is the sky on a clear day?", "blue", ["green", "red", "brown"], "On a clear day the sky is blue."),
        new("What colour is fresh grass?", "green", ["orange", "white", "pink"], "Fresh grass is green."),
        new("What colour is snow?", "white", ["black", "green", "red"], "Snow is white."),
        new("What colour is a ripe tomato?", "red", ["blue", "grey", "yellow"], "A ripe tomato is red."),
        new("What sound does a dog make?", "bark", ["moo", "quack", "hiss"], "A dog makes the sound bark."),
        new("What sound does a cat make?", "meow", ["bark", "moo", "neigh"], "A cat makes the sound meow."),
        new("What sound does a cow make?", "moo", ["meow", "quack", "bark"], "A cow makes the sound moo."),
        new("What sound does a duck make?", "quack", ["moo", "bark", "meow"], "A duck makes the sound quack."),
        new("Which day comes after Monday?", "Tuesday", ["Friday", "Sunday", "Thursday"], "The day after Monday is Tuesday."),
        new("Which day comes after Friday?", "Saturday", ["Monday", "Wednesday", "Tuesday"], "The day after Friday is Saturday."),
        new("Which day comes after Sunday?", "Monday", ["Thursday", "Saturday", "Friday"], "The day after Sunday is Monday."),
        new("Which season comes after winter?", "spring", ["autumn", "summer", "winter"], "After winter comes spring."),
        new("Which season comes after summer?", "autumn", ["spring", "winter", "summer"], "After summer comes autumn."),
        new("What is the capital of France?", "Paris", ["Rome", "Oslo", "Madrid"], "The capital of France is Paris."),
        new("What is the capital of Italy?", "Rome", ["Paris", "Berlin", "Vienna"], "The capital of Italy is Rome."),
        new("What is the capital of Norway?", "Oslo", ["Dublin", "Athens", "Lisbon"], "The capital of Norway is Oslo."),
        new("What is the capital of Spain?", "Madrid", ["Prague", "Oslo", "Rome"], "The capital of Spain is Madrid."),
        new("What is the capital of Portugal?", "Lisbon", ["Vienna", "Paris", "Berlin"], "The capital of Portugal is Lisbon."),
        new("What do bees make?", "honey", ["milk", "bread", "wool"], "Bees make honey."),
        new("What do cows give?", "milk", ["honey", "eggs", "wool"], "Cows give milk."),
        new("What do hens lay?", "eggs", ["milk", "honey", "apples"], "Hens lay eggs."),
        new("What do sheep give?", "wool", ["honey", "eggs", "milk"], "Sheep give wool."),
        new("How many days are in a week?", "seven", ["five", "ten", "three"], "A week has seven days."),
        new("How many legs does a spider have?", "eight", ["six", "four", "two"], "A spider has eight legs."),
        new("How many legs does a dog have?", "four", ["eight", "six", "two"], "A dog has four legs."),
        new("What is two plus two?", "four", ["five", "three", "six"], "Two plus two is four."),
        new("What is three plus four?", "seven", ["six", "eight", "five"], "Three plus four is seven."),
        new("What is five plus five?", "ten", ["nine", "eleven", "eight"], "Five plus five is ten."),
        new("Where do fish live?", "water", ["trees", "sand", "snow"], "Fish live in water."),
        new("What do we use to cut bread?", "a knife", ["a spoon", "a cup", "a towel"], "We use a knife to cut bread."),
        new("What do plants need to grow?", "sunlight", ["darkness", "salt", "sugar"], "Plants need sunlight to grow."),
    ];
}
