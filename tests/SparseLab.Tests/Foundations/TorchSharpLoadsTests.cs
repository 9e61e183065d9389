// Proves libtorch loads on this system, including Debian 12 whose libstdc++
// lacks GLIBCXX_3.4.32 (build/patch-libtorchsharp.sh).
using TorchSharp;

namespace SparseLab.Tests.Foundations;

public sealed class TorchSharpLoadsTests
{
    [Fact]
    public void Given_the_build_output_When_a_tensor_is_computed_Then_libtorch_answers()
    {
        using var a = torch.tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using var b = a.matmul(a);
        Assert.Equal(new float[] { 7, 10, 15, 22 }, b.data<float>().ToArray());
    }

    [Fact]
    public void Given_a_libstdcxx_without_GLIBCXX_3_4_32_When_built_Then_the_shim_is_patched_beside_its_stub()
    {
        string native = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
        string shim = Path.Combine(native, "libLibTorchSharp.so");
        Assert.True(File.Exists(shim), $"missing {shim}");
        bool systemHasVersion = new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6" }
            .Where(File.Exists).Any(p => ContainsAscii(File.ReadAllBytes(p), "GLIBCXX_3.4.32"));
        if (systemHasVersion)
        {
            // Newer systems need no patch: the build must leave TorchSharp's shim as shipped (it names no stub).
            Assert.False(ContainsAscii(File.ReadAllBytes(shim), "libsparselab_iosinit.so"), "the shim was patched on a system that needs no patch");
            return;
        }
        Assert.True(ContainsAscii(File.ReadAllBytes(shim), "libsparselab_iosinit.so"), "the shim does not name the stub library");
        Assert.True(File.Exists(Path.Combine(native, "libsparselab_iosinit.so")));
    }

    private static bool ContainsAscii(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(needle)) >= 0;
}
