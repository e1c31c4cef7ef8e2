/* virtio.h: PCI configuration access and the legacy virtio-pci console (virtio-serial) port the authority link uses. */
#ifndef MV_GUEST_VIRTIO_H
#define MV_GUEST_VIRTIO_H

#include "kernel.h"

/* A PCI function found by pci_find(). */
struct pci_dev {
	uint8_t bus, dev, fn;
	uint16_t vendor, device;
};

/* pci_find(vendor, device, out): the first function with these IDs (all buses); 0 or -ENODEV. */
int pci_find(uint16_t vendor, uint16_t device, struct pci_dev *out);
/* pci_read32(d, off) / pci_write16(d, off, v): configuration space through ports 0xcf8/0xcfc. */
uint32_t pci_read32(const struct pci_dev *d, uint8_t off);
void pci_write16(const struct pci_dev *d, uint8_t off, uint16_t v);

/*
 * vcon_open(name): find the transitional virtio-console device (1af4:1003,
 * its legacy I/O BAR), negotiate MULTIPORT, and open the port QEMU named
 * name (libvirt's <channel><target type='virtio' name=.../>).  0, -ENODEV
 * (no device or no such port) or -EIO (the device misbehaved).
 */
int vcon_open(const char *name);

/* vcon_write(buf, len): send len bytes on the port; 0 or -EPIPE (host side closed). */
int vcon_write(const void *buf, size_t len);

/*
 * vcon_read(buf, len, timeout_ns): exactly len bytes from the port, waiting
 * for them at most timeout_ns; 0, -EPIPE when the host side closed the port
 * (the daemon went away) or -ETIMEDOUT.
 */
int vcon_read(void *buf, size_t len, uint64_t timeout_ns);

/* vcon_connected(): is the host side of the port open (QEMU's chardev connected)? */
bool vcon_connected(void);

#endif
