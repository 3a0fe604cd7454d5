#!/usr/bin/env bash
# Regenerates docs/screenshots/*.png (one per screen, plus dark.png) from a headless run (Monocle):
#   docs/screenshots/regenerate.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
./mvnw -q -B -pl app -am test -Dtest=ScreenshotsTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dmsyspg.screenshots.dir="$root/docs/screenshots"
ls -1 "$root"/docs/screenshots/*.png
