#!/usr/bin/env bash
# The test command: build everything and run the xunit suite.
set -euo pipefail
cd "$(dirname "$0")"
dotnet test SparseLab.sln -c Release --nologo "$@"
