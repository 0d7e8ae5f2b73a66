namespace Whetstone.Operator.Preflight;

/// <summary>Event reasons of the preflight check (failures and waits use their condition reason as event reason).</summary>
public static class PreflightEventReasons
{
    /// <summary>The inputs and the output of a generation were checked and the first worker pod may start.</summary>
    public const string PreflightPassed = "PreflightPassed";
}
