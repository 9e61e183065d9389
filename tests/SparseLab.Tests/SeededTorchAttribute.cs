// Every test starts from the same libtorch global seed, so a test that builds a
// model without seeding it still sees the same weights on every run.
using System.Reflection;
using Xunit.Sdk;

namespace SparseLab.Tests;

[AttributeUsage(AttributeTargets.Assembly)]
public sealed class SeededTorchAttribute : BeforeAfterTestAttribute
{
    public override void Before(MethodInfo methodUnderTest) => TorchSharp.torch.manual_seed(20261202);
}
