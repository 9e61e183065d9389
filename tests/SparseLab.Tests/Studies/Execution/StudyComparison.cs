// What "the same numbers" means for two study.json files: everything but the
// machine they ran on and how long each run took.
using System.Text.Json.Nodes;

namespace SparseLab.Tests.Studies.Execution;

internal static class StudyComparison
{
    public static string Numbers(string studyDir)
    {
        var doc = JsonNode.Parse(File.ReadAllText(Path.Combine(studyDir, "study.json")))!.AsObject();
        doc.Remove("environment");
        Strip(doc);
        return doc.ToJsonString();
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                o.Remove("wall_seconds");
                foreach (var (_, v) in o) Strip(v);
                break;
            case JsonArray a:
                foreach (var v in a) Strip(v);
                break;
        }
    }
}
