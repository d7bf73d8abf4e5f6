#!/usr/bin/env bash
# Every message of the sources has a Vietnamese translation in po/vi.po that
# is neither empty nor fuzzy: the strings are extracted afresh with xgettext
# (as the bordercov_pot target does) and msgcmp compares them with po/vi.po.
#   check_catalogue.sh SOURCE_DIR XGETTEXT MSGCMP OPTIONS... -- SOURCES...
set -euo pipefail
src=$1 xgettext=$2 msgcmp=$3
shift 3
options=()
while [ "$1" != "--" ]; do options+=("$1"); shift; done
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$src"
"$xgettext" "${options[@]}" --output="$work/fresh.pot" "$@"
if ! "$msgcmp" po/vi.po "$work/fresh.pot"; then
  echo "po/vi.po lacks the translations above: run cmake --build build --target bordercov_pot," >&2
  echo "then translate the new messages in po/vi.po." >&2
  exit 1
fi
echo "OK: every message has its Vietnamese translation"
