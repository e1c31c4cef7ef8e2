/* virtio_pci.h: the two virtio-pci transports (legacy I/O, modern MMIO) behind one set of operations, and the split virtqueue they set up. */
#ifndef MV_GUEST_DRIVERS_VIRTIO_PCI_H
#define MV_GUEST_DRIVERS_VIRTIO_PCI_H

#include "mm.h"
#include "virtio.h"

/* Device status bits (virtio 1.x, 2.1). */
#define VIRTIO_STATUS_ACK               1
#define VIRTIO_STATUS_DRIVER            2
#define VIRTIO_STATUS_DRIVER_OK         4
#define VIRTIO_STATUS_FEATURES_OK       8
#define VIRTIO_STATUS_FAILED            0x80
#define VIRTIO_F_VERSION_1              (1ull << 32)

struct vring_desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct vring_used_elem { uint32_t id, len; };

/* A split virtqueue in the legacy layout (the used ring on its own page), which suits both transports. */
struct vq {
	uint16_t index, size, last_used, nbufs;
	struct vring_desc *desc;
	volatile uint16_t *avail;       /* flags, idx, ring[size] */
	volatile uint16_t *used;        /* flags, idx, then struct vring_used_elem[size] */
	uint8_t *bufs;                  /* receive queues: nbufs * VQ_BUF */
	volatile uint16_t *notify;      /* modern: the queue's notify register */
};

/*
 * A virtio-pci transport: how the driver reaches one device's status,
 * features and queues.  Only one device is driven, so each transport keeps
 * its registers in its own file.
 */
struct virtio_pci_ops {
	const char *name;               /* "modern" or "legacy" */
	/*
	 * attach(d): find this interface on d and enable its decoding and bus
	 * mastering; 0, -ENODEV when d does not have it, -EIO (said on the
	 * console) when what d offers is unusable.
	 */
	int (*attach)(const struct pci_dev *d);
	/*
	 * start(features): reset the device, ACKNOWLEDGE, DRIVER, and accept
	 * exactly features (modern: with VIRTIO_F_VERSION_1, then FEATURES_OK);
	 * -ENODEV when the device lacks one of them, -EIO when it refused.
	 */
	int (*start)(uint64_t features);
	/* queue_size(index): the queue's size, 0 when the device has no such queue. */
	uint16_t (*queue_size)(uint16_t index);
	/* queue_enable(q, desc, avail, used): hand q's rings (physical addresses) to the device. */
	int (*queue_enable)(struct vq *q, phys_addr_t desc, phys_addr_t avail, phys_addr_t used);
	/* notify(q): tell the device q has new buffers. */
	void (*notify)(const struct vq *q);
	/* add_status(bits): set bits in the device status (DRIVER_OK, FAILED). */
	void (*add_status)(uint8_t bits);
};

extern const struct virtio_pci_ops virtio_pci_legacy, virtio_pci_modern;

#endif
