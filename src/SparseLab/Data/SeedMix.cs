// Derives independent generator seeds from (seed, epoch[, batch]) so any batch can be recomputed alone.
namespace SparseLab.Data;

internal static class SeedMix
{
    /// <summary>A well-mixed 64-bit seed from the parts (SplitMix64 finalizer applied after each part).</summary>
    public static ulong Mix(long seed, params ReadOnlySpan<long> parts)
    {
        ulong h = SplitMix((ulong)seed);
        foreach (long p in parts) h = SplitMix(h ^ SplitMix((ulong)p + 0x9E3779B97F4A7C15UL));
        // libtorch's CPU generator takes a 64-bit seed; keep it non-negative for any API that reads it as long.
        return h & 0x7FFF_FFFF_FFFF_FFFFUL;
    }

    // Steele, Lea & Flood, "Fast splittable pseudorandom number generators" (OOPSLA 2014).
    private static ulong SplitMix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
