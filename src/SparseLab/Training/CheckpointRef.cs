// Resolves what users type for a checkpoint: a run folder (its final
// checkpoint), RUN:NAME (checkpoints/NAME.ckpt, e.g. RUN:init), or a file.
using SparseLab.Foundations;

namespace SparseLab.Training;

public static class CheckpointRef
{
    /// <param name="option">How errors name where the reference came from (an option, or a ConfigError field reference).</param>
    public static string Resolve(string text, string option)
    {
        if (File.Exists(text)) return text;
        string run = text, name = "final";
        int colon = text.LastIndexOf(':');
        if (colon > 0 && !Directory.Exists(text))
            (run, name) = (text[..colon], text[(colon + 1)..]);
        if (!Directory.Exists(run))
            throw new ConfigError($"{option} '{text}': no such run folder or checkpoint file");
        var folder = new RunFolder(run);
        string file = folder.CheckpointFile(name);
        if (!File.Exists(file))
        {
            throw new ConfigError($"{option} '{text}': checkpoint '{name}' does not exist in {folder.Path} (it has: {folder.CheckpointNames()})");
        }
        return file;
    }

    /// <summary>The run folder a checkpoint reference points into, if any.</summary>
    public static RunFolder? RunOf(string text)
    {
        int colon = text.LastIndexOf(':');
        string run = colon > 0 && !Directory.Exists(text) && !File.Exists(text) ? text[..colon] : text;
        return Directory.Exists(run) ? new RunFolder(run) : null;
    }
}
