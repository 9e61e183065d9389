// A perfect noise predictor for one known clean image x_0 (1, C, H, W): from the packed (x_t, t) it returns
// ε̂ = (x_t − √ᾱ_t x_0)/√(1 − ᾱ_t), the ε that q(x_t | x_0) used. DDIM with it must land on x_0 exactly.
using SparseLab.Diffusion;
using TorchSharp;
using static TorchSharp.torch;

namespace SparseLab.Tests.Diffusion;

internal sealed class OracleDenoiser(Tensor x0, double[] alphaBar) : nn.Module<Tensor, Tensor>(nameof(OracleDenoiser))
{
    public int Calls { get; private set; }

    public bool SawTraining { get; private set; }

    public override Tensor forward(Tensor input)
    {
        Calls++;
        SawTraining |= training;
        using var scope = torch.NewDisposeScope();
        var (xt, t) = DiffusionInput.Unpack(input);                                                      // (B, C, H, W), (B)
        var bar = torch.tensor(t.data<long>().ToArray().Select(s => alphaBar[s - 1]).ToArray()).to(ScalarType.Float32).view(-1, 1, 1, 1);
        return ((xt - bar.sqrt() * x0) / (1 - bar).sqrt()).MoveToOuterDisposeScope();                    // (B, C, H, W)
    }
}
