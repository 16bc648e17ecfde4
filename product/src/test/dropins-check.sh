#!/usr/bin/env bash
# Checks, against the materialized product, the plug-in story: the example Ollama decoder, shipped
# pre-installed in dropins/, is picked up (its calls appear with wire API "ollama"), and once its
# jar is removed from dropins/ the same exchanges stay plain HTTP, without rebuilding Heron; a copy
# of the installation made after it ran uses the copy's dropins/.
# heron analyze runs through the launcher script, so this also checks the headless configuration
# (configuration-headless/) starts everything analyze needs. Run by the product module's verify.
set -euo pipefail
product="$1"; plugin_jar="$2"; capture="$3"
[ -f "$product/dropins/$plugin_jar" ] || { echo "dropins check FAILED: $plugin_jar is not in dropins/" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -a "$product" "$work/heron"
count() { grep -c '"wire_api" : "ollama"' || true; }
with=$("$work/heron/heron" analyze --json "$capture" -data "$work/ws1" | count)
# an installation copied elsewhere after it ran takes its own dropins/, without complaint
cp -a "$work/heron" "$work/moved"
moved=$("$work/moved/heron" analyze --json "$capture" -data "$work/ws3" 2>"$work/moved.err" | count)
if grep -q "cannot be installed" "$work/moved.err" || [ "$moved" -lt 1 ]; then
  echo "dropins check FAILED: the copied installation found $moved ollama calls:" >&2
  cat "$work/moved.err" >&2
  exit 1
fi
rm "$work/heron/dropins/$plugin_jar"
without=$("$work/heron/heron" analyze --json "$capture" -data "$work/ws2" | count)
# heron analyze ran through the headless configuration (its caches are written there)
[ -d "$work/heron/configuration-headless/org.eclipse.osgi" ] || { echo "dropins check FAILED: heron analyze did not use configuration-headless/" >&2; exit 1; }
echo "dropins check: ollama calls with the shipped plug-in: $with (in a copy of the installation: $moved), with it removed from dropins/: $without"
if [ "$without" -ne 0 ] || [ "$with" -lt 1 ]; then
  echo "dropins check FAILED" >&2
  exit 1
fi
