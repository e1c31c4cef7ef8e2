# images/emuhost/build.mk: the emulated KVM host (Debian's kernel + an initramfs) in build/emuhost/.
#
# The kernel package is downloaded once and extracted whole into
# build/cache/linux-image/<pkg>/ by scripts/fetch-debian-kernel.sh;
# build/emuhost/kernel-dir names that directory, so other recipes (module
# corpus tests, the signing certificate) can depend on it:
#     foo: $(EMUHOST_KERNEL_DIR_FILE) ; ... $$(cat $(EMUHOST_KERNEL_DIR_FILE)) ...
# See docs/emulated-host.md.

EMUHOST_OUT             := $(BUILD)/emuhost
EMUHOST_KERNEL_DIR_FILE := $(EMUHOST_OUT)/kernel-dir
EMUHOST_VMLINUZ         := $(EMUHOST_OUT)/vmlinuz
EMUHOST_VMLINUX         := $(EMUHOST_OUT)/vmlinux
EMUHOST_INITRAMFS       := $(EMUHOST_OUT)/initramfs.cpio.gz

EMUHOST_KVM_SMOKE       := $(EMUHOST_OUT)/kvm-smoke

IMAGES += $(EMUHOST_VMLINUZ) $(EMUHOST_VMLINUX) $(EMUHOST_INITRAMFS) $(EMUHOST_KVM_SMOKE)
CLEAN_EXTRA += $(EMUHOST_OUT)

# Re-run only when missing or when the script changes (not on every make:
# asking apt costs half a second).
$(EMUHOST_KERNEL_DIR_FILE): scripts/fetch-debian-kernel.sh
	$(call msg,FETCH,debian kernel)mkdir -p $(@D) && \
	  dir=$$(scripts/fetch-debian-kernel.sh $(BUILD) | tail -n 1) && \
	  test -f "$$dir/.complete" && echo "$$dir" >$@.tmp && mv $@.tmp $@

$(EMUHOST_VMLINUZ): $(EMUHOST_KERNEL_DIR_FILE)
	$(call msg,CP,$@)cp "$$(cat $<)"/boot/vmlinuz-* $@.tmp && mv $@.tmp $@

# What QEMU boots: the uncompressed ELF (PVH entry), twice as fast under TCG.
$(EMUHOST_VMLINUX): $(EMUHOST_VMLINUZ) images/emuhost/extract-vmlinux.sh
	$(call msg,EXTRACT,$@)images/emuhost/extract-vmlinux.sh $< $@

# A diagnostic: does this /dev/kvm run a guest, and how fast are its exits?
$(EMUHOST_KVM_SMOKE): images/emuhost/kvm-smoke.c
	$(call msg,HOSTCC,$<)mkdir -p $(@D) && $(HOSTCC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) -o $@ $<

$(EMUHOST_INITRAMFS): $(EMUHOST_KERNEL_DIR_FILE) images/emuhost/init images/emuhost/mkinitramfs.sh
	$(call msg,CPIO,$@)images/emuhost/mkinitramfs.sh "$$(cat $<)" $@
