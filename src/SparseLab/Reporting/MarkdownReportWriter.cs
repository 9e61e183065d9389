// Renders report blocks as CommonMark with pipe tables; text is escaped so a
// method or key name cannot open a tag, a table cell or emphasis.
using System.Text;

namespace SparseLab.Reporting;

public sealed class MarkdownReportWriter : IReportWriter
{
    private readonly StringBuilder _out = new();

    public void Heading(int level, string text) =>
        _out.Append('#', Math.Clamp(level, 1, 6)).Append(' ').Append(Escape(text)).Append("\n\n");

    public void Paragraph(string text) => _out.Append(Escape(text)).Append("\n\n");

    public void Bullets(IEnumerable<string> items)
    {
        foreach (var item in items) _out.Append("- ").Append(Escape(item)).Append('\n');
        _out.Append('\n');
    }

    public void Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        _out.Append("| ").AppendJoin(" | ", header.Select(Escape)).Append(" |\n");
        _out.Append('|').AppendJoin('|', header.Select(_ => " --- ")).Append("|\n");
        foreach (var row in rows) _out.Append("| ").AppendJoin(" | ", row.Select(Escape)).Append(" |\n");
        _out.Append('\n');
    }

    public void Image(string relativePath, string fullPath, string caption) =>
        _out.Append("![").Append(Escape(caption)).Append("](").Append(relativePath.Replace(" ", "%20")).Append(")\n\n")
            .Append('*').Append(Escape(caption)).Append("*\n\n");

    public string Render() => _out.ToString();

    /// <summary>Backslash-escapes the ASCII punctuation Markdown would interpret, and keeps text on one line.</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '|' or '#') sb.Append('\\');
            sb.Append(c is '\n' or '\r' ? ' ' : c);
        }
        return sb.ToString();
    }
}
