#!/bin/sh
# deb postrm: stop and remove what the app or the package installed.
set -e
if [ -f /etc/systemd/system/wiredesk-helper.service ]; then
  systemctl disable --now wiredesk-helper.service >/dev/null 2>&1 || true
  rm -rf /etc/systemd/system/wiredesk-helper.service /etc/systemd/system/wiredesk-helper.service.d
  systemctl daemon-reload >/dev/null 2>&1 || true
fi
rm -f /usr/share/polkit-1/actions/dev.wiredesk.helper.policy
