#!/bin/sh
# deb postrm: on remove or purge, take out what the helper's installer added
# (the helper, its polkit action, the unit and its instances). An upgrade
# keeps them: the new version's postinst replaces the helper in place.
set -e
case "$1" in
  remove|purge) if [ -x /opt/wiredesk-helper/uninstall ]; then /opt/wiredesk-helper/uninstall; fi ;;
esac
