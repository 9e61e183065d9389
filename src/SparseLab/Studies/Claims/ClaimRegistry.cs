// The ledger's claims, in the order the ledger lists them.
using SparseLab.Foundations;

namespace SparseLab.Studies.Claims;

public static class ClaimRegistry
{
    public static IReadOnlyList<Claim> All { get; } =
    [
        new SameMaskGap(),
        new TwoRegimes(),
        new MonotonePath(),
        new SharperSolutions(),
        new Memorization(),
        new FixClosesGap(),
        new LotteryMatchesScratch(),
    ];

    public static NameSet Names { get; } = new([.. All.Select(c => c.Id)]);

    public static IReadOnlyList<Claim> Select(IEnumerable<string> ids)
    {
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        return [.. All.Where(c => wanted.Contains(c.Id))];
    }
}
