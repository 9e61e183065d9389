// Declares a config field once: its help text, and where the CLI and the
// canonical string need more than the field's own name (flag, value name,
// allowed names, the unit of a duration, the name it was hashed under, the
// other options it only matters with). ConfigSchema reads these; the CLI
// options, YAML keys, config.json, the run hash and the refusal of an option
// given where it would be ignored all come from them.
namespace SparseLab.Foundations;

[AttributeUsage(AttributeTargets.Property)]
public sealed class OptionAttribute(string help) : Attribute
{
    public string Help { get; } = help;

    /// <summary>The command-line flag; default "--" + the property name in kebab case (LimitTrain → --limit-train).</summary>
    public string? Flag { get; init; }

    /// <summary>The value's name in help (N, X, NAME, DIR); default from the type.</summary>
    public string? Value { get; init; }

    /// <summary>A registry type whose static <c>Names</c> (a <see cref="NameSet"/>) lists the values allowed.</summary>
    public Type? OneOf { get; init; }

    /// <summary>For a <see cref="Duration"/>: what a bare whole number counts (epochs, steps, or a fraction of the run).</summary>
    public DurationUnit Unit { get; init; } = DurationUnit.Steps;

    /// <summary>The name the field is hashed under when it differs from the property name (kept from the flat config).</summary>
    public string? HashName { get; init; }

    /// <summary>A bool flag that sets the field to false (--no-fisher for Fisher).</summary>
    public bool Negated { get; init; }

    /// <summary>A file or folder: made absolute when read from the command line, so the saved config means the same from anywhere.</summary>
    public bool IsPath { get; init; }

    /// <summary>Free text taken as typed, leading and trailing spaces included (a prompt); other values are trimmed.</summary>
    public bool Verbatim { get; init; }

    /// <summary>The field names a file or run: it is hashed by what it points at (ArtifactIdentity), not by its path.</summary>
    public ReferenceKind Reference { get; init; }

    /// <summary>
    /// What the field's value needs to be used at all: every condition must hold, or an option given without it is refused
    /// (it would be ignored). A condition is <c>Name</c> (true, given, not empty, not 0), <c>Name=a|b</c> (one of the values,
    /// or for a list: holds one of them; a name also matches its parameterized forms, sparsegpt matches sparsegpt:2:4),
    /// <c>Name!=a|b</c> or <c>Name&gt;X</c>; several joined by " or " are alternatives. Name is a field of the record
    /// that declares the condition, or of a record around it (the nearest wins: Methods is the study's). A condition on a
    /// field the config lacks, or that the command sets itself, does not apply there. See <see cref="Requirement"/>.
    /// </summary>
    public string[] Requires { get; init; } = [];

    /// <summary>What <see cref="Requires"/> asks for, in words, where the conditions alone would read badly in an error and in help.</summary>
    public string? RequiresWhy { get; init; }
}

/// <summary>
/// On a nested record (a section): every option in it needs these conditions too (<see cref="OptionAttribute.Requires"/>):
/// the study's curriculum settings need a curriculum arm in --methods.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SectionAttribute : Attribute
{
    public string[] Requires { get; init; } = [];
    public string? RequiresWhy { get; init; }
}

public enum ReferenceKind
{
    None,
    /// <summary>RUN (a run folder), RUN:NAME (one of its checkpoints) or FILE.</summary>
    Path,
    /// <summary>A name that may carry a reference: file:PATH[#COLUMN] or run:DIR[:CHECKPOINT]; other names stand for themselves.</summary>
    Prefixed,
}

/// <summary>Marks a config field that changes how a run executes, not what it computes: left out of the hash.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotHashedAttribute : Attribute;

/// <summary>A record of config fields nested in another (data, model, optimization, ...): owns its defaults and its checks.</summary>
public interface IConfigRecord
{
    /// <summary>Checks the record's own fields; throws <see cref="ConfigError"/> naming them.</summary>
    void Validate();
}
