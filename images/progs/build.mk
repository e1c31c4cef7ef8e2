# images/progs/build.mk: the guest test programs, static x86-64 Linux binaries.
#
# Every images/progs/NAME.c becomes build/images/progs/NAME, built with the
# host gcc against glibc (-static).  The programs named in PROGS_MUSL are
# also built with musl-gcc as NAME-musl (musl-tools, see scripts/deps.sh),
# because issue 3 requires musl-static programs to run too.  IMAGE_PROGS
# lists them all; images/initrd/build.mk installs them in /bin.

PROGS_DIR    := $(BUILD)/images/progs
PROGS_SRCS   := $(wildcard images/progs/*.c)
PROGS_CFLAGS := -std=gnu11 -O2 -g0 -Wall -Wextra -Werror -static -D_GNU_SOURCE \
                -fno-stack-protector
PROGS_MUSL   := mv-fs-errno
MUSL_CC      := $(shell command -v musl-gcc 2>/dev/null)

IMAGE_PROGS  := $(PROGS_SRCS:images/progs/%.c=$(PROGS_DIR)/%)
ifneq ($(MUSL_CC),)
IMAGE_PROGS  += $(patsubst %,$(PROGS_DIR)/%-musl,$(filter $(PROGS_MUSL),$(PROGS_SRCS:images/progs/%.c=%)))
endif
IMAGES       += $(IMAGE_PROGS)

$(PROGS_DIR)/%: images/progs/%.c images/progs/build.mk $(wildcard images/progs/*.h)
	$(call msg,PROG,$@)mkdir -p $(@D) && $(HOSTCC) $(PROGS_CFLAGS) $< -o $@

$(PROGS_DIR)/%-musl: images/progs/%.c images/progs/build.mk $(wildcard images/progs/*.h)
	$(call msg,PROGMUSL,$@)mkdir -p $(@D) && $(MUSL_CC) $(PROGS_CFLAGS) $< -o $@

# Programs also built as static-PIE (NAME-pie), which the guest loads at a
# bias like Linux's ELF_ET_DYN_BASE; tests/e2e/t-user.sh runs them.
PROGS_PIE    := mv-user
IMAGE_PROGS  += $(patsubst %,$(PROGS_DIR)/%-pie,$(PROGS_PIE))
IMAGES       += $(patsubst %,$(PROGS_DIR)/%-pie,$(PROGS_PIE))

$(PROGS_DIR)/%-pie: images/progs/%.c images/progs/build.mk
	$(call msg,PROGPIE,$@)mkdir -p $(@D) && \
		$(HOSTCC) $(filter-out -static,$(PROGS_CFLAGS)) -static-pie -fPIE $< -o $@

# images/progs/dyn/: a dynamically linked glibc program and its shared library
# (found through DT_RUNPATH $ORIGIN on the host; full RELRO).  Not in the
# initrd: tests/e2e/t-kmod-guest.sh adds them with --add-program.
DYN_DIR      := $(PROGS_DIR)/dyn
DYN_CFLAGS   := -std=gnu11 -O2 -g0 -Wall -Wextra -Werror -D_GNU_SOURCE
IMAGES       += $(DYN_DIR)/mv-dyn $(DYN_DIR)/libmvdyn.so

$(DYN_DIR)/libmvdyn.so: images/progs/dyn/libmvdyn.c images/progs/build.mk
	$(call msg,PROGDYN,$@)mkdir -p $(@D) && \
		$(HOSTCC) $(DYN_CFLAGS) -shared -fPIC -Wl,-soname,libmvdyn.so $< -o $@

$(DYN_DIR)/mv-dyn: images/progs/dyn/mv-dyn.c $(DYN_DIR)/libmvdyn.so images/progs/build.mk
	$(call msg,PROGDYN,$@)$(HOSTCC) $(DYN_CFLAGS) $< -o $@ -L$(DYN_DIR) -lmvdyn -ldl \
		-Wl,-rpath,'$$ORIGIN' -Wl,-z,relro,-z,now
