#!/usr/bin/env bash
# Puts the `weft` command on the PATH in one step: packs src/Weft.Cli as a .NET tool into
# .artifacts/packages and installs it globally (~/.dotnet/tools), replacing an earlier install.
#   scripts/install-weft.sh                    # global: then `weft --version` works in any shell
#   scripts/install-weft.sh --tool-path DIR    # into DIR instead (DIR/weft), e.g. for CI or a test
# Each pack gets its own version (0.1.0-dev.<UTC timestamp>) so NuGet's cache never hands back an
# older build of the same version. The pack makes three packages (Weft.Cli.csproj): `weft`, which names
# the platforms, `weft.linux-x64` (precompiled, ReadyToRun) and `weft.any` (IL, any other platform);
# `dotnet tool install weft` installs the one for this machine.
set -euo pipefail
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
cd "$(dirname "${BASH_SOURCE[0]}")/.."

where=(--global)
if [[ "${1:-}" == "--tool-path" ]]; then
    [[ -n "${2:-}" ]] || { echo "usage: $0 [--tool-path DIR]" >&2; exit 2; }
    mkdir -p "$2"
    where=(--tool-path "$2")
elif [[ -n "${1:-}" ]]; then
    echo "usage: $0 [--tool-path DIR]" >&2
    exit 2
fi

version="0.1.0-dev.$(date -u +%Y%m%d%H%M%S)"
feed=.artifacts/packages
echo "=== packing weft $version into $feed ==="
# Its own build folders (--artifacts-path): the stamped version rebuilds every assembly, and that must
# not overwrite src/*/bin while a test suite or a running weft uses them.
dotnet pack src/Weft.Cli -c Release -o "$feed" -p:Version="$version" --artifacts-path .artifacts/build --nologo -v quiet

dotnet tool uninstall "${where[@]}" weft >/dev/null 2>&1 || true
echo "=== installing weft $version (${where[*]}) ==="
dotnet tool install "${where[@]}" weft --version "$version" --add-source "$feed"

if [[ "${where[0]}" == "--global" ]] && ! command -v weft >/dev/null 2>&1; then
    echo
    echo "weft is installed in $HOME/.dotnet/tools, which is not on your PATH. Add it:"
    echo "  export PATH=\"\$PATH:\$HOME/.dotnet/tools\""
fi
