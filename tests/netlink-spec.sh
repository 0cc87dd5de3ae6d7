#!/bin/bash
# The YNL spec (Documentation/netlink/specs/vmbridge.yaml) says what the
# family is: it validates against the kernel's genetlink-c schema, and the
# UAPI header that the kernel's ynl-gen-c.py makes of it defines every
# name it defines with the value uapi/linux/vmbridge.h gives it.
#
# usage: tests/netlink-spec.sh KERNEL-SOURCE (linux-source-6.12 unpacked)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
src=$1
py=/usr/bin/python3	# Debian's, with python3-yaml and python3-jsonschema
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ynl-gen-c.py finds the schema beside the spec's directory, and the top
# of a kernel tree (it names the spec from there) by its MAINTAINERS.
mkdir "$tmp/specs"
: > "$tmp/MAINTAINERS"
cp "$src/Documentation/netlink/genetlink-c.yaml" "$tmp/"
cp "$top/Documentation/netlink/specs/vmbridge.yaml" "$tmp/specs/"
"$py" - "$tmp/specs/vmbridge.yaml" "$tmp/genetlink-c.yaml" <<'PY'
import sys, yaml, jsonschema
jsonschema.validate(yaml.safe_load(open(sys.argv[1])),
                    yaml.safe_load(open(sys.argv[2])))
print("spec: valid against genetlink-c.yaml")
PY
timeout 120 "$py" "$src/tools/net/ynl/ynl-gen-c.py" --mode uapi --header \
	--spec "$tmp/specs/vmbridge.yaml" -o "$tmp/generated.h"

# Every enumerator and #define of the generated header, printed with its
# value by a program built once against each header.
names=$(sed -n -e 's/^[[:space:]]*\([A-Z_][A-Z0-9_]*\)[[:space:]]*\(=.*\)\{0,1\},[[:space:]]*$/\1/p' \
	       -e 's/^[[:space:]]*\([A-Z_][A-Z0-9_]*\)[[:space:]]*=.*[^,]$/\1/p' \
	       -e 's/^#define[[:space:]]\{1,\}\([A-Z][A-Z0-9_]*\)[[:space:]].*/\1/p' \
	       "$tmp/generated.h" | grep -v '^_UAPI' | sort -u)
[ -n "$names" ] || { echo "spec: no names in the generated header" >&2; exit 1; }
{
	echo '#include <stdio.h>'
	echo '#include HEADER'
	echo '#define P(n) _Generic((n), char *: printf("%s \"%s\"\n", #n, (const char *)(uintptr_t)(n)), default: printf("%s %lld\n", #n, (long long)(n)))'
	echo '#include <stdint.h>'
	echo 'int main(void) {'
	for n in $names; do echo "P($n);"; done
	echo 'return 0; }'
} > "$tmp/names.c"
cc -Wall -Werror -DHEADER="\"$tmp/generated.h\"" -o "$tmp/gen" "$tmp/names.c"
cc -Wall -Werror -DHEADER="\"$top/uapi/linux/vmbridge.h\"" -o "$tmp/ours" "$tmp/names.c"
"$tmp/gen" > "$tmp/gen.out"
"$tmp/ours" > "$tmp/ours.out"
diff -u "$tmp/ours.out" "$tmp/gen.out"
# And the other way: every enumerator of ours is in the spec (a command's
# zero, VMBR_CMD_UNSPEC, is no operation).
"$py" - "$top/uapi/linux/vmbridge.h" "$tmp/generated.h" <<'PY'
import re, sys
def enumerators(path):
    text = re.sub(r"/\*.*?\*/", "", open(path).read(), flags=re.S)
    names = set()
    for body in re.findall(r"enum\s+\w+\s*\{(.*?)\}", text, flags=re.S):
        names |= set(re.findall(r"^\s*([A-Z_][A-Z0-9_]*)", body, flags=re.M))
    return names
missing = enumerators(sys.argv[1]) - enumerators(sys.argv[2]) - {"VMBR_CMD_UNSPEC"}
if missing:
    sys.exit("spec: not in the spec: " + " ".join(sorted(missing)))
PY
echo "spec: the generated header's $(wc -l < "$tmp/gen.out") names have the values of uapi/linux/vmbridge.h"
