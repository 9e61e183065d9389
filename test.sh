#!/usr/bin/env bash
# The test command: build everything and run the xunit suite.
#   ./test.sh          every test (the README's test command; CI runs it)
#   ./test.sh --fast   all but the slow ones (kill-and-resume, real-data training,
#                      studies, the criterion x budget grid): under a minute on 2 cores
# Other arguments go to `dotnet test` (e.g. --filter FullyQualifiedName~Yaml).
set -uo pipefail
cd "$(dirname "$0")"
args=()
for a in "$@"; do
  if [ "$a" = --fast ]; then args+=(--filter "Category!=Slow"); else args+=("$a"); fi
done
log=$(mktemp)
dotnet test SparseLab.sln -c Release --nologo "${args[@]}" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
# One plain closing line for tools that read it: "tests: N passed, M failed".
summary=$(grep -E '(Passed|Failed)!' "$log" | tail -n 1)
passed=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.*Failed: *([0-9]+),.*/\1/p' <<<"$summary")
rm -f "$log"
[ -n "$passed" ] && echo "tests: ${passed} passed, ${failed:-0} failed"
exit "$rc"
