/* virtio_pci_caps.h: reading a virtio-pci device's configuration space: its BARs and its virtio capabilities (plain C, host-tested). */
#ifndef MV_GUEST_VIRTIO_PCI_CAPS_H
#define MV_GUEST_VIRTIO_PCI_CAPS_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_CFG_SIZE    256     /* what mechanism #1 reaches */
#define PCI_NUM_BARS    6
#define PCI_PHYS_LIMIT  (1ULL << 52)    /* the architectural limit of a physical address */

/* Virtio 1.x, 4.1.4: the cfg_type of a virtio_pci_cap. */
#define VPCI_CAP_COMMON 1
#define VPCI_CAP_NOTIFY 2
#define VPCI_CAP_ISR    3
#define VPCI_CAP_DEVICE 4
#define VPCI_COMMON_MIN 0x38    /* the common configuration up to queue_device (virtio 1.0) */
#define VPCI_WHY_MAX    96      /* vpci_parse_caps()'s reason, with its NUL */

/* A BAR as the firmware programmed it; size 0: not implemented or unusable. */
struct pci_bar {
	uint64_t base, size;
	bool io;                /* an I/O-space BAR */
	bool wide;              /* a 64-bit memory BAR: the next BAR is its upper half */
};

/*
 * pci_bar_decode(lo, hi, size_lo, size_hi, out): a BAR from its register
 * (lo; hi is the next register, used when lo says 64-bit) and what the
 * registers read after all ones were written (size_lo, size_hi).  0, or
 * -EINVAL for a reserved memory type, an unassigned BAR (base 0), a size
 * that is no power of two, or a range that wraps or passes PCI_PHYS_LIMIT.
 */
int pci_bar_decode(uint32_t lo, uint32_t hi, uint32_t size_lo, uint32_t size_hi,
		   struct pci_bar *out);

/* One virtio structure found through the capabilities: [pa, pa + len) in memory space. */
struct vpci_region {
	uint64_t pa;
	uint32_t len;
	uint8_t bar;
	bool found;
};

/* The structures of a modern (virtio 1.x) virtio-pci interface. */
struct vpci_layout {
	struct vpci_region common, notify, isr, device;
	uint32_t notify_mult;   /* notify_off_multiplier */
};

/*
 * vpci_parse_caps(cfg, bars, out, why): walk the capability list of the
 * configuration space cfg[PCI_CFG_SIZE] and take the first usable
 * virtio_pci_cap of each type COMMON/NOTIFY/ISR/DEVICE (spec 4.1.4: a
 * driver uses the first one it can), checking each against bars[]: a
 * memory BAR that holds [offset, offset + length), lengths at least the
 * structure's fields, notify_off_multiplier 0 or a power of two.  0 when
 * COMMON and NOTIFY were found; -ENODEV when there is no virtio capability
 * at all (no modern interface); -EINVAL, with why (VPCI_WHY_MAX bytes)
 * naming the capability's offset, the field and the reason, when the list
 * is broken (a pointer into the header or past the end, a loop) or no
 * usable COMMON or NOTIFY is left (the last refused capability's reason).
 */
int vpci_parse_caps(const uint8_t cfg[PCI_CFG_SIZE], const struct pci_bar bars[PCI_NUM_BARS],
		    struct vpci_layout *out, char *why);

/*
 * vpci_notify_off(l, queue_notify_off, out): the offset of a queue's 16-bit
 * notify register in l's NOTIFY structure (queue_notify_off times the
 * multiplier); 0, or -EINVAL when it does not lie inside the structure.
 */
int vpci_notify_off(const struct vpci_layout *l, uint16_t queue_notify_off, uint32_t *out);

#endif
