// How sparse finetuning sets its learning rate (--finetune-schedule).
using SparseLab.Foundations;

namespace SparseLab.Studies;

public static class FinetuneSchedules
{
    public const string Rewind = "rewind";
    public const string LowLr = "low-lr";

    public static NameSet Names { get; } = new(Rewind, LowLr);
}
