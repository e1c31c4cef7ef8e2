/* virtio_pci_caps.c: a PCI BAR from its registers and a modern virtio-pci device's structures from its capability list; pure, so tests/unit/test_virtio_pci.c runs it on the host. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "virtio_pci_caps.h"

#define PCI_STATUS              0x06
#define PCI_STATUS_CAP_LIST     0x10
#define PCI_CAP_PTR             0x34
#define PCI_CAP_FIRST           0x40    /* capabilities lie after the standard header */
#define PCI_CAP_ID_VNDR         0x09
#define PCI_CAPS_MAX            48      /* (256 - 64) / 4: more means the list loops */
#define VPCI_CAP_LEN            16      /* struct virtio_pci_cap */
#define VPCI_NOTIFY_CAP_LEN     20      /* ... followed by notify_off_multiplier */

int pci_bar_decode(uint32_t lo, uint32_t hi, uint32_t size_lo, uint32_t size_hi,
		   struct pci_bar *out)
{
	uint64_t base, mask, end;

	*out = (struct pci_bar){ .io = lo & 1 };
	if (out->io) {
		base = lo & ~3u;
		mask = 0xffffffff00000000ull | (size_lo & ~3u);
		mask |= 0xffff0000u;    /* I/O space is 64 KiB; the upper half may read 0 */
	} else {
		switch (lo >> 1 & 3) {
		case 0:
			base = lo & ~0xfu;
			mask = 0xffffffff00000000ull | (size_lo & ~0xfu);
			break;
		case 2:
			out->wide = true;
			base = (uint64_t)hi << 32 | (lo & ~0xfu);
			mask = (uint64_t)size_hi << 32 | (size_lo & ~0xfu);
			break;
		default:
			return -EINVAL;         /* type 1 (below 1 MiB) is gone since PCI 3.0; 3 is reserved */
		}
	}
	out->size = ~mask + 1;
	if (!mask || (out->size & (out->size - 1)) || !base || (base & (out->size - 1)))
		return -EINVAL;
	if (__builtin_add_overflow(base, out->size, &end) || end > PCI_PHYS_LIMIT)
		return -EINVAL;
	out->base = base;
	return 0;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The smallest structure of each type the driver may use. */
static uint32_t vpci_min_len(uint8_t type)
{
	switch (type) {
	case VPCI_CAP_COMMON:
		return VPCI_COMMON_MIN;
	case VPCI_CAP_NOTIFY:
		return 2;               /* one 16-bit notify register */
	case VPCI_CAP_ISR:
		return 1;
	default:
		return 0;               /* the device's own configuration may be empty */
	}
}

static struct vpci_region *vpci_slot(struct vpci_layout *l, uint8_t type)
{
	switch (type) {
	case VPCI_CAP_COMMON:
		return &l->common;
	case VPCI_CAP_NOTIFY:
		return &l->notify;
	case VPCI_CAP_ISR:
		return &l->isr;
	case VPCI_CAP_DEVICE:
		return &l->device;
	default:
		return NULL;            /* PCI_CFG, shared memory, vendor data: not used here */
	}
}

/* Check the virtio_pci_cap at pos and fill its slot; 0, or -EINVAL with why. */
static int vpci_cap(const uint8_t *cfg, unsigned pos, const struct pci_bar *bars,
		    struct vpci_layout *l, char *why)
{
	uint8_t len = cfg[pos + 2], type = cfg[pos + 3], bar;
	struct vpci_region *r = vpci_slot(l, type);
	uint32_t off, length, mult;
	uint64_t end;

	if (!r || r->found)
		return 0;
	if (len < (type == VPCI_CAP_NOTIFY ? VPCI_NOTIFY_CAP_LEN : VPCI_CAP_LEN) ||
	    pos + len > PCI_CFG_SIZE)
		return snprintf(why, VPCI_WHY_MAX, "capability at %#x (type %u): cap_len %u",
				pos, type, len), -EINVAL;
	bar = cfg[pos + 4];
	if (bar >= PCI_NUM_BARS || bars[bar].io || !bars[bar].size)
		return snprintf(why, VPCI_WHY_MAX, "capability at %#x (type %u): bar %u is no "
				"usable memory BAR", pos, type, bar), -EINVAL;
	off = le32(cfg + pos + 8);
	length = le32(cfg + pos + 12);
	if (__builtin_add_overflow((uint64_t)off, length, &end) || end > bars[bar].size ||
	    length < vpci_min_len(type))
		return snprintf(why, VPCI_WHY_MAX, "capability at %#x (type %u): offset %#x "
				"length %#x do not fit BAR %u", pos, type, off, length, bar), -EINVAL;
	if (type == VPCI_CAP_NOTIFY) {
		mult = le32(cfg + pos + 16);
		if (mult == 1 || (mult & (mult - 1)))
			return snprintf(why, VPCI_WHY_MAX, "capability at %#x: "
					"notify_off_multiplier %u", pos, mult), -EINVAL;
		l->notify_mult = mult;
	}
	*r = (struct vpci_region){ .pa = bars[bar].base + off, .len = length, .bar = bar,
				   .found = true };
	return 0;
}

int vpci_parse_caps(const uint8_t cfg[PCI_CFG_SIZE], const struct pci_bar bars[PCI_NUM_BARS],
		    struct vpci_layout *out, char *why)
{
	char reason[VPCI_WHY_MAX];
	unsigned pos, n = 0;
	bool seen = false;

	memset(out, 0, sizeof(*out));
	snprintf(why, VPCI_WHY_MAX, "no common or notify capability");
	if (!(cfg[PCI_STATUS] & PCI_STATUS_CAP_LIST))
		return -ENODEV;
	for (pos = cfg[PCI_CAP_PTR] & 0xfc; pos; pos = cfg[pos + 1] & 0xfc) {
		if (pos < PCI_CAP_FIRST || pos > PCI_CFG_SIZE - 4 || ++n > PCI_CAPS_MAX) {
			snprintf(why, VPCI_WHY_MAX, "the capability list %s at %#x",
				 n > PCI_CAPS_MAX ? "loops" : "points outside", pos);
			return -EINVAL;
		}
		if (cfg[pos] != PCI_CAP_ID_VNDR)
			continue;
		seen = true;
		/* Only a refused COMMON or NOTIFY can be why the interface is unusable. */
		if (vpci_cap(cfg, pos, bars, out, reason) && cfg[pos + 3] <= VPCI_CAP_NOTIFY)
			memcpy(why, reason, VPCI_WHY_MAX);
	}
	if (!seen)
		return -ENODEV;
	return out->common.found && out->notify.found ? 0 : -EINVAL;
}

int vpci_notify_off(const struct vpci_layout *l, uint16_t queue_notify_off, uint32_t *out)
{
	uint64_t off = (uint64_t)queue_notify_off * l->notify_mult;

	if (off + 2 > l->notify.len)
		return -EINVAL;
	*out = (uint32_t)off;
	return 0;
}
