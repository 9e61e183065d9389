// The few building blocks a study report is made of; Markdown and HTML each
// render them, so both files always say the same thing.
namespace SparseLab.Reporting;

public interface IReportWriter
{
    void Heading(int level, string text);
    void Paragraph(string text);
    void Bullets(IEnumerable<string> items);
    void Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows);
    /// <summary>An image file; relativePath is relative to the report's folder.</summary>
    void Image(string relativePath, string fullPath, string caption);
    string Render();
}
