#!/usr/bin/env bash
# Checks, against the materialized product, that a third-party plug-in dropped into dropins/
# is picked up without rebuilding Heron: the example Ollama decoder's calls appear with wire API
# "ollama"; without it the same exchanges stay plain HTTP. Run by the product module's verify.
set -euo pipefail
product="$1"; plugin_jar="$2"; capture="$3"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -a "$product" "$work/heron"
count() { grep -c '"wire_api" : "ollama"' || true; }
without=$("$work/heron/heron" analyze --json "$capture" -data "$work/ws1" | count)
cp "$plugin_jar" "$work/heron/dropins/"
with=$("$work/heron/heron" analyze --json "$capture" -data "$work/ws2" | count)
echo "dropins check: ollama calls without the plug-in: $without, with it in dropins/: $with"
if [ "$without" -ne 0 ] || [ "$with" -lt 1 ]; then
  echo "dropins check FAILED" >&2
  exit 1
fi
