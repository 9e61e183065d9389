// The registry builds every listed criterion and explains unknown names.
using SparseLab.Foundations;
using SparseLab.Sparsity.Criteria;

namespace SparseLab.Tests.Sparsity.Criteria;

public sealed class CriterionRegistryTests
{
    [Fact]
    public void GivenEveryListedName_WhenCreating_ThenTheCriterionCarriesThatName()
    {
        foreach (var name in CriterionRegistry.Names)
        {
            var criterion = CriterionRegistry.Create(name);
            Assert.Equal(name, criterion.Name);
            Assert.False(string.IsNullOrWhiteSpace(criterion.Description));
        }
        Assert.Equal("nm:1:8", CriterionRegistry.Create("nm:1:8").Name);
        Assert.Equal(["snip", "grasp", "fisher", "wanda"], CriterionRegistry.Names.Where(n => CriterionRegistry.Create(n).NeedsData));
    }

    [Fact]
    public void GivenAnUnknownName_WhenCreating_ThenTheErrorListsTheValidOnes()
    {
        var error = Assert.ThrowsAny<InvalidOptionException>(() => CriterionRegistry.Create("obd"));

        Assert.Equal(2, error.ExitCode);
        foreach (var name in new[] { "'obd'", "magnitude", "random", "snip", "grasp", "synflow", "fisher", "wanda", "nm:N:M" })
            Assert.Contains(name, error.Message);
    }
}
