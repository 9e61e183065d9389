// The curvature companions of one network (METHODS §6): top Hessian
// eigenvalue, Hessian trace and mean input-Jacobian Frobenius norm, with the
// number of training examples they were measured on.
namespace SparseLab.Information;

/// <param name="TopEigenvalue">Rayleigh quotient of the last power-iteration vector (the eigenvalue of largest magnitude).</param>
/// <param name="HessianTrace">Hutchinson estimate E[vᵀHv] over Rademacher v.</param>
/// <param name="JacobianNorm">Mean over examples of ‖∂f(x)/∂x‖_F, f the logits and x the normalized input.</param>
/// <param name="Samples">Training examples that defined the loss.</param>
public sealed record Curvature(double TopEigenvalue, double HessianTrace, double JacobianNorm, int Samples);
