#!/bin/sh
# A stand-in for Electron's binary, which cannot be downloaded here. Like
# Electron, it runs Node only when ELECTRON_RUN_AS_NODE=1 is set; otherwise
# Electron would start the GUI app, which this machine cannot show, so it
# says so and fails. Its Node is the copy beside it (node-runtime), as
# Electron's Node is inside its own binary: no system node is involved.
if [ "${ELECTRON_RUN_AS_NODE:-}" = 1 ]; then
  exec "$(dirname "$(readlink -f "$0")")/node-runtime" "$@"
fi
echo "electron stand-in: Electron would start its GUI here; set ELECTRON_RUN_AS_NODE=1 to run Node" >&2
exit 1
