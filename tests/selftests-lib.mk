# SPDX-License-Identifier: GPL-2.0-only
# selftests-lib: the kselftests (linux/tools/testing/selftests/resmon/) built a second
# time with -DRESMON_BACKEND_LIBRESMON, so the same sources judge libresmon on either
# edition: build/bin/resmon_X_test.lib. scripts/ebpf-tests.sh runs every one of them in
# the stock-kernel guests, with resmond. Included by the top Makefile; `make ebpf`
# builds them. No kernel build needed: the kselftest harness comes from Debian's
# linux-source-6.1 tarball, linux/resmon.h from the tree's UAPI directory.

SELFTEST_DIR := linux/tools/testing/selftests/resmon
SELFTEST_LIB_OUT := $(BUILD)/selftests-lib

# What the eBPF edition can judge (job: through libresmon's resmon_job_* calls). Not here,
# each for a reason of the kernel edition:
# abi (the system call table, x32 and i386 entries), proc (/proc/resmon's open-time
# credentials), lock (the kernel's record layout and lock hold times), nomem (failslab
# in the kernel's allocation), lsm (the kernel's LSM hook).
SELFTESTS_LIB := account bypass codes job lifetime limit perm secureexec stress thread tree
SELFTESTS_LIB_BINS := $(patsubst %,$(BUILD)/bin/resmon_%_test.lib,$(SELFTESTS_LIB))

# resmon_helpers.h includes "../kselftest_harness.h": found through $(inc)/.. = here.
$(SELFTEST_LIB_OUT)/kselftest_harness.h:
	@mkdir -p $(SELFTEST_LIB_OUT)/inc
	tar -xJf /usr/src/linux-source-6.1.tar.xz -C $(SELFTEST_LIB_OUT) --strip-components=4 \
		linux-source-6.1/tools/testing/selftests/kselftest_harness.h \
		linux-source-6.1/tools/testing/selftests/kselftest.h
	touch $@

SELFTEST_LIB_CFLAGS := -O2 -g -Wall -DRESMON_BACKEND_LIBRESMON -I$(SELFTEST_LIB_OUT)/inc \
	-I$(CURDIR)/user/lib -I$(CURDIR)/linux/include/uapi

$(BUILD)/bin/resmon_%_test.lib: $(SELFTEST_DIR)/resmon_%_test.c $(SELFTEST_DIR)/resmon_helpers.h $(SELFTEST_DIR)/resmon_job_helpers.h \
		$(SELFTEST_LIB_OUT)/kselftest_harness.h $(BUILD)/lib/libresmon.a
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_LIB_CFLAGS) $(SELFTEST_LIB_LDFLAGS) -o $@ $< $(BUILD)/lib/libresmon.a -lpthread

# Static, as the raw build (the selftests' Makefile says why).
$(BUILD)/bin/resmon_lifetime_test.lib: SELFTEST_LIB_LDFLAGS := -static

# The programs the tests execve() from beside themselves (secureexec and thread:
# resmon_exec_helper; account: resmon_helper32). They make no resmon call, so they
# are the same programs the raw build makes.
$(BUILD)/bin/resmon_exec_helper: $(SELFTEST_DIR)/resmon_exec_helper.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -Wall -o $@ $< -lpthread
$(BUILD)/bin/resmon_helper32: $(SELFTEST_DIR)/resmon_helper32.c
	@mkdir -p $(dir $@)
	$(CC) -m32 -static -O2 -Wall -Wextra -Werror -o $@ $<

.PHONY: selftests-lib
selftests-lib: user
	$(MAKE) --no-print-directory $(SELFTESTS_LIB_BINS) $(BUILD)/bin/resmon_exec_helper \
		$(BUILD)/bin/resmon_helper32
