/* virtio.h: PCI configuration access and the virtio-serial (virtio console) port the authority link uses. */
#ifndef MV_GUEST_VIRTIO_H
#define MV_GUEST_VIRTIO_H

#include "kernel.h"
#include "virtio_pci_caps.h"

#define PCI_COMMAND             0x04
#define PCI_COMMAND_IO          0x1
#define PCI_COMMAND_MEMORY      0x2
#define PCI_COMMAND_MASTER      0x4

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
/* pci_write32(d, off, v): write a whole configuration register. */
void pci_write32(const struct pci_dev *d, uint8_t off, uint32_t v);
/* pci_read_config(d, cfg): the first PCI_CFG_SIZE bytes of d's configuration space. */
void pci_read_config(const struct pci_dev *d, uint8_t cfg[PCI_CFG_SIZE]);
/*
 * pci_read_bar(d, i, out): BAR i of d as the firmware placed it, sized by
 * writing all ones (with decoding off meanwhile); 0 or -EINVAL as
 * pci_bar_decode() says (and for a 64-bit BAR in the last slot).
 */
int pci_read_bar(const struct pci_dev *d, unsigned i, struct pci_bar *out);

/*
 * vcon_open(name): find the virtio-console device (1af4:1043 modern, or
 * 1af4:1003 transitional) and drive it through its modern virtio-pci
 * interface when it has one, else its legacy I/O BAR; negotiate MULTIPORT,
 * and open the port QEMU named name (libvirt's <channel><target
 * type='virtio' name=.../>).  0, -ENODEV (no device or no such port) or
 * -EIO (the device misbehaved).
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

/*
 * vcon_wait_connected(timeout_ns): vcon_connected(), waiting up to
 * timeout_ns for QEMU's chardev to (re)connect (domain-xml has it retry
 * every 2 s).  True once the host side is open.
 */
bool vcon_wait_connected(uint64_t timeout_ns);

#endif
