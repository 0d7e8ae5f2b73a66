namespace Whetstone.Measurement.Tests;

public sealed class MachineFactsTest
{
    private const string SapphireRapids = """
        processor	: 0
        vendor_id	: GenuineIntel
        model name	: Intel(R) Xeon(R) Platinum 8480+
        flags		: fpu vme sse sse2 avx avx2 fma avx512f avx512dq avx512_vnni avx512_bf16 amx_bf16 amx_tile amx_int8

        processor	: 1
        model name	: Intel(R) Xeon(R) Platinum 8480+
        flags		: fpu vme sse sse2 avx avx2 fma avx512f avx512dq avx512_vnni avx512_bf16 amx_bf16 amx_tile amx_int8
        """;

    private const string Epyc = """
        processor	: 0
        model name	: AMD EPYC 7B13
        flags		: fpu sse sse2 avx avx2 fma bmi2
        """;

    [Fact]
    public void Cpuinfo_of_a_sapphire_rapids_shows_avx512_vnni_and_amx()
    {
        var facts = MachineFacts.Parse(SapphireRapids, "0.50 1.25 2.00 1/200 42\n", logicalCores: 2, threads: 1);

        Assert.Equal("Intel(R) Xeon(R) Platinum 8480+", facts.CpuModel);
        Assert.True(facts.Avx2 && facts.Avx512F && facts.Avx512Vnni && facts.Amx);
        Assert.Equal([0.5, 1.25, 2.0], facts.LoadAverage);
    }

    [Fact]
    public void Cpuinfo_without_avx512_shows_only_avx2()
    {
        var facts = MachineFacts.Parse(Epyc, "", logicalCores: 2, threads: 2);

        Assert.Equal("AMD EPYC 7B13", facts.CpuModel);
        Assert.True(facts.Avx2);
        Assert.False(facts.Avx512F || facts.Avx512Vnni || facts.Amx);
        Assert.Empty(facts.LoadAverage);
        Assert.Contains("-AMX", facts.Describe(), StringComparison.Ordinal);
    }
}
