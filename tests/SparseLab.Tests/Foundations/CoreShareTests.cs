// CoreShare decides libgomp's spin count (OpenMpWaitPolicy) from /proc: these
// pin its parsing against hand-written /proc texts and, end to end, that a
// SparseLab process started beside another one (this test process, which
// registered itself when the library loaded) spins little.
using System.Diagnostics;
using System.Text.Json.Nodes;
using SparseLab.Foundations;

namespace SparseLab.Tests.Foundations;

public class CoreShareTests
{
    [Fact]
    public void Allowed_cpus_expand_ranges_and_lists()
    {
        const string status = "Name:\tdotnet\nCpus_allowed:\tff\nCpus_allowed_list:\t0-2,5,7-8\nMems_allowed:\t1\n";
        Assert.Equal([0, 1, 2, 5, 7, 8], CoreShare.AllowedCpus(status).Order());
    }

    [Fact]
    public void Stat_fields_start_after_a_command_name_with_spaces_and_parentheses()
    {
        // Field 14 (utime) = 1200 and 15 (stime) = 34 follow a comm of "a (b) c".
        string stat = "4242 (a (b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 1200 34 0 0 20 0 3 0 987654 0 0";
        Assert.Equal("S", CoreShare.StatFields(stat)[0]);
        Assert.Equal(1234, CoreShare.OwnTicks(stat));
        Assert.Equal("987654", CoreShare.StatFields(stat)[19]);   // field 22, the start time
    }

    [Fact]
    public void Cpu_ticks_count_only_the_allowed_cpus_and_leave_idle_iowait_and_steal_out_of_busy()
    {
        const string stat = """
            cpu  1000 1000 1000 1000 1000 1000 1000 1000 0 0
            cpu0 10 1 2 100 7 3 4 50 0 0
            cpu1 20 2 4 200 14 6 8 100 0 0
            cpu2 999 999 999 999 999 999 999 999 0 0
            intr 1 2 3
            """;
        var (busy, total) = CoreShare.CpuTicks(stat, [0, 1]);
        Assert.Equal(10 + 1 + 2 + 3 + 4 + 20 + 2 + 4 + 6 + 8, busy);
        Assert.Equal(177 + 354, total);
    }

    [Fact]
    public void Others_busy_is_their_ticks_over_one_cpus_elapsed_ticks()
    {
        // Two CPUs for 10 ticks each (20 in all): 15 busy, 5 of them ours → 1.0 core of others.
        Assert.Equal(1.0, CoreShare.OthersBusy(busyTicks: 15, totalTicks: 20, cpus: 2, ownTicks: 5), 12);
        Assert.Equal(0.0, CoreShare.OthersBusy(busyTicks: 3, totalTicks: 20, cpus: 2, ownTicks: 5), 12);   // our ticks counted on other CPUs
        Assert.Equal(0.0, CoreShare.OthersBusy(busyTicks: 0, totalTicks: 0, cpus: 2, ownTicks: 0), 12);
    }

    [Fact]
    public void This_process_registered_itself_with_its_start_time()
    {
        string pid = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string file = Path.Combine(CoreShare.Folder, pid);
        Assert.True(File.Exists(file), $"{file} is missing");
        Assert.Equal(CoreShare.StatFields(File.ReadAllText($"/proc/{pid}/stat"))[19], File.ReadAllText(file).Trim());
    }

    [Fact]
    public void A_run_started_beside_another_SparseLab_process_spins_little_and_stale_registrations_are_removed()
    {
        // A registration left by a process that is gone (a start time no process has): ignored and removed.
        string stale = Path.Combine(CoreShare.Folder, "1");
        File.WriteAllText(stale, "-1");
        using var dir = new TempDir();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SparseLab.Cli.dll"));
        info.Environment.Remove("GOMP_SPINCOUNT");   // a user's setting would win over the policy
        info.Environment.Remove("OMP_WAIT_POLICY");
        foreach (var a in new[] { "train", "--dataset", "synthetic", "--model", "mlp", "--threads", "1", "--limit-train", "128", "--limit-test", "64", "--epochs", "1", "--out", dir.Path })
            info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err);
        string wait = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.Path, "config.json")))!["environment"]!["open_mp_wait"]!.GetValue<string>();
        // This test process is registered and on the same cores, so the child sees a SparseLab process (this one or another test's child).
        Assert.Matches(@"^GOMP_SPINCOUNT=300 \(SparseLab process \d+ runs on the same cores\)$", wait);
        Assert.False(File.Exists(stale), "the stale registration was not removed");
    }
}
