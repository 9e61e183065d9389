// Scales a layer width by the model's width multiplier the way Python's
// round(c * w) does (half to even), never below one unit.
namespace SparseLab.Models;

internal static class Widths
{
    public static int Scale(int baseWidth, double multiplier) =>
        Math.Max(1, (int)Math.Round(baseWidth * multiplier, MidpointRounding.ToEven));
}
