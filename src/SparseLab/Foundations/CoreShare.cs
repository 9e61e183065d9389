// Whether this process starts on cores that other work is using: another
// SparseLab process whose CPUs overlap ours (each registers itself, for its
// lifetime, in a folder of the temp directory), or other processes that kept
// at least half a core of ours busy over a short sample of /proc/stat. Read
// once, before libtorch loads, to choose libgomp's spin count
// (OpenMpWaitPolicy): two processes that both spin on the same cores fall to
// a few percent of their solo speed, one that spins beside one that does not
// both keep about half (bench/RESULTS.md, "Thread policy"). Registering
// before looking means that of two runs started together at least the later
// one sees the earlier. Linux only; anything unreadable counts as free cores.
using System.Globalization;

namespace SparseLab.Foundations;

internal static class CoreShare
{
    /// <summary>Other processes' use of our cores, in cores, from which they count as busy.</summary>
    public const double BusyCores = 0.5;

    public static readonly TimeSpan Sample = TimeSpan.FromMilliseconds(100);

    internal static string Folder => Path.Combine(Path.GetTempPath(), $"sparselab-{Environment.UserName}", "running");

    /// <summary>Registers this process and says why its cores are shared, or null when they look free.</summary>
    public static string? Check()
    {
        try
        {
            var mine = AllowedCpus(File.ReadAllText("/proc/self/status"));
            Register();
            if (OtherSparseLab(mine) is int pid) return $"SparseLab process {pid} runs on the same cores";
            double others = OthersBusy(mine, Sample);
            return others >= BusyCores ? $"other processes kept {others:0.0} of its cores busy" : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The CPUs of a /proc/PID/status text's Cpus_allowed_list ("0-3,6").</summary>
    public static HashSet<int> AllowedCpus(string status)
    {
        string list = status.Split('\n').First(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))["Cpus_allowed_list:".Length..].Trim();
        var cpus = new HashSet<int>();
        foreach (var range in list.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var ends = range.Split('-');
            int first = int.Parse(ends[0], CultureInfo.InvariantCulture), last = int.Parse(ends[^1], CultureInfo.InvariantCulture);
            for (int c = first; c <= last; c++) cpus.Add(c);
        }
        return cpus;
    }

    /// <summary>A /proc/PID/stat text's fields after the command name (which may hold spaces): [0] is field 3, the state.</summary>
    public static string[] StatFields(string stat) => stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

    private static string StartTime(string pid) => StatFields(File.ReadAllText($"/proc/{pid}/stat"))[19];   // field 22

    private static void Register()
    {
        Directory.CreateDirectory(Folder);
        string pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture), file = Path.Combine(Folder, pid);
        File.WriteAllText(file, StartTime(pid));
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
    }

    // A live registered SparseLab process (not a reused pid: its start time matches) whose CPUs overlap ours; every stale file seen is removed.
    private static int? OtherSparseLab(HashSet<int> mine)
    {
        int? found = null;
        foreach (var file in Directory.EnumerateFiles(Folder))
        {
            string pid = Path.GetFileName(file);
            if (pid == Environment.ProcessId.ToString(CultureInfo.InvariantCulture) || !int.TryParse(pid, out int id)) continue;
            try
            {
                if (StartTime(pid) == File.ReadAllText(file).Trim())
                {
                    if (found is null && AllowedCpus(File.ReadAllText($"/proc/{pid}/status")).Overlaps(mine)) found = id;
                    continue;
                }
            }
            catch (IOException) { }   // gone between the listing and the read
            try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        return found;
    }

    /// <summary>Cores' worth of time other processes spent on our CPUs over <paramref name="window"/>.</summary>
    private static double OthersBusy(HashSet<int> mine, TimeSpan window)
    {
        var (busy0, total0) = CpuTicks(File.ReadAllText("/proc/stat"), mine);
        long self0 = OwnTicks(File.ReadAllText("/proc/self/stat"));
        Thread.Sleep(window);
        var (busy1, total1) = CpuTicks(File.ReadAllText("/proc/stat"), mine);
        long self1 = OwnTicks(File.ReadAllText("/proc/self/stat"));
        return OthersBusy(busy1 - busy0, total1 - total0, mine.Count, self1 - self0);
    }

    /// <summary>Others' busy ticks over the ticks one CPU counted: (busy − ours) / (total / CPUs).</summary>
    public static double OthersBusy(long busyTicks, long totalTicks, int cpus, long ownTicks) =>
        totalTicks <= 0 ? 0 : Math.Max(0, busyTicks - ownTicks) / ((double)totalTicks / cpus);

    /// <summary>Busy (user, nice, system, irq, softirq; not idle, iowait or the hypervisor's steal) and all ticks of the given CPUs in a /proc/stat text.</summary>
    public static (long Busy, long Total) CpuTicks(string procStat, HashSet<int> cpus)
    {
        long busy = 0, total = 0;
        foreach (var line in procStat.Split('\n'))
        {
            if (!line.StartsWith("cpu", StringComparison.Ordinal) || line.Length < 4 || !char.IsDigit(line[3])) continue;
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (!cpus.Contains(int.Parse(f[0].AsSpan(3), CultureInfo.InvariantCulture))) continue;
            var t = f.Skip(1).Take(8).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            busy += t[0] + t[1] + t[2] + t[5] + t[6];
            total += t.Sum();
        }
        return (busy, total);
    }

    /// <summary>This process's user and system ticks (fields 14 and 15 of /proc/self/stat).</summary>
    public static long OwnTicks(string stat)
    {
        var f = StatFields(stat);
        return long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
    }
}
