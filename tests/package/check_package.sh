#!/usr/bin/env bash
# Makes the Debian package from the build folder's install rules (cpack,
# no second compile), checks its control data, then "installs" it into a
# fresh folder with dpkg-deb -x, as apt would under /, and runs bordercov
# from there on the installed sample, with its man page.
#   check_package.sh CPACK CPACK_CONFIG WORK_DIR VERSION
set -euo pipefail
cpack="$1"
config="$2"
work="$3"
version="$4"
here="$(cd "$(dirname "$0")" && pwd)"
fail() { echo "FAIL: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
if ! "$cpack" -G DEB --config "$config" -B "$work" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log" >&2
  fail "cpack -G DEB failed"
fi
shopt -s nullglob
debs=("$work"/bordercov_"$version"_*.deb)
[ "${#debs[@]}" -eq 1 ] || fail "expected one bordercov_${version}_<arch>.deb in $work, found ${#debs[@]}"
deb="${debs[0]}"
arch=$(dpkg --print-architecture)
[ "$(basename "$deb")" = "bordercov_${version}_${arch}.deb" ] || fail "file name $(basename "$deb")"
echo "package: $deb"

# Control data: name, version, section, and the shared libraries that
# dpkg-shlibdeps found, which make `apt install ./bordercov_*.deb` pull them in.
dpkg-deb -I "$deb" | sed -n '/^ [A-Z][A-Za-z-]*: /,$p'
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = bordercov ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version), expected $version"
[ "$(field Section)" = science ] || fail "Section: $(field Section)"
[ "$(field Maintainer)" = "bordercov developers" ] || fail "Maintainer: $(field Maintainer)"
depends=$(field Depends)
for lib in libgdal libproj libgeos-c libfmt libstdc++6 libc6; do
  [[ "$depends" == *"$lib"* ]] || fail "Depends names no $lib: $depends"
done

# Contents: the program, its man page, styles, sample and documentation;
# no library, header, test or benchmark.
contents=$(dpkg-deb -c "$deb" | awk '{print $NF}')
for path in ./usr/bin/bordercov ./usr/share/man/man1/bordercov.1.gz \
            ./usr/share/bordercov/geodata/gia-lai.gpkg ./usr/share/bordercov/geodata/README.md \
            ./usr/share/bordercov/qgis/segments.qml ./usr/share/bordercov/postgis/workspace.sql \
            ./usr/share/doc/bordercov/README.md \
            ./usr/share/doc/bordercov/docs/gia-lai-coverage.png \
            ./usr/share/locale/vi/LC_MESSAGES/bordercov.mo; do
  grep -qx -- "$path" <<<"$contents" || fail "the package has no $path"
done
if grep -E '\.(a|so[.0-9]*|h|hpp)$|/include/|_test$|_bench$|cmake/' <<<"$contents"; then
  fail "the package holds files it should not (above)"
fi

prefix="$work/root"
dpkg-deb -x "$deb" "$prefix"
bordercov="$prefix/usr/bin/bordercov"
if file "$bordercov" | grep -q 'not stripped'; then
  fail "the installed binary keeps its debug information: $(file "$bordercov")"
fi

out=$("$bordercov" --version)
echo "$out"
[[ "$out" == "bordercov $version "* ]] || fail "--version says '$out', expected 'bordercov $version ...'"

# The plan's own figures (geodata/README.md): 90.2 km of border, all of it
# covered on 2015-12-31; the 7 communes' border lengths add up to the same.
"$bordercov" coverage "$prefix/usr/share/bordercov/geodata/gia-lai.gpkg" --as-of 2015-12-31 --json \
  >"$work/coverage.json"
python3 - "$work/coverage.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
def near(a, b): return abs(a - b) < 0.0005
assert doc["as_of"] == "2015-12-31", doc["as_of"]
border_km = sum(line["length_km"] for line in doc["lines"])
uncovered_km = sum(line["uncovered_km"] for line in doc["lines"])
assert near(border_km, 90.2), f"border_km {border_km}, expected 90.2"
assert near(uncovered_km, 0.0), f"uncovered_km {uncovered_km}, expected 0"
assert doc["gaps"] == [], f"{len(doc['gaps'])} gap(s), expected none"
assert len(doc["communes"]) == 7, f"{len(doc['communes'])} communes, expected 7"
assert near(sum(c["border_km"] for c in doc["communes"]), 90.2)
print(f"coverage as of 2015-12-31: border_km {border_km:.3f}, uncovered_km {uncovered_km:.3f}")
PY

# The report in Vietnamese: the catalogue is found beside the installed
# binary (bin/../share/locale), not in the build folder.
env -u BORDERCOV_LOCALEDIR "$bordercov" report "$prefix/usr/share/bordercov/geodata/gia-lai.gpkg" \
  --as-of 2015-12-31 -o "$work/report" 2>/dev/null || fail "bordercov report failed"
grep -q '<h1>Tỉnh Gia Lai</h1>' "$work/report/index.html" || fail "the report is not in Vietnamese"

"$here/check_man_page.sh" "$prefix/usr/share/man/man1/bordercov.1.gz" "$bordercov"
echo "OK: $(basename "$deb") installs into a folder and runs from there"
