# Sourced by scripts/demo and scripts/test: installs the Debian packages Trajectory builds
# against when they are missing. Root (or passwordless sudo) is needed only when something is
# missing.
trj_install_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing missing system packages: ${missing[*]}" >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Packages the Swift build needs: OpenBLAS (BLAS) and LAPACKE (LAPACK's C interface), loaded by
# the CLinearAlgebra shim; NLopt, linked by the CNLopt shim.
TRJ_BUILD_PACKAGES=(libopenblas-dev liblapacke-dev libnlopt-dev)

# The browser scripts/browser-check renders the reports in (headless).
TRJ_BROWSER_PACKAGES=(chromium)
