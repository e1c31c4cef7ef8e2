/* virtio_pci_legacy.c: the legacy virtio-pci interface of a transitional device (I/O BAR 0, 32 feature bits, queue page frames). */
#include "pio.h"
#include "virtio_pci.h"

/* Legacy registers in BAR 0 (I/O), without MSI-X. */
#define VP_HOST_FEATURES        0x00
#define VP_GUEST_FEATURES       0x04
#define VP_QUEUE_PFN            0x08
#define VP_QUEUE_NUM            0x0c
#define VP_QUEUE_SEL            0x0e
#define VP_QUEUE_NOTIFY         0x10
#define VP_STATUS               0x12
#define VP_QUEUE_ALIGN          4096    /* the used ring starts on a page of its own */

static uint16_t iobase;

static int legacy_attach(const struct pci_dev *d)
{
	uint32_t bar = pci_read32(d, 0x10);

	if (d->device != 0x1003 || !(bar & 1) || !(bar & ~3u))
		return -ENODEV;         /* no legacy I/O BAR (disable-legacy=on) */
	iobase = (uint16_t)(bar & ~3u);
	pci_write16(d, PCI_COMMAND, (uint16_t)(pci_read32(d, PCI_COMMAND) |
			PCI_COMMAND_IO | PCI_COMMAND_MASTER));
	return 0;
}

static int legacy_start(uint64_t features)
{
	outb(iobase + VP_STATUS, 0);
	outb(iobase + VP_STATUS, VIRTIO_STATUS_ACK);
	outb(iobase + VP_STATUS, VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER);
	if (features >> 32 || (inl(iobase + VP_HOST_FEATURES) & features) != features)
		return -ENODEV;
	outl(iobase + VP_GUEST_FEATURES, (uint32_t)features);
	return 0;
}

static uint16_t legacy_queue_size(uint16_t index)
{
	outw(iobase + VP_QUEUE_SEL, index);
	return inw(iobase + VP_QUEUE_NUM);
}

/* The device finds avail and used from desc and the size: they must lie where it will look. */
static int legacy_queue_enable(struct vq *q, phys_addr_t desc, phys_addr_t avail,
			       phys_addr_t used)
{
	if (desc % PAGE_SIZE || desc >> 44 || avail != desc + 16ull * q->size ||
	    used != ALIGN_UP(avail + 6 + 2ull * q->size, VP_QUEUE_ALIGN))
		return -EINVAL;
	outw(iobase + VP_QUEUE_SEL, q->index);
	outl(iobase + VP_QUEUE_PFN, (uint32_t)(desc >> 12));
	return 0;
}

static void legacy_notify(const struct vq *q)
{
	outw(iobase + VP_QUEUE_NOTIFY, q->index);
}

static void legacy_add_status(uint8_t bits)
{
	outb(iobase + VP_STATUS, inb(iobase + VP_STATUS) | bits);
}

const struct virtio_pci_ops virtio_pci_legacy = {
	.name = "legacy",
	.attach = legacy_attach,
	.start = legacy_start,
	.queue_size = legacy_queue_size,
	.queue_enable = legacy_queue_enable,
	.notify = legacy_notify,
	.add_status = legacy_add_status,
};
