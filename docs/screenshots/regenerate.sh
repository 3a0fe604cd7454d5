#!/usr/bin/env bash
# Regenerates docs/screenshots/*.png (one per screen, plus dark.png, plus the upgrade wizard's pages from
# UpgradeWizardTest's real 13 -> 15 run) from a headless run (Monocle):
#   docs/screenshots/regenerate.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
./mvnw -q -B -pl app -am test -Dtest=ScreenshotsTest,UpgradeWizardTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dmsyspg.screenshots.dir="$root/docs/screenshots"
ls -1 "$root"/docs/screenshots/*.png
