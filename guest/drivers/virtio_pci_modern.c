/* virtio_pci_modern.c: the modern (virtio 1.x) virtio-pci interface: structures found through the capability list, in memory BARs mapped uncached. */
#include "virtio_pci.h"

/* The common configuration structure (virtio 1.x, 4.1.4.3). */
#define VPM_DEVICE_FEATURE_SELECT       0x00
#define VPM_DEVICE_FEATURE              0x04
#define VPM_DRIVER_FEATURE_SELECT       0x08
#define VPM_DRIVER_FEATURE              0x0c
#define VPM_NUM_QUEUES                  0x12
#define VPM_DEVICE_STATUS               0x14
#define VPM_QUEUE_SELECT                0x16
#define VPM_QUEUE_SIZE                  0x18
#define VPM_QUEUE_ENABLE                0x1c
#define VPM_QUEUE_NOTIFY_OFF            0x1e
#define VPM_QUEUE_DESC                  0x20
#define VPM_QUEUE_DRIVER                0x28
#define VPM_QUEUE_DEVICE                0x30
#define VPM_RESET_SPINS                 1000000 /* a reset QEMU finishes at once */

static volatile uint8_t *common;
static struct vpci_layout layout;
static uint16_t num_queues;
static struct pci_dev dev;

/* Accesses to the common configuration, each of its field's width (4.1.3.1). */
static uint8_t cc_read8(unsigned off)
{
	return *(volatile uint8_t *)(common + off);
}

static uint16_t cc_read16(unsigned off)
{
	return *(volatile uint16_t *)(common + off);
}

static uint32_t cc_read32(unsigned off)
{
	return *(volatile uint32_t *)(common + off);
}

static void cc_write8(unsigned off, uint8_t v)
{
	*(volatile uint8_t *)(common + off) = v;
}

static void cc_write16(unsigned off, uint16_t v)
{
	*(volatile uint16_t *)(common + off) = v;
}

static void cc_write32(unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(common + off) = v;
}

/* A 64-bit field as two 32-bit writes, low half first (4.1.3.1). */
static void cc_write64(unsigned off, uint64_t v)
{
	cc_write32(off, (uint32_t)v);
	cc_write32(off + 4, (uint32_t)(v >> 32));
}

/* Every BAR of d; one that cannot be used (or a 64-bit BAR's upper half) has size 0. */
static void modern_read_bars(const struct pci_dev *d, struct pci_bar bars[PCI_NUM_BARS])
{
	for (unsigned i = 0; i < PCI_NUM_BARS; i++) {
		if (pci_read_bar(d, i, &bars[i]))
			bars[i] = (struct pci_bar){ 0 };
		else if (bars[i].wide)
			bars[++i] = (struct pci_bar){ 0 };
	}
}

static int modern_attach(const struct pci_dev *d)
{
	struct pci_bar bars[PCI_NUM_BARS];
	uint8_t cfg[PCI_CFG_SIZE];
	char why[VPCI_WHY_MAX];
	int err;

	pci_read_config(d, cfg);
	modern_read_bars(d, bars);
	err = vpci_parse_caps(cfg, bars, &layout, why);
	if (err == -ENODEV)
		return err;
	if (err || !(common = ioremap(layout.common.pa, layout.common.len))) {
		printk("virtio-serial %02x:%02x.%u: modern interface unusable: %s\n",
		       d->bus, d->dev, d->fn, err ? why : "cannot map the common configuration");
		return -EIO;
	}
	if (!kernel_quiet)
		printk("virtio-serial: %02x:%02x.%u: common configuration at %#lx (BAR %u)\n",
		       d->bus, d->dev, d->fn, layout.common.pa, layout.common.bar);
	dev = *d;
	pci_write16(d, PCI_COMMAND, (uint16_t)(pci_read32(d, PCI_COMMAND) |
			PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER));
	return 0;
}

/* Write 0 and wait until the device reads 0 back: the reset is done (4.1.4.3.2). */
static int modern_reset(void)
{
	cc_write8(VPM_DEVICE_STATUS, 0);
	for (unsigned i = 0; i < VPM_RESET_SPINS; i++) {
		if (!cc_read8(VPM_DEVICE_STATUS))
			return 0;
		__asm__ volatile("pause");
	}
	return -EIO;
}

static int modern_start(uint64_t features)
{
	uint64_t offered;

	if (modern_reset())
		return -EIO;
	cc_write8(VPM_DEVICE_STATUS, VIRTIO_STATUS_ACK);
	cc_write8(VPM_DEVICE_STATUS, VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER);
	cc_write32(VPM_DEVICE_FEATURE_SELECT, 1);
	offered = (uint64_t)cc_read32(VPM_DEVICE_FEATURE) << 32;
	cc_write32(VPM_DEVICE_FEATURE_SELECT, 0);
	offered |= cc_read32(VPM_DEVICE_FEATURE);
	features |= VIRTIO_F_VERSION_1;
	if ((offered & features) != features)
		return -ENODEV;
	cc_write32(VPM_DRIVER_FEATURE_SELECT, 0);
	cc_write32(VPM_DRIVER_FEATURE, (uint32_t)features);
	cc_write32(VPM_DRIVER_FEATURE_SELECT, 1);
	cc_write32(VPM_DRIVER_FEATURE, (uint32_t)(features >> 32));
	cc_write8(VPM_DEVICE_STATUS, VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER |
		  VIRTIO_STATUS_FEATURES_OK);
	if (!(cc_read8(VPM_DEVICE_STATUS) & VIRTIO_STATUS_FEATURES_OK))
		return -EIO;
	num_queues = cc_read16(VPM_NUM_QUEUES);
	return 0;
}

static uint16_t modern_queue_size(uint16_t index)
{
	if (index >= num_queues)
		return 0;
	cc_write16(VPM_QUEUE_SELECT, index);
	return cc_read16(VPM_QUEUE_SIZE);
}

static int modern_queue_enable(struct vq *q, phys_addr_t desc, phys_addr_t avail,
			       phys_addr_t used)
{
	uint32_t off;

	if (q->index >= num_queues)
		return -EINVAL;
	cc_write16(VPM_QUEUE_SELECT, q->index);
	if (vpci_notify_off(&layout, cc_read16(VPM_QUEUE_NOTIFY_OFF), &off)) {
		printk("virtio-serial %02x:%02x.%u: queue %u: queue_notify_off %u is outside "
		       "the notify structure\n", dev.bus, dev.dev, dev.fn, q->index,
		       cc_read16(VPM_QUEUE_NOTIFY_OFF));
		return -EIO;
	}
	if (!(q->notify = ioremap(layout.notify.pa + off, 2)))
		return -EIO;
	cc_write16(VPM_QUEUE_SIZE, q->size);
	cc_write64(VPM_QUEUE_DESC, desc);
	cc_write64(VPM_QUEUE_DRIVER, avail);
	cc_write64(VPM_QUEUE_DEVICE, used);
	cc_write16(VPM_QUEUE_ENABLE, 1);
	return 0;
}

static void modern_notify(const struct vq *q)
{
	*q->notify = q->index;
}

static void modern_add_status(uint8_t bits)
{
	cc_write8(VPM_DEVICE_STATUS, cc_read8(VPM_DEVICE_STATUS) | bits);
}

const struct virtio_pci_ops virtio_pci_modern = {
	.name = "modern",
	.attach = modern_attach,
	.start = modern_start,
	.queue_size = modern_queue_size,
	.queue_enable = modern_queue_enable,
	.notify = modern_notify,
	.add_status = modern_add_status,
};
