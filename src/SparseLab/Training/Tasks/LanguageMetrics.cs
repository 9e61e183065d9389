// A language model's metrics from its mean next-token cross-entropy L (nats per
// token): bits per token = L / ln 2 (per character, for a byte-level model of
// ASCII text), and perplexity = e^L, the geometric-mean inverse probability
// of the true next token (Jurafsky & Martin, Speech and Language Processing,
// 3rd ed., §3.2.1).
namespace SparseLab.Training.Tasks;

public static class LanguageMetrics
{
    public static double BitsPerToken(double lossNats) => lossNats / Math.Log(2);

    public static double Perplexity(double lossNats) => Math.Exp(lossNats);
}
