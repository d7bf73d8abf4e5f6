# Sourced by tools/run-demo and tools/run-tests: when ccache is there
# (tools/install-deps installs it), compile through it, so that a second run,
# or a fresh clone anywhere on the same machine, compiles only what changed:
# paths are taken relative to the clone (CCACHE_BASEDIR) and the folder is
# left out of the hash (CCACHE_NOHASHDIR). Sets `launcher` to the cmake
# options to pass.
launcher=()
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
