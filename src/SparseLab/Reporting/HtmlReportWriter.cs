// Renders report blocks as one self-contained HTML page: inline CSS, figures
// embedded as base64 data URIs, no scripts and no external resources, so the
// file opens offline and can be mailed on its own. All text is HTML-escaped.
using System.Net;
using System.Text;

namespace SparseLab.Reporting;

public sealed class HtmlReportWriter(string title) : IReportWriter
{
    private const string Css =
        "body{font-family:system-ui,sans-serif;max-width:1250px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}" +
        "table{border-collapse:collapse;margin:0.5em 0 1.5em}th,td{border:1px solid #ccc;padding:0.3em 0.7em;text-align:left}" +
        "th{background:#f2f2f2}td{font-variant-numeric:tabular-nums}img{max-width:100%;border:1px solid #ddd}" +
        "figure{margin:1em 0 2em}figcaption{color:#555;font-size:0.95em}";

    private readonly StringBuilder _body = new();

    public void Heading(int level, string text)
    {
        int h = Math.Clamp(level, 1, 6);
        _body.Append($"<h{h}>").Append(Escape(text)).Append($"</h{h}>\n");
    }

    public void Paragraph(string text) => _body.Append("<p>").Append(Escape(text)).Append("</p>\n");

    public void Bullets(IEnumerable<string> items)
    {
        _body.Append("<ul>\n");
        foreach (var item in items) _body.Append("<li>").Append(Escape(item)).Append("</li>\n");
        _body.Append("</ul>\n");
    }

    public void Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        _body.Append("<table>\n<thead><tr>");
        foreach (var h in header) _body.Append("<th>").Append(Escape(h)).Append("</th>");
        _body.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            _body.Append("<tr>");
            foreach (var cell in row) _body.Append("<td>").Append(Escape(cell)).Append("</td>");
            _body.Append("</tr>\n");
        }
        _body.Append("</tbody>\n</table>\n");
    }

    public void Image(string relativePath, string fullPath, string caption)
    {
        string data = Convert.ToBase64String(File.ReadAllBytes(fullPath));
        _body.Append("<figure><img alt=\"").Append(Escape(caption)).Append("\" src=\"data:image/png;base64,").Append(data)
             .Append("\"><figcaption>").Append(Escape(caption)).Append("</figcaption></figure>\n");
    }

    public string Render() =>
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + Escape(title) + "</title>\n" +
        "<style>" + Css + "</style>\n</head>\n<body>\n" + _body + "</body>\n</html>\n";

    public static string Escape(string text) => WebUtility.HtmlEncode(text);
}
