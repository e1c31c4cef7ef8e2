# scripts/install.mk: `make install PREFIX=...` and `make uninstall PREFIX=...`.
#
#   PREFIX/bin/modvisor
#   PREFIX/lib/modvisor/images/{kernel.elf,initrd.cpio}     the default guest
#   PREFIX/lib/modvisor/emuhost/{vmlinux,initramfs.cpio.gz} the emulated KVM host
#   PREFIX/lib/modvisor/sdk/                                 the module SDK
#       (module.mk, flags.mk, include/, modpost, Module.symvers):
#       make -f PREFIX/lib/modvisor/sdk/module.mk M=DIR
#   PREFIX/share/man/man1/modvisor.1
#   PREFIX/share/bash-completion/completions/modvisor
#   PREFIX/lib/systemd/system/modvisor-authority.service    `modvisor authority` as a service
# modvisor finds its data directory from its own path (vmm/paths.c), so an
# installed binary needs no configuration.  DESTDIR is honoured, as usual.

PREFIX  ?= /usr/local
DESTDIR ?=
INSTALL ?= install
I_BIN   := $(DESTDIR)$(PREFIX)/bin
I_DATA  := $(DESTDIR)$(PREFIX)/lib/modvisor
I_MAN   := $(DESTDIR)$(PREFIX)/share/man/man1
I_COMP  := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
I_UNIT  := $(DESTDIR)$(PREFIX)/lib/systemd/system

.PHONY: install uninstall
install: all
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL) -d $(I_BIN) $(I_DATA)/images $(I_DATA)/emuhost $(I_MAN) $(I_COMP) $(I_UNIT) \
		$(I_DATA)/sdk/include/linux $(I_DATA)/sdk/include/modvisor/abi
	$(Q)$(INSTALL) -m 0755 $(BUILD)/modvisor $(I_BIN)/modvisor
	$(Q)$(INSTALL) -m 0644 $(BUILD)/images/kernel.elf $(BUILD)/images/initrd.cpio $(I_DATA)/images/
	$(Q)$(INSTALL) -m 0644 $(EMUHOST_VMLINUX) $(EMUHOST_INITRAMFS) $(I_DATA)/emuhost/
	$(Q)$(INSTALL) -m 0644 images/sdk/module.mk images/sdk/flags.mk $(KERNEL_SYMVERS) $(I_DATA)/sdk/
	$(Q)$(INSTALL) -m 0755 $(MODPOST) $(I_DATA)/sdk/modpost
	$(Q)$(INSTALL) -m 0644 images/sdk/include/linux/*.h $(I_DATA)/sdk/include/linux/
	$(Q)$(INSTALL) -m 0644 $(wildcard shared/include/modvisor/*.h) $(I_DATA)/sdk/include/modvisor/
	$(Q)$(INSTALL) -m 0644 shared/include/modvisor/abi/*.h $(I_DATA)/sdk/include/modvisor/abi/
	$(Q)$(INSTALL) -m 0644 docs/modvisor.1 $(I_MAN)/modvisor.1
	$(Q)$(INSTALL) -m 0644 scripts/modvisor-completion.bash $(I_COMP)/modvisor
	$(Q)sed 's|@BINDIR@|$(PREFIX)/bin|' scripts/modvisor-authority.service.in \
		>$(I_UNIT)/modvisor-authority.service && chmod 0644 $(I_UNIT)/modvisor-authority.service

# Removes exactly what install put there, then the directories it made if empty.
uninstall:
	$(call msg,UNINSTALL,$(DESTDIR)$(PREFIX))
	$(Q)rm -f $(I_BIN)/modvisor $(I_MAN)/modvisor.1 $(I_COMP)/modvisor \
		$(I_UNIT)/modvisor-authority.service
	$(Q)rm -rf $(I_DATA)
	$(Q)for d in $(I_BIN) $(I_MAN) $(I_COMP) $(I_UNIT) $(DESTDIR)$(PREFIX)/lib/systemd \
		$(DESTDIR)$(PREFIX)/share/bash-completion \
		$(DESTDIR)$(PREFIX)/share/man $(DESTDIR)$(PREFIX)/share $(DESTDIR)$(PREFIX)/lib; do \
		rmdir --ignore-fail-on-non-empty "$$d" 2>/dev/null || true; done
