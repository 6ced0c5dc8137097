#!/bin/sh
# deb postinst: put the polkit policy where polkitd reads it. The systemd
# unit is installed only when the user asks for it in the app (Settings >
# Install helper service), so nothing runs as root unless asked.
set -e
install -D -m 0644 "/opt/WireDesk/resources/polkit/dev.wiredesk.helper.policy" /usr/share/polkit-1/actions/dev.wiredesk.helper.policy
