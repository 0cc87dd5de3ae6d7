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

# The forwarding benchmark (BENCHMARKS.md); BENCH_ARGS go to bench/run.sh.
bench:
	@bash bench/run.sh $(BENCH_ARGS)

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
# test versions, UAPI headers cannot use BIT(), and net/sched names its type
# struct Qdisc (which --no-tree cannot know): those checks are off for those
# three files only.
CHECKPATCH = $(KSRC)/scripts/checkpatch.pl --strict --no-tree --terse \
	--show-types --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG
style:
	@test -n "$(KSRC)" || { echo "style: no kernel source (run make check once)"; exit 1; }
	@{ $(CHECKPATCH) -f $(filter-out %.mod.c module/vmbr_rate_out.c,$(wildcard module/*.c kunit/*.c)) $(filter-out module/compat.h,$(wildcard module/*.h)) kunit/*.h; \
	   $(CHECKPATCH) --ignore CAMELCASE -f module/vmbr_rate_out.c; \
	   $(CHECKPATCH) --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON,MACRO_ARG_UNUSED -f module/compat.h; \
	   $(CHECKPATCH) --ignore BIT_MACRO -f uapi/linux/vmbridge.h; } | \
		grep -v '^total:' | grep . && exit 1 || echo "style: checkpatch --strict is clean"

# Installing (README.md, "Installing").  The module goes to
# /lib/modules/KVER/updates, which depmod prefers to the kernel's own
# directories; vmbr, its man page, its bash completion and the QEMU helpers
# as userland/Makefile says.  KVER is the release of the kernel of KDIR, as
# its headers define it (Debian's 6.1 headers' "make kernelrelease" names
# another).  With DESTDIR everything goes under it, depmod included.
# Only vmbridge.ko is built and installed (M=module): never the KUnit one.
VERSION := $(shell cat $(CURDIR)/VERSION)
KVER ?= $(or $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null),$(shell uname -r))
MODDIR = $(DESTDIR)/lib/modules/$(KVER)
DEPMOD = depmod $(if $(DESTDIR),-b $(DESTDIR)) $(KVER)
USERLAND_INSTALL = $(MAKE) -C userland DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

install: userland
	$(MAKE) -C $(KDIR) M=$(CURDIR)/module modules
	$(MAKE) -C $(KDIR) M=$(CURDIR)/module KERNELRELEASE=$(KVER) \
		INSTALL_MOD_DIR=updates \
		$(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) modules_install
	$(DEPMOD)
	$(USERLAND_INSTALL) install

# The copies of older versions ("extra") go too.
uninstall:
	rm -f $(MODDIR)/updates/vmbridge.ko* \
	      $(MODDIR)/extra/module/vmbridge.ko* \
	      $(MODDIR)/extra/kunit/vmbridge_test.ko*
	if [ -d $(MODDIR) ]; then $(DEPMOD); fi
	$(USERLAND_INSTALL) uninstall

# DKMS: the module's sources and dkms.conf in /usr/src/vmbridge-VERSION,
# registered, then built and installed for the running kernel if its
# headers are there; DKMS builds it again for every kernel installed later.
# A registration of the same version is replaced.  vmbr and the rest are
# installed as by "make install".
DKMS_SRC = /usr/src/vmbridge-$(VERSION)
DKMS_MOD = -m vmbridge -v $(VERSION)

dkms-install: userland
	@command -v dkms > /dev/null || \
		{ echo "dkms-install: no dkms (Debian, Ubuntu: apt install dkms)"; exit 1; }
	if dkms status $(DKMS_MOD) | grep -q .; then \
		dkms remove $(DKMS_MOD) --all; fi
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)/module $(DKMS_SRC)/uapi/linux
	install -m 0644 module/Kbuild $(filter-out %.mod.c,$(wildcard \
		module/*.c)) $(wildcard module/*.h) $(DKMS_SRC)/module/
	install -m 0644 uapi/linux/vmbridge.h $(DKMS_SRC)/uapi/linux/
	install -m 0644 VERSION $(DKMS_SRC)/
	sed 's/@VERSION@/$(VERSION)/' dkms.conf > $(DKMS_SRC)/dkms.conf
	dkms add $(DKMS_MOD)
	if [ -e /lib/modules/$$(uname -r)/build ]; then \
		dkms install $(DKMS_MOD); \
	else \
		echo "dkms-install: no headers for the running kernel" \
		     "$$(uname -r): vmbridge is built for the next kernel" \
		     "installed, or now with: dkms build $(DKMS_MOD) -k VER"; \
	fi
	$(USERLAND_INSTALL) install

dkms-uninstall:
	if dkms status $(DKMS_MOD) | grep -q .; then \
		dkms remove $(DKMS_MOD) --all; fi
	rm -rf $(DKMS_SRC)
	$(USERLAND_INSTALL) uninstall

.PHONY: uninstall dkms-install dkms-uninstall

.PHONY: all module userland check demo bench fuzz clean clean-module style install
