#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The commands and options of "vmbr --help" and of vmbr.8 must be the same:
# compares the help's command lines with the man page's SYNOPSIS, and the
# help's options with the man page's OPTIONS.
set -eu
vmbr=${1:-./vmbr}
man=${2:-../Documentation/vmbr.8}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# roff source to plain text: drop font changes, unescape minus signs.
plain() { sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g'; }

"$vmbr" --help | sed -n 's/^  \(vmbr .*\)/\1/p' > "$tmp/help.cmds"
sed -n '/^\.SH SYNOPSIS/,/^\.SH/p' "$man" | plain |
	grep '^vmbr [a-z]' > "$tmp/man.cmds"
diff -u "$tmp/help.cmds" "$tmp/man.cmds"

"$vmbr" --help | sed -n 's/^  \(-[a-zA-Z]\), \(--[a-z]*\).*/\1 \2/p' \
	> "$tmp/help.opts"
sed -n '/^\.SH OPTIONS/,/^\.SH/p' "$man" | plain |
	sed -n 's/^\.BR \(-[a-zA-Z]\) ", " \(--[a-z]*\)$/\1 \2/p' \
	> "$tmp/man.opts"
diff -u "$tmp/help.opts" "$tmp/man.opts"
echo "userland: --help and vmbr.8 agree ($(wc -l < "$tmp/help.cmds") commands, $(wc -l < "$tmp/help.opts") options)"
