#!/usr/bin/env bash
# Writes <product>/configuration-headless/config.ini: an Equinox configuration that starts only
# the bundles listed in headless-bundles.txt (beside this script), taken with their versions and
# start levels from the product's own bundles.info. The launcher script uses it for the headless
# commands. Run by the product module's package phase, after the product is materialized.
set -euo pipefail
product="$1"
list="$(dirname "${BASH_SOURCE[0]}")/headless-bundles.txt"
info="$product/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info"
[ -f "$info" ] || { echo "headless configuration: no $info" >&2; exit 1; }
framework="$(cd "$product/plugins" && ls -d org.eclipse.osgi_*.jar | head -1)"
[ -n "$framework" ] || { echo "headless configuration: no org.eclipse.osgi in $product/plugins" >&2; exit 1; }
bundles=()
while read -r name; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  # bundles.info: name,version,location,startLevel,autoStart
  line="$(grep -E "^${name//./\\.}," "$info" | head -1 || true)"
  [ -n "$line" ] || { echo "headless configuration: bundle $name is not in the product" >&2; exit 1; }
  IFS=, read -r _ _ location level auto <<<"$line"
  # relative to the framework's folder (plugins/), so the installation can move
  entry="reference:file:${location#plugins/}@$level"
  [ "$auto" = "true" ] && entry="${entry}:start"
  bundles+=("$entry")
done <"$list"
out="$product/configuration-headless"
rm -rf "$out"
mkdir -p "$out"
{
  echo "# Written by the product build (product/src/main/headless-config.sh): heron analyze/export"
  echo "osgi.bundles=$(IFS=,; echo "${bundles[*]}")"
  echo "osgi.bundles.defaultStartLevel=4"
  echo "osgi.framework=file:plugins/$framework"
  # not the workbench's configuration as a parent: it would install every bundle again
  echo "osgi.configuration.cascaded=false"
  echo "eclipse.application=heron.cli.app"
  echo "osgi.instance.area.default=@user.home/.heron/workspace"
} >"$out/config.ini"
echo "headless configuration: ${#bundles[@]} bundles in $out"
