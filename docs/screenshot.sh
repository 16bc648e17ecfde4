#!/usr/bin/env bash
# Refreshes docs/images/workbench.png: runs the UI tests (under Xvfb when there is no display),
# whose last step leaves a screenshot of the workbench on testdata/cc-turn-2tools.pcap.
set -euo pipefail
cd "$(dirname "$0")/.."
run=(./mvnw -B -q verify)
[ -n "${DISPLAY:-}" ] || run=(xvfb-run -a -s "-screen 0 1600x1000x24" "${run[@]}")
"${run[@]}"
cp bundles/heron.ui.tests/target/screenshots/workbench.png docs/images/workbench.png
[ -f bundles/heron.ui.tests/target/screenshots/timeline.png ] && cp bundles/heron.ui.tests/target/screenshots/timeline.png docs/images/timeline.png
echo "docs/images/workbench.png updated"
