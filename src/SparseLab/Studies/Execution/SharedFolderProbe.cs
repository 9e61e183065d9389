// Before a study submits its runs: one tiny job must read a marker file the
// study just wrote into its folder and write it back. Tasks read their run
// files and write their run folders there, so a folder the nodes cannot see
// (a laptop's /tmp, a node-local disk) is refused with a clear error before
// any run is submitted, instead of every task failing on its own.
using SparseLab.Foundations;

namespace SparseLab.Studies.Execution;

public static class SharedFolderProbe
{
    public static void Check(SlurmClient client, string studyDir, string slurmDir, ExecutionConfig x, TimeSpan patience, Action<string> message)
    {
        Directory.CreateDirectory(slurmDir);
        string token = Guid.NewGuid().ToString("N");
        string marker = Path.Combine(slurmDir, "shared-marker.txt"), answer = marker + ".read";
        File.Delete(answer);
        AtomicFile.WriteAllText(marker, token + "\n");
        var batch = new SlurmBatch("probe", [$"/bin/cp {SlurmBatch.Quote(marker)} {SlurmBatch.Quote(answer)}"], null);
        var args = batch.Prepare(studyDir, slurmDir, x with { SlurmGpus = null, SlurmMem = null }, 1, out string script);
        string job = client.Submit(args, script);
        message($"[slurm] checking that the nodes see {studyDir} (job {job})");
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            bool queued = client.Queue().ContainsKey($"{job}_0");
            if (Read(answer) == token) return;
            if (!queued)
            {
                System.Threading.Thread.Sleep(500);   // a file written just before the job left the queue
                if (Read(answer) == token) return;
                throw new SparseLabException(
                    $"the study folder {studyDir} is not on a filesystem the Slurm nodes share: a probe job ({job}) could not read {marker} " +
                    $"(its log: {SlurmBatch.LogOf(slurmDir, "probe", job, 0)}); give --out a folder on a shared filesystem (NFS, Lustre, ...)");
            }
            if (DateTime.UtcNow > deadline)
            {
                client.Cancel([job]);
                throw new SparseLabException(
                    $"the probe job {job}, which checks that the nodes see {studyDir}, did not run within {patience.TotalMinutes:0} minutes; " +
                    "is the partition busy or down (sinfo)? Nothing else was submitted");
            }
            System.Threading.Thread.Sleep(300);
        }
    }

    private static string? Read(string file)
    {
        try
        {
            return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
