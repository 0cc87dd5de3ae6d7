# vmbridge: build, test and install.  See README.md.
KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
DESTDIR ?=
KSRC ?= $(firstword $(wildcard $(HOME)/.cache/vmbridge/src-*))

all: module userland

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userland:
	$(MAKE) -C userland

check:
	@bash tests/check.sh

demo:
	@bash tests/demo.sh

# A long netlink fuzzer run (VMBR_FUZZ_COUNT requests, default 1000000).
fuzz:
	@bash tests/fuzz.sh

clean-module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || \
		rm -f module/*.o module/*.ko module/*.mod* kunit/*.o kunit/*.ko \
		kunit/*.mod* Module.symvers modules.order module/modules.order \
		kunit/modules.order module/.*.cmd kunit/.*.cmd .*.cmd

clean: clean-module
	$(MAKE) -C userland clean
	$(MAKE) -C tests/tools clean
	rm -rf tests/logs

# The kernel's own style checks on the module (needs a kernel source tree:
# make check unpacks one into ~/.cache/vmbridge).  A compat header exists to
# test versions, and UAPI headers cannot use BIT(): those checks are off
# for those two files only.
CHECKPATCH = $(KSRC)/scripts/checkpatch.pl --strict --no-tree --terse \
	--show-types --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG
style:
	@test -n "$(KSRC)" || { echo "style: no kernel source (run make check once)"; exit 1; }
	@{ $(CHECKPATCH) -f $(filter-out %.mod.c,$(wildcard module/*.c kunit/*.c)) $(filter-out module/compat.h,$(wildcard module/*.h)) kunit/*.h; \
	   $(CHECKPATCH) --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON,MACRO_ARG_UNUSED -f module/compat.h; \
	   $(CHECKPATCH) --ignore BIT_MACRO -f uapi/linux/vmbridge.h; } | \
		grep -v '^total:' | grep . && exit 1 || echo "style: checkpatch --strict is clean"

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=extra modules_install
	depmod -a $(shell basename $$(dirname $(KDIR)))
	$(MAKE) -C userland install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

.PHONY: all module userland check demo fuzz clean clean-module style install
