#!/usr/bin/env bash
# Renders a bordercov man page (plain or gzipped) and checks it: no roff
# warnings, the NAME line, and a subsection for every command that
# `bordercov --help` lists, so a new command cannot be left out of the page.
#   check_man_page.sh MAN_PAGE BORDERCOV
set -euo pipefail
page="$1"
bordercov="$2"
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -s "$page" ] || fail "no man page at $page"

# man-db when there is one (it also checks the page the way users read it),
# else groff directly. Overstrikes (bold, underline) are removed either way.
rendered=$(mktemp)
warnings=$(mktemp)
trap 'rm -f "$rendered" "$warnings"' EXIT
if command -v man >/dev/null; then
  MANWIDTH=100 man --warnings -E UTF-8 -l "$page" 2>"$warnings" >"$rendered"
else
  case "$page" in *.gz) zcat "$page" ;; *) cat "$page" ;; esac |
    groff -man -Tutf8 -P-cbou -ww -rLL=100n 2>"$warnings" >"$rendered"
fi
sed -i 's/.\x08//g' "$rendered"
if [ -s "$warnings" ]; then
  cat "$warnings" >&2
  fail "roff warnings in $page"
fi

grep -q '^ *bordercov - coverage of the self-management of a national land border' "$rendered" ||
  fail "$page: no NAME line 'bordercov - coverage of ...'"
for section in NAME SYNOPSIS DESCRIPTION COMMANDS FILES EXAMPLES; do
  grep -qx "$section" "$rendered" || fail "$page: no section $section"
done

# The commands as the program lists them, under "Subcommands:" in --help.
mapfile -t commands < <("$bordercov" --help |
  sed -n '/^Subcommands:/,/^[^ ]/p' | sed -n 's/^  \([a-z][a-z0-9_-]*\)\( .*\)\{0,1\}$/\1/p')
[ "${#commands[@]}" -ge 5 ] || fail "'bordercov --help' lists ${#commands[@]} command(s), expected 5 or more"
# Usage lines name the program, not the path it was built at.
if grep -n '/bin/bordercov' "$rendered"; then
  fail "$page shows a path to the binary (above), not its name"
fi
for command in "${commands[@]}"; do
  # Each command is a subsection (".SS") holding its own --help.
  grep -qx "   $command" "$rendered" || fail "$page: no subsection for the command '$command'"
  grep -q "Usage: bordercov $command " "$rendered" || fail "$page: the command '$command' has no usage line"
done
echo "$page: renders without warnings; commands: ${commands[*]}"
