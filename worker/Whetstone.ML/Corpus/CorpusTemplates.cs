namespace Whetstone.ML.Corpus;

/// <summary>Sentence templates per everyday domain; <c>{slot}</c> is filled from <see cref="CorpusVocabulary"/>.</summary>
internal static class CorpusTemplates
{
    public static IReadOnlyDictionary<string, string[]> ByDomain { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["kitchen"] =
        [
            "{name} cooks {food} for dinner on {day}.",
            "To make {food}, {name} first chops the {vegetable} with {tool}.",
            "The recipe needs {vegetable}, a little salt and some olive oil.",
            "{name} puts the kettle on and makes a cup of {drink}.",
            "After dinner, {name} washes {tool} and dries the plates.",
            "The kitchen smells of fresh bread every {part}.",
            "{name} keeps the {fruit} in a bowl on the table.",
            "For breakfast, {name} has {food} and a glass of {drink}.",
            "The soup is ready when the {vegetable} are soft.",
            "{name} asks the {relative} how long to bake the bread.",
        ],
        ["weather"] =
        [
            "It is {weather} in {city} today.",
            "The forecast says it will be {weather} on {day}.",
            "In {season}, the days in {city} are often {weather}.",
            "{name} takes an umbrella because the sky looks grey.",
            "When it is {weather}, {name} stays at home and reads.",
            "The wind is strong near the harbour this {part}.",
            "After the rain, the streets of {city} shine in the sun.",
            "Snow falls in the mountains every {season}.",
        ],
        ["travel"] =
        [
            "The {transport} to {city} leaves at {time} in the {part}.",
            "{name} buys a ticket for the {transport} at {place}.",
            "The journey to {city} takes about {number} hours.",
            "{name} visits the {relative} in {city} every {season}.",
            "The {transport} was late, so {name} waited at {place}.",
            "From the window of the {transport}, {name} sees fields and small villages.",
            "{name} packs a map, a warm jacket and a book for the trip.",
            "In {city}, {name} walks from {place} to the old town.",
        ],
        ["shopping"] =
        [
            "{name} buys {item} at {shop} for {price}.",
            "At the market, the {fruit} cost {price} a kilo.",
            "{shop} opens at {time} and closes in the evening.",
            "{name} forgot to buy {vegetable}, so the {relative} went back to {shop}.",
            "The shopping list says: bread, milk, {fruit} and {vegetable}.",
            "{name} pays for {item} and puts it in a cloth bag.",
        ],
        ["garden"] =
        [
            "{name} waters the {plant} in the garden every {part}.",
            "In {season}, the {plant} grow quickly in the sun.",
            "The {relative} planted {vegetable} next to the fence.",
            "{name} picks {fruit} from the old tree in the garden.",
            "Snails like to eat the young {plant}.",
            "{name} cuts the grass on {day} when the weather is {weather}.",
        ],
        ["pets"] =
        [
            "{name} has a {animal} called {pet_name}.",
            "{pet_name} the {animal} sleeps by the window in the {part}.",
            "Every {part}, {name} feeds {pet_name} and gives it fresh water.",
            "The {animal} was {feeling} after a long walk in the park.",
            "{name} takes {pet_name} to the vet on {day}.",
        ],
        ["school"] =
        [
            "{name} has a {subject} lesson on {day} at {time}.",
            "The teacher asks {name} to read the {subject} homework aloud.",
            "After school, {name} goes to the library to study {subject}.",
            "{name} likes {subject} because the teacher explains things clearly.",
            "The class visits {place} to learn about the history of {city}.",
        ],
        ["work"] =
        [
            "{name} finishes {task} before the meeting on {day}.",
            "{colleague} asks {name} to check {task}.",
            "The team meets at {time} to plan the week.",
            "{name} works from home on {day} and goes to the office on the other days.",
            "After a long day at work, {name} feels {feeling}.",
        ],
        ["sport"] =
        [
            "{name} plays {sport} with friends on {day}.",
            "The {sport} match starts at {time} in the {part}.",
            "{name} goes {sport} to stay healthy, even when it is {weather}.",
            "The {relative} taught {name} how to play {sport}.",
        ],
    };
}
