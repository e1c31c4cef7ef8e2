/* pci.c: PCI configuration space through the PC's mechanism #1 (ports 0xcf8/0xcfc). */
#include "pio.h"
#include "virtio.h"

#define PCI_ADDR 0xcf8
#define PCI_DATA 0xcfc

static uint32_t pci_addr(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off)
{
	return 0x80000000u | (uint32_t)bus << 16 | (uint32_t)dev << 11 | (uint32_t)fn << 8 |
	       (off & 0xfc);
}

static uint32_t pci_cfg_read(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off)
{
	outl(PCI_ADDR, pci_addr(bus, dev, fn, off));
	return inl(PCI_DATA);
}

uint32_t pci_read32(const struct pci_dev *d, uint8_t off)
{
	return pci_cfg_read(d->bus, d->dev, d->fn, off);
}

void pci_write16(const struct pci_dev *d, uint8_t off, uint16_t v)
{
	outl(PCI_ADDR, pci_addr(d->bus, d->dev, d->fn, off));
	outw(PCI_DATA + (off & 2), v);
}

int pci_find(uint16_t vendor, uint16_t device, struct pci_dev *out)
{
	for (unsigned bus = 0; bus < 256; bus++) {
		for (uint8_t dev = 0; dev < 32; dev++) {
			uint8_t nfn = 1;

			for (uint8_t fn = 0; fn < nfn; fn++) {
				uint32_t id = pci_cfg_read(bus, dev, fn, 0x00);

				if ((id & 0xffff) == 0xffff)
					continue;
				if (fn == 0 && (pci_cfg_read(bus, dev, 0, 0x0c) >> 16 & 0x80))
					nfn = 8;        /* a multi-function device */
				if ((id & 0xffff) == vendor && id >> 16 == device) {
					*out = (struct pci_dev){ (uint8_t)bus, dev, fn, vendor, device };
					return 0;
				}
			}
		}
	}
	return -ENODEV;
}
