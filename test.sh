#!/usr/bin/env bash
# The test command: build everything and run the xunit suite.
set -uo pipefail
cd "$(dirname "$0")"
log=$(mktemp)
dotnet test SparseLab.sln -c Release --nologo "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
# One plain closing line for tools that read it: "tests: N passed, M failed".
summary=$(grep -E '(Passed|Failed)!' "$log" | tail -n 1)
passed=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.*Failed: *([0-9]+),.*/\1/p' <<<"$summary")
rm -f "$log"
[ -n "$passed" ] && echo "tests: ${passed} passed, ${failed:-0} failed"
exit "$rc"
