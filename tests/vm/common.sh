# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Helpers shared by the tests/vm scripts.  Sourced, never executed.

# Default location of downloaded kernels; kept across runs so that only the
# first run (or a new Debian kernel upload) pays for the download.
DAXTRACE_VM_CACHE=${DAXTRACE_VM_CACHE:-${HOME:-/root}/.cache/daxtrace-vm}

die()
{
	echo "${0##*/}: error: $*" >&2
	exit 2
}

log()
{
	echo "${0##*/}: $*" >&2
}

# need_tool TOOL DEBIAN_PACKAGE
# Fail early, naming the package, instead of dying halfway through a build.
need_tool()
{
	command -v "$1" >/dev/null 2>&1 ||
		die "'$1' not found; install it with: apt-get install $2"
}
