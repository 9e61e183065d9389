// The training cost of a run in forward multiply-accumulates of the Conv and Linear layers:
// 3 forwards per example seen (a forward and a backward that costs two; Evci et al. 2020 §4
// count FLOPs the same way), at the run's final density, plus what its curriculum spent on
// reference runs and scoring (curriculum.json). The study prices finetuning with its dense run.
using SparseLab.Curriculum;
using SparseLab.Foundations;
using SparseLab.Training;

namespace SparseLab.Studies;

public static class TrainingCost
{
    public static double Of(RunFolder run, TrainingSummary summary, int batchSize)
    {
        double training = 3.0 * summary.Steps * batchSize * (summary.Sparsity > 0 ? summary.FlopsSparse : summary.FlopsDense);
        string file = Path.Combine(run.Path, CurriculumRecord.FileName);
        if (!File.Exists(file)) return training;
        var record = Json.Deserialize<CurriculumRecord>(File.ReadAllText(file));
        return training + record.Scorings.Sum(s => s.Flops) + record.ReferenceRuns.Sum(r => r.Flops);
    }
}
